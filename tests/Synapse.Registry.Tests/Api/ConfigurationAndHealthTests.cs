using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Synapse.Registry.Storage;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

public sealed class ConfigurationAndHealthTests
{
    private static Exception StartupFailure(RegistryFactory factory)
    {
        var exception = Record.Exception(() => factory.Server);
        Assert.NotNull(exception);
        return exception is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0] : exception;
    }

    [Theory]
    [InlineData("Synapse:Database:Provider", "Oracle")]
    [InlineData("Synapse:Storage:Provider", "Floppy")]
    [InlineData("Synapse:RateLimiting:Store", "Memcached")]
    [InlineData("Synapse:Limits:MaxEntries", "0")]
    [InlineData("Synapse:RateLimiting:Policies:auth:PerHour", "-1")]
    [InlineData("Synapse:Auth:PasswordIterations", "10")]
    [InlineData("Synapse:Search:MaxConcurrent", "0")]
    public void Invalid_configuration_fails_at_startup_naming_the_key(string key, string value)
    {
        using var factory = new RegistryFactory().With(key, value);
        var failure = StartupFailure(factory);
        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains(key, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("change-me")]
    [InlineData("too-short-key")]
    public void Production_refuses_a_missing_default_or_short_jwt_key(string? key)
    {
        using var factory = new RegistryFactory { Environment = "Production" }.With("Synapse:Jwt:SigningKey", key);
        var failure = StartupFailure(factory);
        Assert.IsType<OptionsValidationException>(failure);
        Assert.Contains("Synapse:Jwt:SigningKey", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Production_starts_with_a_long_key()
    {
        using var factory = new RegistryFactory { Environment = "Production" };
        await Expect.StatusAsync(await factory.Client().GetAsync("/api/v1/health"), 200);
    }

    [Fact]
    public async Task Development_without_a_key_generates_and_keeps_one()
    {
        using var factory = new RegistryFactory { Environment = "Development" }.With("Synapse:Jwt:SigningKey", null);
        var token = await factory.RegisterAsync("devuser");
        await Expect.StatusAsync(await factory.Client(token).PostAsync("/api/v1/auth/verify", null), 200);
        Assert.True(File.Exists(Path.Combine(factory.Root, "dev-jwt.key")));
    }

    [Fact]
    public async Task Health_reports_503_while_storage_fails_and_recovers_by_itself()
    {
        var failing = new SwitchableBlobStore();
        using var factory = new RegistryFactory { ConfigureServices = services => services.AddSingleton<IBlobStore>(failing) };
        using var client = factory.Client();
        await Expect.StatusAsync(await client.GetAsync("/api/v1/health"), 200);

        failing.Down = true;
        var down = await Expect.JsonAsync(await client.GetAsync("/api/v1/health"), 503);
        Assert.Equal("unhealthy", down.GetProperty("status").GetString());
        Assert.Equal("healthy", down.GetProperty("database").GetProperty("status").GetString());
        Assert.Equal("unhealthy", down.GetProperty("storage").GetProperty("status").GetString());
        Assert.DoesNotContain("unreachable", down.GetProperty("storage").GetProperty("error").GetString());

        failing.Down = false;
        await Expect.StatusAsync(await client.GetAsync("/api/v1/health"), 200);
    }

    [Fact]
    public async Task Storage_failure_during_download_is_503_service_unavailable()
    {
        var failing = new SwitchableBlobStore();
        using var factory = new RegistryFactory { ConfigureServices = services => services.AddSingleton<IBlobStore>(failing) };
        var token = await factory.RegisterAsync("storage-down");
        await factory.PublishOkAsync(token, TestPackages.Build("fragile", "1.0.0"));
        failing.Down = true;
        await Expect.ProblemAsync(await factory.Client().GetAsync("/api/v1/packages/fragile/1.0.0/tarball"), 503, "service_unavailable");
    }

    [Fact]
    public async Task Database_failure_during_a_request_is_503_service_unavailable_without_internals()
    {
        using var factory = new RegistryFactory
        {
            ConfigureServices = services => services.AddScoped<Synapse.Registry.Search.IPackageSearch, BrokenSearch>(),
        };
        var problem = await Expect.ProblemAsync(await factory.Client().GetAsync("/api/v1/search?q=x"), 503, "service_unavailable");
        Assert.DoesNotContain("SQLite Error", problem.ToString());
    }

    private sealed class BrokenSearch : Synapse.Registry.Search.IPackageSearch
    {
        public Task<(IReadOnlyList<Synapse.Registry.Search.SearchHit> Hits, long Total)> SearchAsync(string query, int page, int perPage, CancellationToken cancellationToken) =>
            throw new Microsoft.Data.Sqlite.SqliteException("SQLite Error 10: 'disk I/O error'.", 10);
    }

    /// <summary>An in-memory store that can be switched off, like an unreachable backend.</summary>
    private sealed class SwitchableBlobStore : IBlobStore
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> _blobs = new();

        public bool Down { get; set; }

        private void ThrowIfDown()
        {
            if (Down)
            {
                throw new IOException("storage is unreachable");
            }
        }

        public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            using var buffer = new MemoryStream();
            await content.CopyToAsync(buffer, cancellationToken);
            _blobs[key] = buffer.ToArray();
        }

        public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            return Task.FromResult<Stream?>(_blobs.TryGetValue(key, out var data) ? new MemoryStream(data) : null);
        }

        public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            return Task.FromResult(_blobs.TryGetValue(key, out var data) ? new BlobInfo(key, data.Length, DateTimeOffset.UtcNow) : null);
        }

        public Task DeleteAsync(string key, CancellationToken cancellationToken)
        {
            ThrowIfDown();
            _blobs.TryRemove(key, out _);
            return Task.CompletedTask;
        }

        public async IAsyncEnumerable<BlobInfo> ListAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
        {
            ThrowIfDown();
            await Task.Yield();
            foreach (var (key, data) in _blobs)
            {
                yield return new BlobInfo(key, data.Length, DateTimeOffset.UtcNow);
            }
        }

        public Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken) => Task.FromResult<Uri?>(null);

        public Task CheckHealthAsync(CancellationToken cancellationToken)
        {
            ThrowIfDown();
            return Task.CompletedTask;
        }
    }
}
