using System.Collections.Concurrent;

namespace Synapse.Resolver.Tests;

public sealed class PrefetchTests
{
    /// <summary>Delays every answer and records which packages were asked for and how many calls overlapped.</summary>
    private sealed class RecordingSource(IPackageSource inner, TimeSpan delay) : IPackageSource
    {
        private int _inFlight;
        private int _maxInFlight;

        public ConcurrentQueue<string> Calls { get; } = new();

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public async ValueTask<IReadOnlyList<PackageVersionInfo>> GetVersionsAsync(string name, CancellationToken cancellationToken)
        {
            Calls.Enqueue(name);
            var now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
            {
            }
            try
            {
                await Task.Delay(delay, cancellationToken);
                return await inner.GetVersionsAsync(name, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    private static TestRegistry FanOut()
    {
        var registry = new TestRegistry()
            .Add("hub", "1.0.0", ("a", "^1.0.0"), ("b", "^1.0.0"), ("c", "^1.0.0"), ("d", "^1.0.0"));
        foreach (var name in new[] { "a", "b", "c", "d" })
        {
            registry.Add(name, "1.0.0", ("shared", "^1.0.0")).Add(name, "1.1.0", ("shared", "^1.0.0"));
        }
        return registry.Add("shared", "1.0.0");
    }

    [Fact]
    public async Task Dependencies_are_fetched_concurrently_and_each_package_once()
    {
        var source = new RecordingSource(FanOut().Source, TimeSpan.FromMilliseconds(30));

        var resolution = await new DependencyResolver(source).ResolveAsync(TestRegistry.Request(("hub", "^1.0.0")));

        Assert.Equal(6, resolution.Versions.Count);
        Assert.Equal(source.Calls.Count, source.Calls.Distinct().Count());
        Assert.Equal(["a", "b", "c", "d", "hub", "shared"], source.Calls.Order(StringComparer.Ordinal));
        Assert.True(source.MaxInFlight >= 4, $"expected a, b, c and d to be fetched together, saw at most {source.MaxInFlight} at once");
        Assert.Equal(6, resolution.Statistics.PackagesFetched);
    }

    [Fact]
    public async Task Cancellation_stops_the_resolution()
    {
        var source = new RecordingSource(FanOut().Source, TimeSpan.FromSeconds(30));
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new DependencyResolver(source).ResolveAsync(TestRegistry.Request(("hub", "^1.0.0")), cancellation.Token));
    }

    [Fact]
    public async Task Source_errors_propagate_unchanged()
    {
        var failing = new FailingSource();

        var error = await Assert.ThrowsAsync<HttpRequestException>(
            () => new DependencyResolver(failing).ResolveAsync(TestRegistry.Request(("anything", "^1.0.0"))));

        Assert.Equal("registry unreachable", error.Message);
    }

    private sealed class FailingSource : IPackageSource
    {
        public ValueTask<IReadOnlyList<PackageVersionInfo>> GetVersionsAsync(string name, CancellationToken cancellationToken) =>
            ValueTask.FromException<IReadOnlyList<PackageVersionInfo>>(new HttpRequestException("registry unreachable"));
    }
}
