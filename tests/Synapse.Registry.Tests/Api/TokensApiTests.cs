using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

public sealed class TokensApiTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly RegistryFactory _registry = fixture.Factory;

    private async Task<JsonElement> CreateTokenAsync(string session, object request, int status = 201)
    {
        using var client = _registry.Client(session);
        return await Expect.JsonAsync(await client.PostAsJsonAsync("/api/v1/tokens", request), status);
    }

    [Fact]
    public async Task Create_shows_the_secret_once_and_list_never_does()
    {
        var session = await _registry.RegisterAsync("tok-list");
        var created = await CreateTokenAsync(session, new { name = "ci", scopes = new[] { "publish" }, packages = new[] { "http-*" } });
        var secret = created.GetProperty("token").GetString()!;
        Assert.Matches("^syn_[0-9A-Za-z]{40}$", secret);
        Assert.Equal(["publish"], created.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["http-*"], created.GetProperty("packages").EnumerateArray().Select(s => s.GetString()));

        using var client = _registry.Client(session);
        var listed = await Expect.JsonAsync(await client.GetAsync("/api/v1/tokens"));
        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal(created.GetProperty("id").GetString(), only.GetProperty("id").GetString());
        Assert.False(only.TryGetProperty("token", out _));
        Assert.DoesNotContain(secret, listed.ToString());

        using var scope = _registry.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Synapse.Registry.Data.RegistryDbContext>();
        Assert.DoesNotContain(db.ApiTokens.ToList(), t => t.TokenHash.Contains(secret[4..], StringComparison.Ordinal));
    }

    [Fact]
    public async Task Api_token_authenticates_and_verify_reports_its_scopes()
    {
        var session = await _registry.RegisterAsync("tok-verify");
        var created = await CreateTokenAsync(session, new { name = "yanker", scopes = new[] { "yank", "owners" } });
        using var client = _registry.Client(created.GetProperty("token").GetString());
        var verify = await Expect.JsonAsync(await client.PostAsync("/api/v1/auth/verify", null));
        Assert.Equal("tok-verify", verify.GetProperty("username").GetString());
        Assert.Equal(["yank", "owners"], verify.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task A_token_cannot_create_list_or_revoke_tokens()
    {
        var session = await _registry.RegisterAsync("tok-nocreate");
        var token = (await CreateTokenAsync(session, new { name = "full", scopes = new[] { "publish", "yank", "owners" } })).GetProperty("token").GetString();
        using var client = _registry.Client(token);
        await Expect.ProblemAsync(await client.PostAsJsonAsync("/api/v1/tokens", new { name = "escalate", scopes = new[] { "publish" } }), 403, "session_required");
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/tokens"), 403, "session_required");
    }

    [Fact]
    public async Task Scopes_and_package_patterns_limit_what_a_token_may_do()
    {
        var session = await _registry.RegisterAsync("tok-scope");
        var publishHttp = (await CreateTokenAsync(session, new { name = "http only", scopes = new[] { "publish" }, packages = new[] { "http-*" } })).GetProperty("token").GetString()!;
        var yankOnly = (await CreateTokenAsync(session, new { name = "yank only", scopes = new[] { "yank" } })).GetProperty("token").GetString()!;

        await _registry.PublishOkAsync(publishHttp, TestPackages.Build("http-scoped", "1.0.0"));
        await Expect.ProblemAsync(await _registry.PublishAsync(publishHttp, TestPackages.Build("other-scoped", "1.0.0")), 403, "insufficient_scope");
        await Expect.ProblemAsync(await _registry.PublishAsync(yankOnly, TestPackages.Build("http-scoped", "1.1.0")), 403, "insufficient_scope");

        using var publisher = _registry.Client(publishHttp);
        await Expect.ProblemAsync(await publisher.PutAsync("/api/v1/packages/http-scoped/1.0.0/yank", null), 403, "insufficient_scope");
        using var yanker = _registry.Client(yankOnly);
        await Expect.StatusAsync(await yanker.PutAsync("/api/v1/packages/http-scoped/1.0.0/yank", null), 200);
        await Expect.ProblemAsync(await yanker.PutAsJsonAsync("/api/v1/packages/http-scoped/owners", new { users = new[] { "tok-scope" } }), 403, "insufficient_scope");
    }

    [Fact]
    public async Task A_token_never_grants_more_than_its_user_has()
    {
        var owner = await _registry.RegisterAsync("tok-owner");
        var other = await _registry.RegisterAsync("tok-other");
        await _registry.PublishOkAsync(owner, TestPackages.Build("owned-by-one", "1.0.0"));
        var otherToken = (await CreateTokenAsync(other, new { name = "all", scopes = new[] { "publish", "yank", "owners" } })).GetProperty("token").GetString()!;
        await Expect.ProblemAsync(await _registry.PublishAsync(otherToken, TestPackages.Build("owned-by-one", "1.1.0")), 403, "not_owner");
        using var client = _registry.Client(otherToken);
        await Expect.ProblemAsync(await client.PutAsync("/api/v1/packages/owned-by-one/1.0.0/yank", null), 403, "not_owner");
    }

    [Fact]
    public async Task Expired_and_revoked_tokens_stop_working()
    {
        using var factory = new RegistryFactory();
        var session = await factory.RegisterAsync("tok-expire");
        using var sessionClient = factory.Client(session);
        var expiring = await Expect.JsonAsync(await sessionClient.PostAsJsonAsync("/api/v1/tokens",
            new { name = "short", scopes = new[] { "publish" }, expires_at = factory.Clock.GetUtcNow().AddHours(1) }), 201);
        var revoked = await Expect.JsonAsync(await sessionClient.PostAsJsonAsync("/api/v1/tokens", new { name = "revoke me", scopes = new[] { "publish" } }), 201);

        using var expiringClient = factory.Client(expiring.GetProperty("token").GetString());
        await Expect.StatusAsync(await expiringClient.PostAsync("/api/v1/auth/verify", null), 200);
        factory.Clock.Advance(TimeSpan.FromHours(2));
        await Expect.ProblemAsync(await expiringClient.PostAsync("/api/v1/auth/verify", null), 401, "unauthorized");

        await Expect.StatusAsync(await sessionClient.DeleteAsync($"/api/v1/tokens/{revoked.GetProperty("id").GetString()}"), 204);
        using var revokedClient = factory.Client(revoked.GetProperty("token").GetString());
        await Expect.ProblemAsync(await revokedClient.PostAsync("/api/v1/auth/verify", null), 401, "unauthorized");
        await Expect.ProblemAsync(await sessionClient.DeleteAsync($"/api/v1/tokens/{revoked.GetProperty("id").GetString()}"), 404, "token_not_found");
    }

    [Fact]
    public async Task Another_users_token_id_cannot_be_revoked()
    {
        var alice = await _registry.RegisterAsync("tok-alice");
        var mallory = await _registry.RegisterAsync("tok-mallory");
        var created = await CreateTokenAsync(alice, new { name = "mine", scopes = new[] { "publish" } });
        using var client = _registry.Client(mallory);
        await Expect.ProblemAsync(await client.DeleteAsync($"/api/v1/tokens/{created.GetProperty("id").GetString()}"), 404, "token_not_found");
    }

    [Theory]
    [InlineData("{\"name\":\"\",\"scopes\":[\"publish\"]}", "name")]
    [InlineData("{\"name\":\"x\",\"scopes\":[]}", "scopes")]
    [InlineData("{\"name\":\"x\",\"scopes\":[\"admin\"]}", "scopes")]
    [InlineData("{\"name\":\"x\",\"scopes\":[\"publish\"],\"packages\":[\"../x\"]}", "packages")]
    [InlineData("{\"name\":\"x\",\"scopes\":[\"publish\"],\"packages\":[]}", "packages")]
    [InlineData("{\"name\":\"x\",\"scopes\":[\"publish\"],\"expires_at\":\"2001-01-01T00:00:00Z\"}", "expires_at")]
    public async Task Invalid_token_requests_are_400_with_field_errors(string body, string field)
    {
        var session = await _registry.RegisterAsync("tok-invalid-" + Math.Abs(body.GetHashCode(StringComparison.Ordinal)) % 100000);
        using var client = _registry.Client(session);
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        var problem = await Expect.ProblemAsync(await client.PostAsync("/api/v1/tokens", content), 400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
