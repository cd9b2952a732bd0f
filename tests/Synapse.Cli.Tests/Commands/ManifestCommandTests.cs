using System.Net;
using Synapse.Cli.Tests.Support;

namespace Synapse.Cli.Tests.Commands;

public sealed class ManifestCommandTests : IDisposable
{
    private const string Original = """
        # My package — hand-written
        [package]
        name    = "app"        # aligned on purpose
        version = "1.0.0"
        license = "MIT"

        [dependencies]
        # JSON support
        json = "^2.1.0"   # keep this comment
        http_client = '1.x'

        [dev-dependencies]
        test-kit = "~0.3"
        """;

    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string ManifestText => File.ReadAllText(Path.Combine(_cli.Project, "synapse.toml")).ReplaceLineEndings("\n");

    [Fact]
    public async Task Init_creates_a_manifest_named_after_the_directory_and_refuses_to_overwrite()
    {
        _cli.Project = Path.Combine(_cli.Root, "My_Lib");
        Directory.CreateDirectory(_cli.Project);

        var first = await _cli.RunAsync("pkg", "init");
        var second = await _cli.RunAsync("pkg", "init");

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("name = \"my_lib\"", ManifestText);
        Assert.Contains("[dependencies]", ManifestText);
        Assert.Equal(1, second.ExitCode);
        Assert.Contains("already exists", second.Stderr);
    }

    [Fact]
    public async Task Add_with_a_range_keeps_every_comment_and_the_layout()
    {
        _cli.WriteManifest(Original);

        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/packages/utf8/versions", Versions("utf8", "1.2.7"));

        var run = await _cli.RunAsync("pkg", "add", "utf8@~1.2");

        Assert.True(run.ExitCode == 0, run.ToString());
        var expected = Original.Replace("http_client = '1.x'\n", "http_client = '1.x'\nutf8 = \"~1.2\"\n");
        Assert.Equal(expected.ReplaceLineEndings("\n"), ManifestText.TrimEnd('\n'));
    }

    [Fact]
    public async Task Add_to_an_empty_table_puts_the_entry_under_its_header_and_keeps_the_blank_line_before_the_next()
    {
        _cli.WriteManifest("""
            [package]
            name = "app"
            version = "1.0.0"

            [dependencies]

            [dev-dependencies]
            """);

        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/packages/json/versions", Versions("json", "2.1.0"));

        var run = await _cli.RunAsync("pkg", "add", "json@^2.1.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("[dependencies]\njson = \"^2.1.0\"\n\n[dev-dependencies]", ManifestText);
    }

    [Fact]
    public async Task Add_changes_an_existing_range_in_place_keeping_its_trailing_comment()
    {
        _cli.WriteManifest(Original);

        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/packages/json/versions", Versions("json", "2.5.1"));

        var run = await _cli.RunAsync("pkg", "add", "json@^2.5.0", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("json = \"^2.5.0\"   # keep this comment", ManifestText);
        Assert.Equal("^2.1.0", run.Json.GetProperty("added")[0].GetProperty("previous").GetString());
    }

    [Fact]
    public async Task Add_without_a_range_writes_caret_latest_from_the_registry()
    {
        _cli.WriteManifest(Original);
        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/packages/yaml", """{"name":"yaml","latest_version":"3.4.5","versions":[]}""");

        var run = await _cli.RunAsync("pkg", "add", "yaml", "--dev");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("test-kit = \"~0.3\"\nyaml = \"^3.4.5\"", ManifestText);
    }

    [Fact]
    public async Task Add_creates_the_dependencies_table_when_missing()
    {
        _cli.WriteManifest("[package]\nname = \"app\"\nversion = \"1.0.0\"\n");

        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/packages/json/versions", Versions("json", "1.0.0"));

        var run = await _cli.RunAsync("pkg", "add", "json@^1.0.0");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("[package]\nname = \"app\"\nversion = \"1.0.0\"\n\n[dependencies]\njson = \"^1.0.0\"\n", ManifestText);
    }

    [Fact]
    public async Task Add_of_an_unknown_package_fails_and_leaves_the_file_alone()
    {
        _cli.WriteManifest(Original);
        _cli.Registry.On(HttpMethod.Get, "/api/v1/packages/ghost", (_, _) => FakeRegistry.Problem(HttpStatusCode.NotFound, "not_found", "Package 'ghost' was not found."));

        var run = await _cli.RunAsync("pkg", "add", "ghost");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("'ghost' was not found", run.Stderr);
        Assert.Equal(Original.ReplaceLineEndings("\n"), ManifestText);
    }

    [Fact]
    public async Task Add_with_an_invalid_name_or_range_is_a_usage_error()
    {
        _cli.WriteManifest(Original);

        var badName = await _cli.RunAsync("pkg", "add", "Bad.Name@1.0.0");
        var badRange = await _cli.RunAsync("pkg", "add", "json@not-a-range");

        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("not a valid package name", badName.Stderr);
        Assert.Equal(2, badRange.ExitCode);
        Assert.Contains("not a version range", badRange.Stderr);
    }

    [Fact]
    public async Task Remove_finds_either_spelling_and_keeps_the_rest()
    {
        _cli.WriteManifest(Original);

        var run = await _cli.RunAsync("pkg", "remove", "http-client");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("http_client", ManifestText);
        Assert.Contains("json = \"^2.1.0\"   # keep this comment", ManifestText);
        Assert.Contains("# JSON support", ManifestText);
    }

    [Fact]
    public async Task Remove_of_a_missing_dependency_fails_clearly()
    {
        _cli.WriteManifest(Original);

        var run = await _cli.RunAsync("pkg", "remove", "nothere");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("nothere is not a dependency", run.Stderr);
    }

    [Fact]
    public async Task A_manifest_with_broken_toml_is_reported_with_file_and_line()
    {
        _cli.WriteManifest("[package]\nname = \"app\"\nversion = \n");

        var run = await _cli.RunAsync("pkg", "add", "json@1.0.0");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("synapse.toml:3:", run.Stderr);
    }

    [Fact]
    public async Task Add_without_a_manifest_says_to_run_init()
    {
        var run = await _cli.RunAsync("pkg", "add", "json@1.0.0");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("synapse pkg init", run.Stderr);
    }

    private static string Versions(string name, params string[] versions) =>
        $$"""{"name":"{{name}}","versions":[{{string.Join(",", versions.Select(v => $$"""{"version":"{{v}}","dependencies":{},"sha256":"{{new string('a', 64)}}","yanked":false}"""))}}]}""";

    [Fact]
    public async Task Add_with_a_range_no_published_version_matches_fails_and_leaves_the_file_alone()
    {
        _cli.WriteManifest(Original);
        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/packages/json/versions",
            """{"name":"json","versions":[{"version":"2.1.0","dependencies":{},"sha256":"aa","yanked":false},{"version":"9.0.0","dependencies":{},"sha256":"bb","yanked":true}]}""");

        var run = await _cli.RunAsync("pkg", "add", "json@^9");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("No version of json matches ^9: its newest is 2.1.0", run.Stderr);
        Assert.Equal(Original.ReplaceLineEndings("\n"), ManifestText);
    }

    [Fact]
    public async Task Add_with_a_range_offline_writes_it_without_asking_the_registry()
    {
        _cli.WriteManifest(Original);

        var run = await _cli.RunAsync("pkg", "add", "json@^9", "--offline");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("json = \"^9\"   # keep this comment", ManifestText);
    }
}
