using System.Net;
using Synapse.Cli.Tests.Support;

namespace Synapse.Cli.Tests.Commands;

public sealed class GeneralCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("pkg", "frobnicate")]
    [InlineData("pkg", "yank")]
    [InlineData("pkg", "search", "x", "--page", "many")]
    [InlineData("pkg")]
    public async Task Usage_errors_exit_with_2(params string[] args)
    {
        var run = await _cli.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("error:", run.Stderr);
    }

    [Fact]
    public async Task An_unknown_verb_gets_one_error_naming_it()
    {
        var run = await _cli.RunAsync("pkg", "frobnicate");

        Assert.Equal(2, run.ExitCode);
        var errors = run.Stderr.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.Equal(["error: Unrecognized command or argument 'frobnicate'."], errors);
    }

    [Fact]
    public async Task An_invalid_registry_address_is_a_usage_error_naming_it()
    {
        var run = await _cli.RunAsync("pkg", "search", "json", "--registry", "ftp://nope");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("'ftp://nope' is not a registry address", run.Stderr);
    }

    [Fact]
    public async Task Global_options_are_accepted_before_and_after_the_verb()
    {
        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/search", """{"results":[],"total":0,"page":1,"per_page":20}""");

        var before = await _cli.RunAsync("--json", "pkg", "search", "json");
        var after = await _cli.RunAsync("pkg", "search", "json", "--json");

        Assert.Equal(0, before.ExitCode);
        Assert.Equal(before.Stdout, after.Stdout);
        Assert.Equal(0, before.Json.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Search_prints_plain_lines_when_not_on_a_terminal()
    {
        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/search",
            """{"results":[{"name":"json","version":"2.3.1","description":"JSON for Synapse","keywords":["json"],"downloads":42,"score":9.5}],"total":1,"page":1,"per_page":20}""");

        var run = await _cli.RunAsync("pkg", "search", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("json 2.3.1\tJSON for Synapse", run.Stdout);
        Assert.Contains("1 of 1 results", run.Stdout);
        Assert.Equal("/api/v1/search?q=json&page=1&per_page=20", _cli.Registry.Requests.Single().PathAndQuery);
    }

    [Fact]
    public async Task Search_draws_a_table_on_a_terminal()
    {
        _cli.Interactive = true;
        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/search",
            """{"results":[{"name":"json","version":"2.3.1","description":"JSON [fast]","keywords":[],"downloads":1234,"score":1}],"total":1,"page":1,"per_page":20}""");

        var run = await _cli.RunAsync("pkg", "search", "json");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Downloads", run.Stdout);
        Assert.Contains("│", run.Stdout);
        Assert.Contains("JSON [fast]", run.Stdout);
        Assert.Contains("1,234", run.Stdout);
    }

    [Fact]
    public async Task A_registry_5xx_is_one_line_saying_to_try_later()
    {
        _cli.Registry.On(HttpMethod.Get, "/api/v1/search", (_, _) => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        var run = await _cli.RunAsync("pkg", "search", "json");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("503", run.Stderr);
        Assert.Contains("Try again later", run.Stderr);
        Assert.Equal(4, _cli.Registry.Requests.Count);
    }

    [Fact]
    public async Task Json_errors_are_machine_readable_too()
    {
        _cli.Registry.On(HttpMethod.Get, "/api/v1/packages/ghost", (_, _) => FakeRegistry.Problem(HttpStatusCode.NotFound, "not_found", "Package 'ghost' does not exist."));

        var run = await _cli.RunAsync("pkg", "info", "ghost", "--json");

        Assert.Equal(1, run.ExitCode);
        var error = run.Json.GetProperty("error");
        Assert.Equal("not_found", error.GetProperty("code").GetString());
        Assert.Equal("Package 'ghost' does not exist.", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Yank_sends_the_reason_with_the_stored_token()
    {
        _cli.Variables["SYNAPSE_TOKEN"] = "syn_tok";
        _cli.Registry.On(HttpMethod.Put, "/api/v1/packages/json/1.0.0/yank", (_, _) => new HttpResponseMessage(HttpStatusCode.NoContent));

        var run = await _cli.RunAsync("pkg", "yank", "json@1.0.0", "--reason", "broken build");

        Assert.True(run.ExitCode == 0, run.ToString());
        var request = _cli.Registry.Requests.Single();
        Assert.Equal("Bearer syn_tok", request.Authorization);
        Assert.Contains("\"reason\":\"broken build\"", request.Body);
    }

    [Fact]
    public async Task Yank_without_a_version_is_a_usage_error()
    {
        _cli.Variables["SYNAPSE_TOKEN"] = "syn_tok";

        var run = await _cli.RunAsync("pkg", "yank", "json");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("NAME@VERSION", run.Stderr);
    }

    [Fact]
    public async Task Owner_remove_of_the_last_owner_shows_the_registry_conflict()
    {
        _cli.Variables["SYNAPSE_TOKEN"] = "syn_tok";
        _cli.Registry.On(HttpMethod.Delete, "/api/v1/packages/json/owners", (_, _) =>
            FakeRegistry.Problem(HttpStatusCode.Conflict, "last_owner", "The last owner of json cannot be removed; add another owner first."));

        var run = await _cli.RunAsync("pkg", "owner", "remove", "json", "ada");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("add another owner first", run.Stderr);
        Assert.Contains("\"users\":[\"ada\"]", _cli.Registry.Requests.Single().Body);
    }

    [Fact]
    public async Task Offline_refuses_commands_that_need_the_registry()
    {
        var run = await _cli.RunAsync("pkg", "search", "json", "--offline");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--offline", run.Stderr);
        Assert.Empty(_cli.Registry.Requests);
    }

    [Fact]
    public async Task Cache_dir_follows_XDG_CACHE_HOME_and_clean_empties_it()
    {
        Directory.CreateDirectory(Path.Combine(_cli.CacheDirectory, "tarballs"));
        File.WriteAllBytes(Path.Combine(_cli.CacheDirectory, "tarballs", "x.tgz"), new byte[10]);

        var dir = await _cli.RunAsync("pkg", "cache", "dir");
        var clean = await _cli.RunAsync("pkg", "cache", "clean", "--json");

        Assert.Equal(_cli.CacheDirectory, dir.Stdout.Trim());
        Assert.Equal(10, clean.Json.GetProperty("bytes_freed").GetInt64());
        Assert.False(Directory.Exists(_cli.CacheDirectory));
    }

    [Fact]
    public async Task Info_shows_the_latest_version_with_its_dependencies_and_checksum()
    {
        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/packages/json",
            """{"name":"json","description":"JSON for Synapse","latest_version":"2.3.1","license":"MIT","keywords":["json"],"owners":["ada"],"downloads":1200,"created_at":"2026-01-01T00:00:00Z","updated_at":"2026-02-01T00:00:00Z","versions":[{"version":"2.3.0","yanked":true,"published_at":"2026-01-01T00:00:00Z"},{"version":"2.3.1","yanked":false,"published_at":"2026-02-01T00:00:00Z"}]}""");
        _cli.Registry.OnJson(HttpMethod.Get, "/api/v1/packages/json/2.3.1",
            """{"name":"json","version":"2.3.1","license":"MIT","dependencies":{"utf8":"^1.0.0"},"sha256":"abc123","size":2048,"yanked":false,"published_at":"2026-02-01T00:00:00Z","published_by":"ada","tarball_url":"/t"}""");

        var run = await _cli.RunAsync("pkg", "info", "json");
        var json = await _cli.RunAsync("pkg", "info", "json", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("json 2.3.1\nJSON for Synapse\n", run.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains("  utf8 ^1.0.0", run.Stdout);
        Assert.Contains("checksum: sha256:abc123 (2,048 bytes)", run.Stdout);
        Assert.Contains("versions: 2.3.0 (yanked), 2.3.1", run.Stdout);
        Assert.Equal("^1.0.0", json.Json.GetProperty("version").GetProperty("dependencies").GetProperty("utf8").GetString());
        Assert.True(json.Json.GetProperty("versions")[0].GetProperty("yanked").GetBoolean());
    }
}
