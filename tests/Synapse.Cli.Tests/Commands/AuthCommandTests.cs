using System.Net;
using Synapse.Cli.Tests.Support;

namespace Synapse.Cli.Tests.Commands;

public sealed class AuthCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    private string CredentialsPath => Path.Combine(_cli.ConfigDirectory, "credentials.toml");

    [Fact]
    public async Task Login_with_password_from_stdin_stores_the_token_in_a_private_file()
    {
        _cli.Registry.On(HttpMethod.Post, "/api/v1/auth/login", (_, body) =>
            body!.Contains("\"password\":\"correct-horse\"") && body.Contains("\"username\":\"ada\"")
                ? FakeRegistry.Json("""{"token":"jwt-abc","expires_at":"2030-01-01T00:00:00Z"}""")
                : FakeRegistry.Problem(HttpStatusCode.Unauthorized, "invalid_credentials", "Wrong username or password."));
        _cli.Stdin = "correct-horse\n";

        var run = await _cli.RunAsync("pkg", "login", "--username", "ada", "--password-stdin");

        Assert.True(run.ExitCode == 0, run.ToString());
        var text = File.ReadAllText(CredentialsPath);
        Assert.Contains("[registries.\"http://localhost:5080\"]", text);
        Assert.Contains("token = \"jwt-abc\"", text);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(CredentialsPath));
        }
        Assert.Contains("as ada", run.Stdout);
    }

    [Fact]
    public async Task Login_with_a_wrong_password_fails_with_the_registry_detail_in_one_line()
    {
        _cli.Registry.On(HttpMethod.Post, "/api/v1/auth/login", (_, _) =>
            FakeRegistry.Problem(HttpStatusCode.Unauthorized, "invalid_credentials", "Wrong username or password."));
        _cli.Stdin = "nope-nope\n";

        var run = await _cli.RunAsync("pkg", "login", "-u", "ada", "--password-stdin");

        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("error: Wrong username or password", run.Stderr);
        Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.False(File.Exists(CredentialsPath));
    }

    [Fact]
    public async Task Login_without_a_terminal_or_inputs_is_a_usage_error()
    {
        var run = await _cli.RunAsync("pkg", "login");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--token", run.Stderr);
    }

    [Fact]
    public async Task Tokens_are_kept_per_registry_and_logout_removes_only_one()
    {
        _cli.Registry.OnJson(HttpMethod.Post, "/api/v1/auth/verify", """{"valid":true,"username":"ada","scopes":["publish"]}""");

        Assert.Equal(0, (await _cli.RunAsync("pkg", "login", "--token", "syn_one")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("pkg", "login", "--token", "syn_two", "--registry", "http://other.test:9000/")).ExitCode);
        var logout = await _cli.RunAsync("pkg", "logout", "--json");

        Assert.Equal(0, logout.ExitCode);
        Assert.True(logout.Json.GetProperty("logged_out").GetBoolean());
        var text = File.ReadAllText(CredentialsPath);
        Assert.DoesNotContain("syn_one", text);
        Assert.Contains("[registries.\"http://other.test:9000\"]", text);
        Assert.Contains("syn_two", text);
    }

    [Fact]
    public async Task Whoami_uses_SYNAPSE_TOKEN_over_the_stored_token()
    {
        _cli.Registry.On(HttpMethod.Post, "/api/v1/auth/verify", (request, _) =>
            request.Headers.Authorization?.Parameter == "syn_env"
                ? FakeRegistry.Json("""{"valid":true,"username":"grace","expires_at":null,"scopes":["publish","yank"]}""")
                : FakeRegistry.Problem(HttpStatusCode.Unauthorized, "invalid_token", "The token is invalid or expired."));
        _cli.Variables["SYNAPSE_TOKEN"] = "syn_env";

        var run = await _cli.RunAsync("pkg", "whoami", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("grace", run.Json.GetProperty("username").GetString());
        Assert.Equal("SYNAPSE_TOKEN", run.Json.GetProperty("token_source").GetString());
        Assert.Equal(2, run.Json.GetProperty("scopes").GetArrayLength());
    }

    [Fact]
    public async Task Whoami_with_an_expired_token_says_to_log_in_again()
    {
        _cli.Registry.On(HttpMethod.Post, "/api/v1/auth/verify", (_, _) =>
            FakeRegistry.Problem(HttpStatusCode.Unauthorized, "invalid_token", "The token has expired."));
        _cli.Variables["SYNAPSE_TOKEN"] = "syn_old";

        var run = await _cli.RunAsync("pkg", "whoami");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("The token has expired", run.Stderr);
        Assert.Contains("synapse pkg login", run.Stderr);
    }

    [Fact]
    public async Task Whoami_when_not_logged_in_says_how_to_log_in_without_calling_the_registry()
    {
        var run = await _cli.RunAsync("pkg", "whoami");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("not logged in", run.Stderr);
        Assert.Empty(_cli.Registry.Requests);
    }

    [Fact]
    public async Task Login_on_a_terminal_prompts_for_username_and_a_hidden_password()
    {
        _cli.Interactive = true;
        _cli.TypedLines.AddRange(["grace", "s3cret-pass"]);
        _cli.Registry.On(HttpMethod.Post, "/api/v1/auth/login", (_, body) =>
            body!.Contains("\"username\":\"grace\"") && body.Contains("\"password\":\"s3cret-pass\"")
                ? FakeRegistry.Json("""{"token":"jwt-grace","expires_at":"2030-01-01T00:00:00Z"}""")
                : FakeRegistry.Problem(HttpStatusCode.Unauthorized, "invalid_credentials", "Wrong username or password."));

        var run = await _cli.RunAsync("pkg", "login");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Username:", run.Stdout);
        Assert.Contains("Password:", run.Stdout);
        Assert.DoesNotContain("s3cret-pass", run.Stdout);
        Assert.Contains("jwt-grace", File.ReadAllText(CredentialsPath));
    }

    [Fact]
    public async Task A_damaged_credentials_file_is_reported_with_its_path_and_a_fix()
    {
        Directory.CreateDirectory(_cli.ConfigDirectory);
        File.WriteAllText(CredentialsPath, "[registries\ntoken = ");

        var run = await _cli.RunAsync("pkg", "whoami");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(CredentialsPath, run.Stderr);
        Assert.Contains("synapse pkg login", run.Stderr);
    }
}
