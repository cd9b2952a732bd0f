using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

public sealed class DiscoveryApiTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly RegistryFactory _registry = fixture.Factory;

    [Fact]
    public async Task Package_document_lists_versions_owners_and_the_highest_non_yanked_release_as_latest()
    {
        var token = await _registry.RegisterAsync("disc-owner");
        await _registry.PublishOkAsync(token, TestPackages.Build("net_tools", "1.0.0", "First"));
        await _registry.PublishOkAsync(token, TestPackages.Build("net_tools", "1.2.0", "Second", ["net"]));
        await _registry.PublishOkAsync(token, TestPackages.Build("net_tools", "2.0.0-beta.1", "Beta"));
        await _registry.PublishOkAsync(token, TestPackages.Build("net_tools", "1.10.0", "Tenth", ["net", "tools"]));

        using var client = _registry.Client();
        var json = await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/net-tools"));
        Assert.Equal("net_tools", json.GetProperty("name").GetString());
        Assert.Equal("1.10.0", json.GetProperty("latest_version").GetString());
        Assert.Equal("Tenth", json.GetProperty("description").GetString());
        Assert.Equal(["net", "tools"], json.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal("MIT", json.GetProperty("license").GetString());
        Assert.Equal(["disc-owner"], json.GetProperty("owners").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(["2.0.0-beta.1", "1.10.0", "1.2.0", "1.0.0"], json.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetString()));
        Assert.Equal(0, json.GetProperty("downloads").GetInt64());
        Assert.True(json.TryGetProperty("created_at", out _));
        Assert.True(json.TryGetProperty("updated_at", out _));

        using var authed = _registry.Client(token);
        await Expect.StatusAsync(await authed.PutAsJsonAsync("/api/v1/packages/net_tools/1.10.0/yank", new { reason = "broken" }), 200);
        json = await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/net_tools"));
        Assert.Equal("1.2.0", json.GetProperty("latest_version").GetString());
    }

    [Fact]
    public async Task Latest_falls_back_to_a_prerelease_only_when_there_is_no_release()
    {
        var token = await _registry.RegisterAsync("disc-pre");
        await _registry.PublishOkAsync(token, TestPackages.Build("only-pre", "0.1.0-alpha"));
        using var client = _registry.Client();
        var json = await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/only-pre"));
        Assert.Equal("0.1.0-alpha", json.GetProperty("latest_version").GetString());
    }

    [Fact]
    public async Task Version_document_has_every_field_and_either_spelling_finds_it()
    {
        var token = await _registry.RegisterAsync("disc-version");
        await _registry.PublishOkAsync(token, TestPackages.Build("spell-me", "3.1.4+build.9", "Pi", readme: "Read me"));
        using var client = _registry.Client();
        var json = await Expect.JsonAsync(await client.GetAsync("/api/v1/packages/spell_me/3.1.4"));
        Assert.Equal("spell-me", json.GetProperty("name").GetString());
        Assert.Equal("3.1.4+build.9", json.GetProperty("version").GetString());
        Assert.Equal("Read me", json.GetProperty("readme").GetString());
        foreach (var field in new[] { "dependencies", "dev_dependencies", "sha256", "size", "yanked", "published_at", "published_by", "tarball_url" })
        {
            Assert.True(json.TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task Unknown_packages_and_versions_are_404_and_bad_versions_400()
    {
        var token = await _registry.RegisterAsync("disc-404");
        await _registry.PublishOkAsync(token, TestPackages.Build("exists", "1.0.0"));
        using var client = _registry.Client();
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/nope"), 404, "package_not_found");
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/nope/versions"), 404, "package_not_found");
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/exists/9.9.9"), 404, "version_not_found");
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/exists/1.0"), 400, "invalid_version");
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/exists/1.0.0/nothing-here"), 404, "not_found");
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/packages/%2e%2e%2fetc/1.0.0"), 404, "package_not_found");
    }

    [Fact]
    public async Task Versions_document_has_all_a_resolver_needs_with_etag_and_304()
    {
        var token = await _registry.RegisterAsync("disc-etag");
        var first = await _registry.PublishOkAsync(token, TestPackages.Build("etag-pkg", "1.0.0"));
        using var client = _registry.Client();
        var response = await client.GetAsync("/api/v1/packages/etag-pkg/versions");
        var json = await Expect.JsonAsync(response);
        var entry = Assert.Single(json.GetProperty("versions").EnumerateArray());
        Assert.Equal("1.0.0", entry.GetProperty("version").GetString());
        Assert.Equal(first.Sha256, entry.GetProperty("sha256").GetString());
        Assert.False(entry.GetProperty("yanked").GetBoolean());
        Assert.Empty(entry.GetProperty("dependencies").EnumerateObject());

        var etag = response.Headers.ETag!;
        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v1/packages/etag-pkg/versions");
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal(etag, notModified.Headers.ETag);

        await _registry.PublishOkAsync(token, TestPackages.Build("etag-pkg", "1.1.0"));
        using var again = new HttpRequestMessage(HttpMethod.Get, "/api/v1/packages/etag-pkg/versions");
        again.Headers.IfNoneMatch.Add(etag);
        var changed = await client.SendAsync(again);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
    }

    [Theory]
    [InlineData("/api/v1/packages/etag-doc")]
    [InlineData("/api/v1/packages/etag-doc/1.0.0")]
    public async Task Package_and_version_documents_answer_if_none_match_with_304(string path)
    {
        await _registry.EnsureUserAsync("disc-etag2");
        using var login = _registry.Client();
        var auth = await Expect.JsonAsync(await login.PostAsJsonAsync("/api/v1/auth/login", new { username = "disc-etag2", password = "correct horse battery" }));
        var publish = await _registry.PublishAsync(auth.GetProperty("token").GetString()!, TestPackages.Build("etag-doc", "1.0.0"));
        Assert.True((int)publish.StatusCode is 201 or 409);
        using var client = _registry.Client();
        var response = await client.GetAsync(path);
        await Expect.StatusAsync(response, 200);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        using var star = new HttpRequestMessage(HttpMethod.Get, path);
        star.Headers.TryAddWithoutValidation("If-None-Match", "*");
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(star)).StatusCode);
        using var other = new HttpRequestMessage(HttpMethod.Get, path);
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(other)).StatusCode);
    }

    [Fact]
    public async Task Unknown_routes_are_problem_documents()
    {
        using var client = _registry.Client();
        await Expect.ProblemAsync(await client.GetAsync("/api/v1/nothing"), 404, "not_found");
        await Expect.ProblemAsync(await client.PatchAsync("/api/v1/stats", null), 405, "method_not_allowed");
    }

    [Fact]
    public async Task OpenApi_document_is_served()
    {
        using var client = _registry.Client();
        var json = await Expect.JsonAsync(await client.GetAsync("/openapi/v1.json"));
        Assert.True(json.GetProperty("paths").TryGetProperty("/api/v1/packages/{name}", out _));
    }
}
