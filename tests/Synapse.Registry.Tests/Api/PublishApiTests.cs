using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

public sealed class PublishApiTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly RegistryFactory _registry = fixture.Factory;

    [Fact]
    public async Task Publish_returns_201_with_the_version_document_and_the_blob_is_stored_under_its_hash()
    {
        var token = await _registry.RegisterAsync("pub-first");
        var tarball = TestPackages.Build("http-client", "1.4.0", "An HTTP client", ["http", "network"],
            new Dictionary<string, string> { ["json"] = "^2.1.0" }, readme: "# http-client\nHello");
        var response = await _registry.PublishAsync(token, tarball, TestPackages.Sha256(tarball));
        var json = await Expect.JsonAsync(response, 201);

        Assert.Equal("/api/v1/packages/http-client/1.4.0", response.Headers.Location?.ToString());
        Assert.Equal("http-client", json.GetProperty("name").GetString());
        Assert.Equal("1.4.0", json.GetProperty("version").GetString());
        Assert.Equal(TestPackages.Sha256(tarball), json.GetProperty("sha256").GetString());
        Assert.Equal(tarball.Length, json.GetProperty("size").GetInt64());
        // Ranges are kept as the author wrote them, so explanations and `info` quote "^2.1.0", not its desugaring.
        Assert.Equal("^2.1.0", json.GetProperty("dependencies").GetProperty("json").GetString());
        Assert.Equal("pub-first", json.GetProperty("published_by").GetString());
        Assert.Equal("# http-client\nHello", json.GetProperty("readme").GetString());
        Assert.False(json.GetProperty("yanked").GetBoolean());
        Assert.EndsWith("/api/v1/packages/http-client/1.4.0/tarball", json.GetProperty("tarball_url").GetString());

        var sha = TestPackages.Sha256(tarball);
        Assert.True(File.Exists(Path.Combine(_registry.Root, "packages", sha[..2], sha[2..4], sha)));
    }

    [Fact]
    public async Task Publish_without_a_client_hash_is_accepted_and_a_wrong_hash_is_checksum_mismatch()
    {
        var token = await _registry.RegisterAsync("pub-hash");
        var tarball = TestPackages.Build("hash-check", "1.0.0");
        await Expect.ProblemAsync(await _registry.PublishAsync(token, tarball, new string('0', 64)), 400, "checksum_mismatch");
        await Expect.ProblemAsync(await _registry.PublishAsync(token, tarball, "not-hex"), 400, "validation_failed");
        await Expect.StatusAsync(await _registry.PublishAsync(token, tarball), 201);
    }

    [Fact]
    public async Task Publish_needs_a_caller()
    {
        var tarball = TestPackages.Build("anon-pkg", "1.0.0");
        using var client = _registry.Client();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(tarball), "tarball", "a.tgz" } };
        await Expect.ProblemAsync(await client.PostAsync("/api/v1/packages", form), 401, "unauthorized");
    }

    [Fact]
    public async Task Publish_rejects_non_multipart_and_missing_tarball()
    {
        var token = await _registry.RegisterAsync("pub-shape");
        using var client = _registry.Client(token);
        await Expect.ProblemAsync(await client.PostAsync("/api/v1/packages", new StringContent("{}", Encoding.UTF8, "application/json")), 415, "unsupported_media_type");
        using var form = new MultipartFormDataContent { { new StringContent("abc"), "other" } };
        await Expect.ProblemAsync(await client.PostAsync("/api/v1/packages", form), 400, "missing_tarball");
    }

    [Fact]
    public async Task Garbage_and_hostile_archives_are_422_invalid_package_naming_the_entry()
    {
        var token = await _registry.RegisterAsync("pub-hostile");
        await Expect.ProblemAsync(await _registry.PublishAsync(token, Encoding.UTF8.GetBytes("not a tarball at all")), 422, "invalid_package");
        var traversal = TestPackages.Tgz([("synapse.toml", Encoding.UTF8.GetBytes("[package]\nname = \"evil\"\nversion = \"1.0.0\"\nlicense = \"MIT\"\n")), ("../escape.txt", [1])]);
        var problem = await Expect.ProblemAsync(await _registry.PublishAsync(token, traversal), 422, "invalid_package");
        Assert.Contains("escape.txt", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Manifest_problems_are_422_invalid_manifest()
    {
        var token = await _registry.RegisterAsync("pub-manifest");
        var noManifest = TestPackages.Tgz([("README.md", Encoding.UTF8.GetBytes("hi"))]);
        await Expect.ProblemAsync(await _registry.PublishAsync(token, noManifest), 422, "invalid_manifest");
        var badVersion = TestPackages.Tgz([("synapse.toml", Encoding.UTF8.GetBytes("[package]\nname = \"bad-version\"\nversion = \"1.0\"\nlicense = \"MIT\"\n"))]);
        await Expect.ProblemAsync(await _registry.PublishAsync(token, badVersion), 422, "invalid_manifest");
        var noLicense = TestPackages.Build("no-license", "1.0.0", license: "");
        var problem = await Expect.ProblemAsync(await _registry.PublishAsync(token, noLicense), 422, "invalid_manifest");
        Assert.Contains("license", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Reserved_names_are_refused()
    {
        var token = await _registry.RegisterAsync("pub-reserved");
        var response = await _registry.PublishAsync(token, TestPackages.Build("std", "1.0.0"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is 400 or 422, body);
        Assert.Contains("reserved", body);
    }

    [Fact]
    public async Task Too_large_uploads_are_413_payload_too_large()
    {
        using var factory = new RegistryFactory().With("Synapse:Limits:MaxTarballBytes", "2048");
        var token = await factory.RegisterAsync("pub-large");
        var big = TestPackages.Tgz([("synapse.toml", Encoding.UTF8.GetBytes("[package]\nname = \"big\"\nversion = \"1.0.0\"\nlicense = \"MIT\"\n")),
            ("blob.bin", System.Security.Cryptography.RandomNumberGenerator.GetBytes(8192))]);
        await Expect.ProblemAsync(await factory.PublishAsync(token, big), 413, "payload_too_large");
    }

    [Fact]
    public async Task A_version_is_immutable_including_build_metadata_duplicates()
    {
        var token = await _registry.RegisterAsync("pub-immutable");
        await _registry.PublishOkAsync(token, TestPackages.Build("immutable", "1.0.0"));
        await Expect.ProblemAsync(await _registry.PublishAsync(token, TestPackages.Build("immutable", "1.0.0", "changed")), 409, "version_exists");
        await Expect.ProblemAsync(await _registry.PublishAsync(token, TestPackages.Build("immutable", "1.0.0+build.5")), 409, "version_exists");
        await _registry.PublishOkAsync(token, TestPackages.Build("immutable", "1.0.1"));
    }

    [Fact]
    public async Task Canonical_name_collisions_are_name_taken_and_other_users_are_not_owner()
    {
        var alice = await _registry.RegisterAsync("pub-alice");
        var bob = await _registry.RegisterAsync("pub-bob");
        await _registry.PublishOkAsync(alice, TestPackages.Build("json-kit", "1.0.0"));
        await Expect.ProblemAsync(await _registry.PublishAsync(bob, TestPackages.Build("json_kit", "2.0.0")), 409, "name_taken");
        await Expect.ProblemAsync(await _registry.PublishAsync(alice, TestPackages.Build("json_kit", "2.0.0")), 409, "name_taken");
        await Expect.ProblemAsync(await _registry.PublishAsync(bob, TestPackages.Build("json-kit", "2.0.0")), 403, "not_owner");
    }

    [Fact]
    public async Task Failed_publish_leaves_no_blob_behind()
    {
        var alice = await _registry.RegisterAsync("pub-blob-a");
        var bob = await _registry.RegisterAsync("pub-blob-b");
        await _registry.PublishOkAsync(alice, TestPackages.Build("blob-owner", "1.0.0"));
        var attempt = TestPackages.Build("blob-owner", "1.1.0");
        await Expect.ProblemAsync(await _registry.PublishAsync(bob, attempt), 403, "not_owner");
        var sha = TestPackages.Sha256(attempt);
        Assert.False(File.Exists(Path.Combine(_registry.Root, "packages", sha[..2], sha[2..4], sha)));
    }

    [Fact]
    public async Task Fifty_concurrent_publishes_of_one_version_give_one_201_and_49_409_and_one_blob()
    {
        using var factory = new RegistryFactory();
        var token = await factory.RegisterAsync("racer");
        var tarball = TestPackages.Build("race-pkg", "1.0.0");
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => factory.PublishAsync(token, tarball)));
        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.Equal(1, statuses.Count(s => s == 201));
        Assert.Equal(49, statuses.Count(s => s == 409));
        var blobs = Directory.EnumerateFiles(Path.Combine(factory.Root, "packages"), "*", SearchOption.AllDirectories).ToList();
        Assert.Single(blobs);
    }
}
