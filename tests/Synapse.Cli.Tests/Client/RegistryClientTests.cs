using System.Net;
using System.Net.Http.Headers;
using Synapse.Cli.Tests.Support;
using Synapse.Protocol.Client;
using Synapse.Protocol.Contracts;

namespace Synapse.Cli.Tests.Client;

public sealed class RegistryClientTests
{
    private readonly FakeRegistry _registry = new();
    private readonly List<TimeSpan> _delays = [];

    private RegistryClient CreateClient(string? token = null) => new(
        new RegistryClientOptions
        {
            BaseAddress = new Uri("http://registry.test:5080"),
            Token = token,
            Delay = (delay, _) =>
            {
                _delays.Add(delay);
                return Task.CompletedTask;
            },
        },
        _registry);

    [Fact]
    public async Task Problem_details_become_a_registry_exception_with_detail_and_code()
    {
        _registry.On(HttpMethod.Post, "/api/v1/auth/login", (_, _) => FakeRegistry.Problem(HttpStatusCode.Unauthorized, "invalid_credentials", "Unknown user or wrong password."));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.LoginAsync("ada", "wrong-password"));

        Assert.Equal("Unknown user or wrong password.", ex.Message);
        Assert.Equal("invalid_credentials", ex.Code);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Single(_registry.Requests);
    }

    [Fact]
    public async Task Get_requests_are_retried_on_5xx_with_growing_backoff()
    {
        var calls = 0;
        _registry.On(HttpMethod.Get, "/api/v1/stats", (_, _) => ++calls < 3
            ? new HttpResponseMessage(HttpStatusCode.BadGateway)
            : FakeRegistry.Json("""{"packages":3,"versions":7,"users":2,"downloads":11}"""));
        using var client = CreateClient();

        var stats = await client.GetStatsAsync();

        Assert.Equal(3, stats.Packages);
        Assert.Equal(11, stats.Downloads);
        Assert.Equal(3, calls);
        Assert.Equal(2, _delays.Count);
        Assert.True(_delays[1] > _delays[0]);
    }

    [Fact]
    public async Task Non_idempotent_calls_are_not_retried_on_5xx_and_say_so_plainly()
    {
        _registry.On(HttpMethod.Post, "/api/v1/auth/register", (_, _) => new HttpResponseMessage(HttpStatusCode.InternalServerError));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.RegisterAsync("ada", "ada@example.org", "password1"));

        Assert.Single(_registry.Requests);
        Assert.Contains("500", ex.Message);
        Assert.Contains("Try again later", ex.Message);
    }

    [Fact]
    public async Task Rate_limited_calls_wait_for_retry_after_then_succeed()
    {
        var calls = 0;
        _registry.On(HttpMethod.Post, "/api/v1/auth/login", (_, _) =>
        {
            if (++calls == 1)
            {
                var limited = FakeRegistry.Problem(HttpStatusCode.TooManyRequests, "rate_limited", "Too many requests.");
                limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
                return limited;
            }
            return FakeRegistry.Json("""{"token":"jwt-token","expires_at":"2030-01-01T00:00:00Z"}""");
        });
        using var client = CreateClient();

        var result = await client.LoginAsync("ada", "password1");

        Assert.Equal("jwt-token", result.Token);
        Assert.Equal([TimeSpan.FromSeconds(7)], _delays);
    }

    [Fact]
    public async Task A_retry_after_beyond_the_limit_fails_naming_the_wait()
    {
        _registry.On(HttpMethod.Get, "/api/v1/search", (_, _) =>
        {
            var limited = FakeRegistry.Problem(HttpStatusCode.TooManyRequests, "rate_limited", "Too many requests.");
            limited.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(3600));
            return limited;
        });
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.SearchAsync("http"));

        Assert.Equal("rate_limited", ex.Code);
        Assert.Contains("3600 seconds", ex.Message);
        Assert.Empty(_delays);
    }

    [Fact]
    public async Task Versions_documents_revalidate_with_if_none_match_and_reuse_the_cached_body_on_304()
    {
        _registry.On(HttpMethod.Get, "/api/v1/packages/json/versions", (request, _) =>
        {
            if (request.Headers.IfNoneMatch.Any(t => t.Tag == "\"v1\""))
            {
                return new HttpResponseMessage(HttpStatusCode.NotModified);
            }
            var response = FakeRegistry.Json("""{"name":"json","versions":[{"version":"1.0.0","dependencies":{"utf8":"^1.0.0"},"sha256":"ab","yanked":false}]}""");
            response.Headers.ETag = new EntityTagHeaderValue("\"v1\"");
            return response;
        });
        using var client = CreateClient();

        var first = await client.GetVersionsAsync("json");
        var second = await client.GetVersionsAsync("json", first);

        Assert.False(first.NotModified);
        Assert.Equal("\"v1\"", first.ETag);
        Assert.Equal("^1.0.0", first.Value.Versions[0].Dependencies["utf8"]);
        Assert.True(second.NotModified);
        Assert.Same(first.Value, second.Value);
        Assert.Equal("\"v1\"", _registry.Requests.Last().IfNoneMatch);
    }

    [Fact]
    public async Task Unreachable_registry_is_reported_with_its_address_after_retries()
    {
        using var client = new RegistryClient(new RegistryClientOptions
        {
            BaseAddress = new Uri("http://127.0.0.1:1"),
            MaxRetries = 1,
            Delay = (_, _) => Task.CompletedTask,
        });

        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.GetStatsAsync());

        Assert.True(ex.IsUnreachable);
        Assert.Contains("http://127.0.0.1:1", ex.Message);
        Assert.Contains("--offline", ex.Message);
    }

    [Fact]
    public async Task Publish_sends_multipart_with_tarball_and_sha256_and_reports_progress()
    {
        _registry.On(HttpMethod.Post, "/api/v1/packages", (_, _) =>
            FakeRegistry.Json("""{"name":"json","version":"1.0.0","sha256":"abc","size":5,"tarball_url":"/api/v1/packages/json/1.0.0/tarball"}""", HttpStatusCode.Created));
        using var client = CreateClient("syn_token");
        var progress = new List<long>();
        using var tarball = new MemoryStream("hello"u8.ToArray());

        var published = await client.PublishAsync(tarball, "json-1.0.0.tgz", "abc", new SynchronousProgress(progress.Add));

        Assert.Equal("1.0.0", published.Version);
        var request = Assert.Single(_registry.Requests);
        Assert.Equal("multipart/form-data", request.ContentType);
        Assert.Contains("name=tarball", request.Body);
        Assert.Contains("name=sha256", request.Body);
        Assert.Contains("hello", request.Body);
        Assert.Equal("Bearer syn_token", request.Authorization);
        Assert.Equal(5, progress.Last());
    }

    [Fact]
    public async Task Tarball_download_streams_into_the_destination()
    {
        _registry.On(HttpMethod.Get, "/api/v1/packages/json/1.0.0/tarball", (_, _) =>
            new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 3, 4]) });
        using var client = CreateClient();
        using var destination = new MemoryStream();

        var written = await client.DownloadTarballAsync("json", "1.0.0", destination);

        Assert.Equal(4, written);
        Assert.Equal([1, 2, 3, 4], destination.ToArray());
    }

    [Fact]
    public async Task Non_json_answers_are_reported_as_unreadable_not_as_a_crash()
    {
        _registry.On(HttpMethod.Get, "/api/v1/packages/json", (_, _) =>
            new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy</html>") });
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.GetPackageAsync("json"));

        Assert.Equal("invalid_response", ex.Code);
    }

    [Fact]
    public async Task Health_returns_a_report_for_503_without_throwing()
    {
        _registry.OnJson(HttpMethod.Get, "/api/v1/health",
            """{"status":"unhealthy","database":{"status":"unhealthy","error":"connection refused","duration_ms":3.5},"storage":{"status":"healthy","duration_ms":1}}""",
            HttpStatusCode.ServiceUnavailable);
        using var client = CreateClient();

        var health = await client.GetHealthAsync();

        Assert.False(health.Healthy);
        Assert.Equal("unhealthy", health.Report!.Status);
        Assert.Equal("connection refused", health.Report.Database.Error);
    }

    [Fact]
    public async Task Tokens_are_created_listed_and_revoked_with_the_documented_shapes()
    {
        _registry.On(HttpMethod.Post, "/api/v1/tokens", (_, body) => FakeRegistry.Json(
            """{"id":"t1","name":"ci","token":"syn_secret","scopes":["publish"],"packages":["http-*"],"created_at":"2026-01-01T00:00:00Z"}""", HttpStatusCode.Created));
        _registry.OnJson(HttpMethod.Get, "/api/v1/tokens", """[{"id":"t1","name":"ci","scopes":["publish"],"created_at":"2026-01-01T00:00:00Z"}]""");
        _registry.On(HttpMethod.Delete, "/api/v1/tokens/t1", (_, _) => new HttpResponseMessage(HttpStatusCode.NoContent));
        using var client = CreateClient("jwt");

        var created = await client.CreateTokenAsync(new CreateTokenRequest { Name = "ci", Scopes = ["publish"], Packages = ["http-*"] });
        var listed = await client.ListTokensAsync();
        await client.RevokeTokenAsync("t1");

        Assert.Equal("syn_secret", created.Token);
        Assert.Null(Assert.Single(listed).Token);
        var requests = _registry.Requests.ToList();
        Assert.Equal("""{"name":"ci","scopes":["publish"],"packages":["http-*"]}""", requests[0].Body);
        Assert.Equal("/api/v1/tokens/t1", requests[2].PathAndQuery);
        Assert.All(requests, r => Assert.Equal("Bearer jwt", r.Authorization));
    }

    [Fact]
    public async Task Users_and_names_with_odd_characters_are_escaped_in_the_path()
    {
        _registry.OnJson(HttpMethod.Get, "/api/v1/users/ada", """{"username":"ada","created_at":"2026-01-01T00:00:00Z","packages":["json"]}""");
        using var client = CreateClient();

        var profile = await client.GetUserAsync("ada");
        await Assert.ThrowsAsync<RegistryException>(() => client.GetPackageAsync("a/b?c"));

        Assert.Equal(["json"], profile.Packages);
        Assert.Equal("/api/v1/packages/a%2Fb%3Fc", _registry.Requests.Last().PathAndQuery);
    }

    [Fact]
    public async Task Yank_unyank_and_owner_changes_use_the_documented_verbs_and_bodies()
    {
        _registry.On(HttpMethod.Put, "/api/v1/packages/json/1.0.0/yank", (_, _) => new HttpResponseMessage(HttpStatusCode.NoContent));
        _registry.On(HttpMethod.Delete, "/api/v1/packages/json/1.0.0/yank", (_, _) => new HttpResponseMessage(HttpStatusCode.NoContent));
        _registry.On(HttpMethod.Put, "/api/v1/packages/json/owners", (_, _) => FakeRegistry.Json("""{"users":["ada","grace"]}"""));
        _registry.On(HttpMethod.Delete, "/api/v1/packages/json/1.0.0", (_, _) => FakeRegistry.Problem(HttpStatusCode.Conflict, "has_dependents", "Other packages depend on json 1.0.0; yank it instead."));
        using var client = CreateClient("jwt");

        await client.YankAsync("json", "1.0.0", "broken");
        await client.UnyankAsync("json", "1.0.0");
        await client.AddOwnersAsync("json", ["grace"]);
        var delete = await Assert.ThrowsAsync<RegistryException>(() => client.DeleteVersionAsync("json", "1.0.0"));

        var requests = _registry.Requests.ToList();
        Assert.Equal("""{"reason":"broken"}""", requests[0].Body);
        Assert.Null(requests[1].Body);
        Assert.Equal("""{"users":["grace"]}""", requests[2].Body);
        Assert.Equal("has_dependents", delete.Code);
        Assert.Equal(HttpStatusCode.Conflict, delete.StatusCode);
        Assert.Equal(4, requests.Count);
    }

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
