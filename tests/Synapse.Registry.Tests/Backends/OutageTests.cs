using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace Synapse.Registry.Tests.Backends;

/// <summary>
/// PostgreSQL, S3 and Redis going away while the registry serves: 503 problem+json (never 500, never a
/// half-published version), health 503, and recovery without a restart. Each backend sits behind an
/// <see cref="OutageProxy"/>, so an outage here does not disturb other tests using the same servers.
/// </summary>
public sealed class OutageTests : IAsyncLifetime
{
    private readonly string bucket = TestServices.UniqueName("outage");
    private PostgresTestDatabase database = null!;
    private OutageProxy postgres = null!;
    private OutageProxy s3 = null!;
    private OutageProxy redis = null!;
    private RegistryInstance instance = null!;
    private HttpClient client = null!;
    private string token = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresTestDatabase.CreateAsync();
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        postgres = new OutageProxy(server.Host!, server.Port);
        s3 = OutageProxy.For(TestServices.S3Url);
        redis = OutageProxy.For(TestServices.Redis);
        instance = new RegistryInstance(RegistryInstance.ProductionSettings(database.Via(postgres.Port), bucket,
            s3Url: $"http://127.0.0.1:{s3.Port}", redis: $"127.0.0.1:{redis.Port}",
            overrides: [("Synapse:RateLimiting:RedisKeyPrefix", bucket), ("Synapse:Database:ConnectionString",
                database.Via(postgres.Port) + ";Timeout=3;Command Timeout=5")]));
        client = instance.CreateClient();
        token = await TestPackages.RegisterAsync(client, TestServices.UniqueName("ops"));
    }

    public async Task DisposeAsync()
    {
        await instance.DisposeAsync();
        await postgres.DisposeAsync();
        await s3.DisposeAsync();
        await redis.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Without_the_database_requests_get_503_health_is_503_and_service_returns_by_itself()
    {
        var name = TestPackages.UniquePackageName("db-outage");
        await MultiInstanceTests.AssertCreated(await TestPackages.PublishAsync(client, token, await TestPackages.TarballAsync(name, "1.0.0")));

        var statuses = await WhileRunning(name, () =>
        {
            postgres.Cut();
            return Task.CompletedTask;
        });
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);

        await AssertUnavailable(await client.GetAsync($"/api/v1/search?q={name}"));
        await AssertUnavailable(await TestPackages.PublishAsync(client, token, await TestPackages.TarballAsync(name, "1.1.0")));
        var health = await client.GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("unhealthy", (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("database").GetProperty("status").GetString());

        postgres.Restore();
        await MultiInstanceTests.Eventually(async () => (await client.GetAsync("/api/v1/health")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20));
        await MultiInstanceTests.Eventually(async () => (await client.GetAsync($"/api/v1/search?q={name}")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20));

        // The publish that failed left nothing behind: the version does not exist and can be published now.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/packages/{name}/1.1.0")).StatusCode);
        await MultiInstanceTests.AssertCreated(await TestPackages.PublishAsync(client, token, await TestPackages.TarballAsync(name, "1.1.0")));
    }

    [Fact]
    public async Task Without_storage_downloads_and_publishes_get_503_and_nothing_is_half_published()
    {
        var name = TestPackages.UniquePackageName("s3-outage");
        var tarball = await TestPackages.TarballAsync(name, "1.0.0");
        await MultiInstanceTests.AssertCreated(await TestPackages.PublishAsync(client, token, tarball));

        var statuses = await WhileRunning(name, () =>
        {
            s3.Cut();
            return Task.CompletedTask;
        });
        Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);

        await AssertUnavailable(await client.GetAsync($"/api/v1/packages/{name}/1.0.0/tarball"));
        await AssertUnavailable(await TestPackages.PublishAsync(client, token, await TestPackages.TarballAsync(name, "2.0.0")));
        var health = await client.GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.Equal("unhealthy", (await health.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("storage").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/packages/{name}/2.0.0")).StatusCode);

        s3.Restore();
        await MultiInstanceTests.Eventually(async () => (await client.GetAsync("/api/v1/health")).StatusCode == HttpStatusCode.OK, TimeSpan.FromSeconds(20));
        Assert.Equal(tarball, await client.GetByteArrayAsync($"/api/v1/packages/{name}/1.0.0/tarball"));
        await MultiInstanceTests.AssertCreated(await TestPackages.PublishAsync(client, token, await TestPackages.TarballAsync(name, "2.0.0")));
    }

    [Fact]
    public async Task Without_Redis_requests_are_served_without_limits_and_health_reports_it()
    {
        redis.Cut();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "wrong password" });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/search?q=anything")).StatusCode);

        var health = await client.GetAsync("/api/v1/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        var report = await health.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("unhealthy", report.GetProperty("redis").GetProperty("status").GetString());

        redis.Restore();
        await MultiInstanceTests.Eventually(async () =>
            (await (await client.GetAsync("/api/v1/health")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("redis").GetProperty("status").GetString() == "healthy",
            TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Liveness_does_not_depend_on_the_backends()
    {
        postgres.Cut();
        s3.Cut();
        var live = await client.GetAsync("/api/v1/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/api/v1/health")).StatusCode);
    }

    /// <summary>Keeps reading while <paramref name="outage"/> happens; every answer must be a success or a clean 503.</summary>
    private async Task<IReadOnlyCollection<HttpStatusCode>> WhileRunning(string name, Func<Task> outage)
    {
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var problems = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var paths = new[] { $"/api/v1/packages/{name}/1.0.0/tarball", $"/api/v1/search?q={name}", "/api/v1/stats", $"/api/v1/users/nobody-{name}" };
        var readers = Enumerable.Range(0, 4).Select(async i =>
        {
            while (!stop.IsCancellationRequested)
            {
                var response = await client.GetAsync(paths[i]);
                statuses.Add(response.StatusCode);
                if ((int)response.StatusCode >= 500 && (response.StatusCode != HttpStatusCode.ServiceUnavailable ||
                                                        response.Content.Headers.ContentType?.MediaType != "application/problem+json"))
                {
                    problems.Add($"{paths[i]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }).ToList();
        await Task.Delay(300);
        await outage();
        await Task.Delay(1500);
        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.Empty(problems);
        return statuses;
    }

    private static async Task AssertUnavailable(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("service_unavailable", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }
}
