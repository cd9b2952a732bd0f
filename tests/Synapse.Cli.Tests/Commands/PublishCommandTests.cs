using System.Net;
using System.Security.Cryptography;
using Synapse.Cli.Tests.Support;

namespace Synapse.Cli.Tests.Commands;

public sealed class PublishCommandTests : IDisposable
{
    private const string Manifest = """
        [package]
        name = "http-client"
        version = "1.4.0"
        description = "An HTTP client"
        license = "MIT"
        """;

    private readonly CliHarness _cli = new();

    public PublishCommandTests()
    {
        _cli.WriteManifest(Manifest);
        File.WriteAllText(Path.Combine(_cli.Project, "main.syn"), "print(1)\n");
        Directory.CreateDirectory(Path.Combine(_cli.Project, "synapse_packages", "dep"));
        File.WriteAllText(Path.Combine(_cli.Project, "synapse_packages", "dep", "x.syn"), "left out\n");
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Pack_is_deterministic_and_reports_its_hash()
    {
        var first = await _cli.RunAsync("pkg", "pack", "--json", "--out", Path.Combine(_cli.Root, "one"));
        var second = await _cli.RunAsync("pkg", "pack", "--json", "--out", Path.Combine(_cli.Root, "two"));

        Assert.True(first.ExitCode == 0, first.ToString());
        var one = Path.Combine(_cli.Root, "one", "http-client-1.4.0.tgz");
        var two = Path.Combine(_cli.Root, "two", "http-client-1.4.0.tgz");
        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(two));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(one))), first.Json.GetProperty("sha256").GetString());
        var files = first.Json.GetProperty("files").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.Equal(["synapse.toml", "main.syn"], files);
        Assert.Equal(second.Json.GetProperty("sha256").GetString(), first.Json.GetProperty("sha256").GetString());
    }

    [Fact]
    public async Task Publish_uploads_the_tarball_with_its_sha256_and_the_token()
    {
        _cli.Variables["SYNAPSE_TOKEN"] = "syn_publisher";
        _cli.Registry.On(HttpMethod.Post, "/api/v1/packages", (_, _) => FakeRegistry.Json(
            """{"name":"http-client","version":"1.4.0","sha256":"x","size":1,"tarball_url":"/t"}""", HttpStatusCode.Created));

        var run = await _cli.RunAsync("pkg", "publish", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = _cli.Registry.Requests.Single();
        Assert.Equal("Bearer syn_publisher", request.Authorization);
        Assert.Equal("multipart/form-data", request.ContentType);
        var sha = run.Json.GetProperty("sha256").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", sha);
        Assert.Contains(sha, request.Body);
        Assert.Contains("filename=http-client-1.4.0.tgz", request.Body);
        Assert.True(run.Json.GetProperty("published").GetBoolean());
    }

    [Fact]
    public async Task Publish_shows_the_registry_problem_detail_on_conflict()
    {
        _cli.Variables["SYNAPSE_TOKEN"] = "syn_publisher";
        _cli.Registry.On(HttpMethod.Post, "/api/v1/packages", (_, _) =>
            FakeRegistry.Problem(HttpStatusCode.Conflict, "version_exists", "http-client 1.4.0 already exists; bump the version in synapse.toml."));

        var run = await _cli.RunAsync("pkg", "publish");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: http-client 1.4.0 already exists; bump the version in synapse.toml.", run.Stderr.Trim());
        Assert.Single(_cli.Registry.Requests);
    }

    [Fact]
    public async Task Publish_checks_the_manifest_locally_before_uploading()
    {
        _cli.Variables["SYNAPSE_TOKEN"] = "syn_publisher";
        _cli.WriteManifest("[package]\nname = \"http-client\"\nversion = \"1.4.0\"\n");

        var run = await _cli.RunAsync("pkg", "publish");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("synapse.toml", run.Stderr);
        Assert.Contains("license", run.Stderr);
        Assert.Empty(_cli.Registry.Requests);
    }

    [Fact]
    public async Task Publish_dry_run_needs_no_login_and_uploads_nothing()
    {
        var run = await _cli.RunAsync("pkg", "publish", "--dry-run");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Dry run: http-client@1.4.0 is ready to publish", run.Stdout);
        Assert.Empty(_cli.Registry.Requests);
    }

    [Fact]
    public async Task Publish_without_login_says_to_log_in()
    {
        var run = await _cli.RunAsync("pkg", "publish");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("synapse pkg login", run.Stderr);
        Assert.Empty(_cli.Registry.Requests);
    }

    [Fact]
    public async Task A_broken_manifest_names_file_line_and_key()
    {
        _cli.WriteManifest("[package]\nname = \"Bad Name\"\nversion = \"1.0\"\nlicense = \"MIT\"\n");

        var run = await _cli.RunAsync("pkg", "pack");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("synapse.toml:2: package.name:", run.Stderr);
        Assert.Contains("synapse.toml:3: package.version:", run.Stderr);
    }

    [Fact]
    public async Task Quiet_publish_prints_nothing_on_success()
    {
        _cli.Variables["SYNAPSE_TOKEN"] = "syn_publisher";
        _cli.Registry.On(HttpMethod.Post, "/api/v1/packages", (_, _) => FakeRegistry.Json(
            """{"name":"http-client","version":"1.4.0","sha256":"x","size":1,"tarball_url":"/t"}""", HttpStatusCode.Created));

        var run = await _cli.RunAsync("pkg", "publish", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stdout);
        Assert.Equal("", run.Stderr);
    }
}
