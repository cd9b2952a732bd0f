using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

public sealed class ManagementApiTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly RegistryFactory _registry = fixture.Factory;

    [Fact]
    public async Task Yank_with_reason_then_unyank()
    {
        var token = await _registry.RegisterAsync("mgmt-yank");
        await _registry.PublishOkAsync(token, TestPackages.Build("yankee", "1.0.0"));
        using var client = _registry.Client(token);
        var yanked = await Expect.JsonAsync(await client.PutAsJsonAsync("/api/v1/packages/yankee/1.0.0/yank", new { reason = "security hole" }));
        Assert.True(yanked.GetProperty("yanked").GetBoolean());
        Assert.Equal("security hole", yanked.GetProperty("yanked_reason").GetString());
        var versions = await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/yankee/versions"));
        Assert.True(versions.GetProperty("versions")[0].GetProperty("yanked").GetBoolean());
        var package = await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/yankee"));
        Assert.False(package.TryGetProperty("latest_version", out _));

        var unyanked = await Expect.JsonAsync(await client.DeleteAsync("/api/v1/packages/yankee/1.0.0/yank"));
        Assert.False(unyanked.GetProperty("yanked").GetBoolean());
        Assert.False(unyanked.TryGetProperty("yanked_reason", out _));
    }

    [Fact]
    public async Task Only_owners_may_yank_delete_or_change_owners()
    {
        var owner = await _registry.RegisterAsync("mgmt-owner");
        var stranger = await _registry.RegisterAsync("mgmt-stranger");
        await _registry.PublishOkAsync(owner, TestPackages.Build("guarded", "1.0.0"));
        using var client = _registry.Client(stranger);
        await Expect.ProblemAsync(await client.PutAsync("/api/v1/packages/guarded/1.0.0/yank", null), 403, "not_owner");
        await Expect.ProblemAsync(await client.DeleteAsync("/api/v1/packages/guarded/1.0.0"), 403, "not_owner");
        await Expect.ProblemAsync(await client.PutAsJsonAsync("/api/v1/packages/guarded/owners", new { users = new[] { "mgmt-stranger" } }), 403, "not_owner");
        using var anonymous = _registry.Client();
        await Expect.ProblemAsync(await anonymous.PutAsync("/api/v1/packages/guarded/1.0.0/yank", null), 401, "unauthorized");
    }

    [Fact]
    public async Task Delete_is_allowed_within_72_hours_and_the_number_stays_taken()
    {
        using var factory = new RegistryFactory();
        var token = await factory.RegisterAsync("mgmt-delete");
        await factory.PublishOkAsync(token, TestPackages.Build("deletable", "1.0.0"));
        await factory.PublishOkAsync(token, TestPackages.Build("deletable", "1.1.0"));
        factory.Clock.Advance(TimeSpan.FromHours(71));
        using var client = factory.Client(token);
        await Expect.StatusAsync(await client.DeleteAsync("/api/v1/packages/deletable/1.1.0"), 204);
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/deletable/1.1.0"), 404, "version_not_found");
        var package = await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/deletable"));
        Assert.Equal(["1.0.0"], package.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        await Expect.ProblemAsync(await factory.PublishAsync(token, TestPackages.Build("deletable", "1.1.0")), 409, "version_exists");

        factory.Clock.Advance(TimeSpan.FromHours(2));
        var problem = await Expect.ProblemAsync(await client.DeleteAsync("/api/v1/packages/deletable/1.0.0"), 409, "delete_not_allowed");
        Assert.Contains("yank", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Delete_is_refused_when_another_package_depends_on_the_version()
    {
        var token = await _registry.RegisterAsync("mgmt-deps");
        await _registry.PublishOkAsync(token, TestPackages.Build("base-lib", "1.2.0"));
        await _registry.PublishOkAsync(token, TestPackages.Build("base-lib", "2.0.0"));
        await _registry.PublishOkAsync(token, TestPackages.Build("app-one", "1.0.0", dependencies: new Dictionary<string, string> { ["base_lib"] = "^1.0.0" }));
        using var client = _registry.Client(token);
        var problem = await Expect.ProblemAsync(await client.DeleteAsync("/api/v1/packages/base-lib/1.2.0"), 409, "delete_not_allowed");
        Assert.Contains("app-one", problem.GetProperty("detail").GetString());
        await Expect.StatusAsync(await client.DeleteAsync("/api/v1/packages/base-lib/2.0.0"), 204);
    }

    [Fact]
    public async Task Owners_can_be_listed_added_and_removed_but_not_the_last_one()
    {
        var first = await _registry.RegisterAsync("own-first");
        var second = await _registry.RegisterAsync("own-second");
        await _registry.PublishOkAsync(first, TestPackages.Build("shared-pkg", "1.0.0"));
        using var client = _registry.Client(first);
        var added = await Expect.JsonAsync(await client.PutAsJsonAsync("/api/v1/packages/shared-pkg/owners", new { users = new[] { "OWN-SECOND" } }));
        Assert.Equal(["own-first", "own-second"], added.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        await Expect.ProblemAsync(await client.PutAsJsonAsync("/api/v1/packages/shared-pkg/owners", new { users = new[] { "ghost-user" } }), 404, "user_not_found");
        await Expect.ProblemAsync(await client.PutAsJsonAsync("/api/v1/packages/shared-pkg/owners", new { users = Array.Empty<string>() }), 400, "validation_failed");

        await _registry.PublishOkAsync(second, TestPackages.Build("shared-pkg", "1.1.0"));

        using var removeRequest = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/packages/shared-pkg/owners") { Content = JsonContent.Create(new { users = new[] { "own-first" } }) };
        var removed = await Expect.JsonAsync(await client.SendAsync(removeRequest));
        Assert.Equal(["own-second"], removed.GetProperty("users").EnumerateArray().Select(u => u.GetString()));

        using var secondClient = _registry.Client(second);
        using var removeLast = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/packages/shared-pkg/owners") { Content = JsonContent.Create(new { users = new[] { "own-second" } }) };
        await Expect.ProblemAsync(await secondClient.SendAsync(removeLast), 409, "last_owner");

        using var anonymous = _registry.Client();
        var listed = await Expect.JsonAsync(await anonymous.GetAsync("/api/v1/packages/shared-pkg/owners"));
        Assert.Equal(["own-second"], listed.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task User_profile_lists_owned_packages()
    {
        var token = await _registry.RegisterAsync("profile-user");
        await _registry.PublishOkAsync(token, TestPackages.Build("profile-b", "1.0.0"));
        await _registry.PublishOkAsync(token, TestPackages.Build("profile-a", "1.0.0"));
        using var client = _registry.Client();
        var json = await Expect.JsonAsync(await client.GetAsync("/api/v1/users/Profile-User"));
        Assert.Equal("profile-user", json.GetProperty("username").GetString());
        Assert.Equal(["profile-a", "profile-b"], json.GetProperty("packages").EnumerateArray().Select(p => p.GetString()));
        Assert.False(json.TryGetProperty("email", out _));
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/users/no-such-user"), 404, "user_not_found");
    }

    [Fact]
    public async Task Stats_count_everything_and_list_recent_publishes()
    {
        using var factory = new RegistryFactory();
        var token = await factory.RegisterAsync("stats-user");
        await factory.PublishOkAsync(token, TestPackages.Build("stat-a", "1.0.0"));
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await factory.PublishOkAsync(token, TestPackages.Build("stat-b", "1.0.0"));
        factory.Clock.Advance(TimeSpan.FromMinutes(1));
        await factory.PublishOkAsync(token, TestPackages.Build("stat-b", "1.1.0"));
        using var client = factory.Client();
        var json = await Expect.JsonAsync(await client.GetAsync("/api/v1/stats"));
        Assert.Equal(2, json.GetProperty("packages").GetInt64());
        Assert.Equal(3, json.GetProperty("versions").GetInt64());
        Assert.Equal(1, json.GetProperty("users").GetInt64());
        Assert.Equal(0, json.GetProperty("downloads").GetInt64());
        var recent = json.GetProperty("recently_published").EnumerateArray().Select(r => $"{r.GetProperty("name").GetString()} {r.GetProperty("version").GetString()}").ToList();
        Assert.Equal(["stat-b 1.1.0", "stat-b 1.0.0", "stat-a 1.0.0"], recent);
    }

    [Fact]
    public async Task Changes_are_written_to_the_audit_log()
    {
        using var factory = new RegistryFactory();
        var token = await factory.RegisterAsync("auditor");
        await factory.RegisterAsync("audited-friend");
        await factory.PublishOkAsync(token, TestPackages.Build("audited", "1.0.0"));
        using var client = factory.Client(token);
        await Expect.StatusAsync(await client.PutAsync("/api/v1/packages/audited/1.0.0/yank", null), 200);
        await Expect.StatusAsync(await client.DeleteAsync("/api/v1/packages/audited/1.0.0/yank"), 200);
        await Expect.StatusAsync(await client.PutAsJsonAsync("/api/v1/packages/audited/owners", new { users = new[] { "audited-friend" } }), 200);
        await Expect.StatusAsync(await client.DeleteAsync("/api/v1/packages/audited/1.0.0"), 204);
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Synapse.Registry.Data.RegistryDbContext>();
        var actions = db.AuditLog.OrderBy(e => e.Id).Select(e => e.Action).ToList();
        Assert.Equal(["publish", "yank", "unyank", "owner_add", "delete"], actions);
        Assert.All(db.AuditLog.ToList(), e => Assert.Equal("auditor", e.Username));
    }
}
