using BenchmarkDotNet.Attributes;
using Synapse.Resolver;

namespace Synapse.Benchmarks.Resolver;

/// <summary>Whole resolutions with all metadata in memory.</summary>
[MemoryDiagnoser]
public class ResolverBenchmarks
{
    private InMemoryPackageSource _wideSource = null!;
    private ResolveRequest _wideRequest = null!;
    private InMemoryPackageSource _pinnedSource = null!;
    private ResolveRequest _pinnedRequest = null!;
    private InMemoryPackageSource _lateSource = null!;
    private ResolveRequest _lateRequest = null!;
    private InMemoryPackageSource _unsolvableSource = null!;
    private ResolveRequest _unsolvableRequest = null!;

    [Params(1_000, 10_000)]
    public int Packages { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var wide = SyntheticRegistries.DeepAndWide(Packages);
        (_wideSource, _wideRequest) = (wide.ToSource(), wide.ToRequest());
        var pinned = SyntheticRegistries.DeepAndWideWithPins(Packages / 10);
        (_pinnedSource, _pinnedRequest) = (pinned.ToSource(), pinned.ToRequest());
        var late = SyntheticRegistries.LateConflicts(Packages / 10);
        (_lateSource, _lateRequest) = (late.ToSource(), late.ToRequest());
        var unsolvable = SyntheticRegistries.Unsolvable(Packages / 10);
        (_unsolvableSource, _unsolvableRequest) = (unsolvable.ToSource(), unsolvable.ToRequest());
    }

    [Benchmark]
    public Task<Resolution> DeepAndWideGraph() => new DependencyResolver(_wideSource).ResolveAsync(_wideRequest);

    /// <summary>A tenth of the size: every pinned edge found late costs a long backjump.</summary>
    [Benchmark]
    public Task<Resolution> PinnedGraphBacktracking() => new DependencyResolver(_pinnedSource).ResolveAsync(_pinnedRequest);

    [Benchmark]
    public Task<Resolution> LateConflictBacktracking() => new DependencyResolver(_lateSource).ResolveAsync(_lateRequest);

    [Benchmark]
    public async Task<string> UnsolvableWithExplanation()
    {
        try
        {
            await new DependencyResolver(_unsolvableSource).ResolveAsync(_unsolvableRequest);
            throw new InvalidOperationException("expected no solution");
        }
        catch (VersionSolvingException failure)
        {
            return failure.Explanation;
        }
    }
}
