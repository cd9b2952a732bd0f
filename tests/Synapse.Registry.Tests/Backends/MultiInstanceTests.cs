using System.Net;
using System.Text.Json;

namespace Synapse.Registry.Tests.Backends;

/// <summary>Several stateless instances over shared PostgreSQL, S3 and Redis behave as one registry.</summary>
public sealed class MultiInstanceTests(ProductionBackendsFixture backends) : IClassFixture<ProductionBackendsFixture>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task A_version_published_on_one_instance_is_read_searched_and_downloaded_on_the_other()
    {
        var name = TestPackages.UniquePackageName("shared");
        var token = await TestPackages.RegisterAsync(backends.First, TestServices.UniqueName("ada"));
        var tarball = await TestPackages.TarballAsync(name, "1.0.0", "Tensor kernels for accelerators", "\"gpu\", \"tensor\"");

        await AssertCreated(await TestPackages.PublishAsync(backends.First, token, tarball));

        var package = await Json(await backends.Second.GetAsync($"/api/v1/packages/{name}"));
        Assert.Equal("1.0.0", package.GetProperty("latest_version").GetString());

        var download = await backends.Second.GetAsync($"/api/v1/packages/{name}/1.0.0/tarball");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(tarball, await download.Content.ReadAsByteArrayAsync());

        using var ranged = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/packages/{name}/1.0.0/tarball");
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(10, 19);
        var part = await backends.Second.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(tarball[10..20], await part.Content.ReadAsByteArrayAsync());

        var search = await Json(await backends.Second.GetAsync($"/api/v1/search?q={name}"));
        var first = search.GetProperty("results")[0];
        Assert.Equal(name, first.GetProperty("name").GetString());
        Assert.Equal("1.0.0", first.GetProperty("version").GetString());
        var byDescription = await Json(await backends.First.GetAsync("/api/v1/search?q=accelerators%20tensor"));
        Assert.Contains(byDescription.GetProperty("results").EnumerateArray(), r => r.GetProperty("name").GetString() == name);
    }

    [Fact]
    public async Task A_change_on_one_instance_shows_at_once_on_the_other_despite_its_cache()
    {
        var name = TestPackages.UniquePackageName("cached");
        var token = await TestPackages.RegisterAsync(backends.First, TestServices.UniqueName("bob"));
        await AssertCreated(await TestPackages.PublishAsync(backends.First, token, await TestPackages.TarballAsync(name, "1.0.0")));

        // Twice, so the second instance has the document cached.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("1.0.0", (await Json(await backends.Second.GetAsync($"/api/v1/packages/{name}"))).GetProperty("latest_version").GetString());
            await backends.Second.GetAsync($"/api/v1/packages/{name}/versions");
        }

        await AssertCreated(await TestPackages.PublishAsync(backends.First, token, await TestPackages.TarballAsync(name, "1.1.0")));

        await Eventually(async () =>
            (await Json(await backends.Second.GetAsync($"/api/v1/packages/{name}"))).GetProperty("latest_version").GetString() == "1.1.0",
            TimeSpan.FromSeconds(2));
        var versions = await Json(await backends.Second.GetAsync($"/api/v1/packages/{name}/versions"));
        Assert.Contains("1.1.0", versions.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_deleted_on_one_instance_stops_downloading_on_the_other_despite_its_tarball_cache()
    {
        var name = TestPackages.UniquePackageName("deleted");
        var token = await TestPackages.RegisterAsync(backends.First, TestServices.UniqueName("dee"));
        await AssertCreated(await TestPackages.PublishAsync(backends.First, token, await TestPackages.TarballAsync(name, "1.0.0")));
        await AssertCreated(await TestPackages.PublishAsync(backends.First, token, await TestPackages.TarballAsync(name, "1.0.1")));

        // Twice, so the second instance serves the location from its cache.
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await backends.Second.GetAsync($"/api/v1/packages/{name}/1.0.1/tarball")).StatusCode);
        }

        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/packages/{name}/1.0.1");
        delete.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NoContent, (await backends.First.SendAsync(delete)).StatusCode);

        await Eventually(async () =>
            (await backends.Second.GetAsync($"/api/v1/packages/{name}/1.0.1/tarball")).StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.OK, (await backends.Second.GetAsync($"/api/v1/packages/{name}/1.0.0/tarball")).StatusCode);
    }

    [Fact]
    public async Task Concurrent_publishes_of_one_version_across_instances_have_exactly_one_winner()
    {
        var token = await TestPackages.RegisterAsync(backends.First, TestServices.UniqueName("eve"));
        for (var round = 0; round < 3; round++)
        {
            var name = TestPackages.UniquePackageName("race");
            // Different bytes per attempt: a genuine conflict, not an idempotent retry.
            var tarballs = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => TestPackages.TarballAsync(name, "1.0.0")));
            var responses = await Task.WhenAll(tarballs.Select((tarball, i) =>
                TestPackages.PublishAsync(i % 2 == 0 ? backends.First : backends.Second, token, tarball)));

            var statuses = responses.Select(r => r.StatusCode).ToList();
            Assert.Equal(1, statuses.Count(s => s == HttpStatusCode.Created));
            Assert.All(statuses.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));

            var winner = tarballs[statuses.IndexOf(HttpStatusCode.Created)];
            var download = await backends.Second.GetAsync($"/api/v1/packages/{name}/1.0.0/tarball");
            Assert.Equal(winner, await download.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task A_rate_limit_used_up_on_one_instance_holds_on_the_other()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var settings = RegistryInstance.ProductionSettings(database.ConnectionString, backends.Bucket,
            overrides: [("Synapse:RateLimiting:Policies:auth:PerHour", "3"), ("Synapse:RateLimiting:RedisKeyPrefix", TestServices.UniqueName("limits"))]);
        await using var first = new RegistryInstance(settings);
        await using var second = new RegistryInstance(settings);
        var clients = new[] { first.CreateClient(), second.CreateClient() };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            var response = await clients[i % 2].PostAsync("/api/v1/auth/login",
                new StringContent("""{"username":"nobody","password":"wrong password"}""", System.Text.Encoding.UTF8, "application/json"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter is not null, "a 429 carries Retry-After");
            }
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await clients[0].PostAsync("/api/v1/auth/login",
            new StringContent("""{"username":"nobody","password":"wrong password"}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task With_presigned_downloads_the_tarball_is_a_redirect_to_the_store()
    {
        var name = TestPackages.UniquePackageName("presigned");
        var token = await TestPackages.RegisterAsync(backends.First, TestServices.UniqueName("pat"));
        var tarball = await TestPackages.TarballAsync(name, "1.0.0");
        await AssertCreated(await TestPackages.PublishAsync(backends.First, token, tarball));

        await using var redirecting = new RegistryInstance(RegistryInstance.ProductionSettings(backends.Database.ConnectionString, backends.Bucket,
            overrides: [("Synapse:Storage:PresignedDownloads", "true")]));
        using var client = redirecting.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync($"/api/v1/packages/{name}/1.0.0/tarball");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(TestServices.S3Url.ToString(), location.ToString(), StringComparison.Ordinal);
        using var direct = new HttpClient();
        Assert.Equal(tarball, await direct.GetByteArrayAsync(location));
    }

    [Fact]
    public async Task Instances_starting_together_on_a_new_database_migrate_it_once()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var settings = RegistryInstance.ProductionSettings(database.ConnectionString, backends.Bucket);
        var instances = Enumerable.Range(0, 3).Select(_ => new RegistryInstance(settings)).ToList();
        try
        {
            var clients = await Task.WhenAll(instances.Select(instance => Task.Run(() => instance.CreateClient())));
            foreach (var client in clients)
            {
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/health")).StatusCode);
            }
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Prometheus_metrics_count_requests_publishes_and_downloads()
    {
        var name = TestPackages.UniquePackageName("metered");
        var token = await TestPackages.RegisterAsync(backends.First, TestServices.UniqueName("max"));
        await AssertCreated(await TestPackages.PublishAsync(backends.First, token, await TestPackages.TarballAsync(name, "1.0.0")));
        Assert.Equal(HttpStatusCode.OK, (await backends.First.GetAsync($"/api/v1/packages/{name}/1.0.0/tarball")).StatusCode);

        await Eventually(async () =>
        {
            var metrics = await backends.First.GetStringAsync("/metrics");
            return Counter(metrics, "synapse_registry_publishes_total") >= 1 && Counter(metrics, "synapse_registry_downloads_total") >= 1 &&
                   metrics.Contains("http_server_request_duration_seconds_bucket", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10));
        var text = await backends.First.GetStringAsync("/metrics");
        Assert.Contains("http_route=\"/api/v1/packages/{name}/{version}/tarball\"", text, StringComparison.Ordinal);
    }

    private static double Counter(string metrics, string name) =>
        metrics.Split('\n').Where(line => line.StartsWith(name, StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.IndexOf("} ", StringComparison.Ordinal) + 2)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));

    internal static async Task AssertCreated(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

    internal static async Task Eventually(Func<Task<bool>> condition, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception e)
            {
                last = e;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The condition did not hold within {within.TotalSeconds} s.", last);
            }

            await Task.Delay(50);
        }
    }
}
