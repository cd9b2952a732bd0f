using Synapse.Protocol.Client;

namespace Synapse.EndToEnd.Tests;

/// <summary>Drives the built CLI against a real registry process, the way a user would.</summary>
public sealed class UserJourneyTests : IAsyncLifetime
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "synapse-e2e", Guid.NewGuid().ToString("N"));
    private RegistryProcess? _registry;
    private CliProcess _cli = null!;

    public async Task InitializeAsync()
    {
        _registry = await RegistryProcess.StartAsync(Path.Combine(_root, "registry"));
        _cli = new CliProcess(Path.Combine(_root, "home"));
        _cli.Environment["SYNAPSE_REGISTRY"] = _registry.Address;
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string Folder(string name)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    private async Task<CliResult> Ok(string directory, params string[] args)
    {
        var result = await _cli.RunAsync(directory, null, args);
        Assert.True(result.ExitCode == 0, $"synapse {string.Join(' ', args)} failed: {result}\nregistry log:\n{_registry?.Log}");
        return result;
    }

    private async Task<string> Library(string name, string version, params string[] dependencies)
    {
        var directory = Folder($"{name}-{version}");
        await Ok(directory, "pkg", "init", "--name", name, "--description", $"The {name} library");
        var manifest = Path.Combine(directory, "synapse.toml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("version = \"0.1.0\"", $"version = \"{version}\""));
        File.WriteAllText(Path.Combine(directory, "lib.syn"), $"// {name} {version}\n");
        if (dependencies.Length > 0)
        {
            await Ok(directory, ["pkg", "add", .. dependencies]);
        }
        await Ok(directory, "pkg", "publish");
        return directory;
    }

    [Fact]
    public async Task Register_publish_install_yank_update_lock_offline_conflict_logout()
    {
        using (var client = new RegistryClient(new RegistryClientOptions { BaseAddress = new Uri(_registry!.Address) }))
        {
            await client.RegisterAsync("ada", "ada@example.org", "correct-horse-battery");
            await client.RegisterAsync("grace", "grace@example.org", "another-long-password");
        }

        var home = Folder("work");
        var login = await _cli.RunAsync(home, "correct-horse-battery\n", "pkg", "login", "--username", "ada", "--password-stdin");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal("ada", (await Ok(home, "pkg", "whoami")).Stdout.Trim());

        await Library("utf8", "1.0.0");
        await Library("utf8", "1.1.0");
        await Library("json", "2.0.0", "utf8@^1.0.0");
        await Library("extra", "0.1.0");

        var duplicate = await _cli.RunAsync(Folder("utf8-1.0.0"), null, "pkg", "publish");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("error:", duplicate.Stderr);

        var search = await Ok(home, "pkg", "search", "utf8", "--json");
        Assert.Contains("\"name\": \"utf8\"", search.Stdout);
        var info = await Ok(home, "pkg", "info", "json");
        Assert.Contains("dependencies:\n  utf8 ", info.Stdout.ReplaceLineEndings("\n"));
        Assert.Contains("owners: ada", info.Stdout);
        await Ok(home, "pkg", "owner", "add", "utf8", "grace");
        Assert.Contains("grace", (await Ok(home, "pkg", "owner", "list", "utf8")).Stdout);
        await Ok(home, "pkg", "owner", "remove", "utf8", "grace");
        Assert.DoesNotContain("grace", (await Ok(home, "pkg", "owner", "list", "utf8")).Stdout);

        var app = Folder("app");
        await Ok(app, "pkg", "init", "--name", "app");
        var add = await Ok(app, "pkg", "add", "json");
        Assert.Contains("json = \"^2.0.0\"", File.ReadAllText(Path.Combine(app, "synapse.toml")));
        await Ok(app, "pkg", "install");
        Assert.Equal("// utf8 1.1.0\n", File.ReadAllText(Path.Combine(app, "synapse_packages", "utf8", "lib.syn")));
        var lockText = File.ReadAllText(Path.Combine(app, "synapse.lock"));
        Assert.Contains("dependencies = [\"utf8 1.1.0\"]", lockText);

        var second = await Ok(app, "pkg", "install", "--json");
        Assert.Contains("\"up_to_date\": true", second.Stdout);

        await Ok(app, "pkg", "yank", "utf8@1.1.0", "--reason", "broken");
        await Ok(app, "pkg", "install");
        Assert.Contains("version = \"1.1.0\"", File.ReadAllText(Path.Combine(app, "synapse.lock")));
        await Ok(app, "pkg", "update");
        Assert.Contains("version = \"1.0.0\"", File.ReadAllText(Path.Combine(app, "synapse.lock")));
        Assert.Equal("// utf8 1.0.0\n", File.ReadAllText(Path.Combine(app, "synapse_packages", "utf8", "lib.syn")));

        await Ok(app, "pkg", "add", "extra@^0.1.0");
        var locked = await _cli.RunAsync(app, null, "pkg", "install", "--locked");
        Assert.Equal(1, locked.ExitCode);
        Assert.Contains("out of date", locked.Stderr);
        await Ok(app, "pkg", "install");

        var unmatched = await _cli.RunAsync(app, null, "pkg", "add", "utf8@^2.0.0");
        Assert.Equal(1, unmatched.ExitCode);
        Assert.Contains("No version of utf8 matches ^2.0.0", unmatched.Stderr);
        await Library("utf8", "2.0.0");
        await Ok(app, "pkg", "add", "utf8@^2.0.0");
        var conflict = await _cli.RunAsync(app, null, "pkg", "install");
        Assert.Equal(1, conflict.ExitCode);
        Assert.Contains("utf8", conflict.Stderr);
        await Ok(app, "pkg", "remove", "utf8");
        await Ok(app, "pkg", "install");

        var tree = await Ok(app, "pkg", "list");
        Assert.Contains("json 2.0.0", tree.Stdout);

        Directory.Delete(Path.Combine(app, "synapse_packages"), recursive: true);
        await _registry.DisposeAsync();
        _registry = null;
        var offline = await Ok(app, "pkg", "install", "--offline");
        Assert.True(File.Exists(Path.Combine(app, "synapse_packages", "json", "synapse.toml")), offline.ToString());
        var down = await _cli.RunAsync(app, null, "pkg", "search", "json");
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("Could not reach the registry", down.Stderr);

        await Ok(app, "pkg", "logout");
        var whoami = await _cli.RunAsync(app, null, "pkg", "whoami");
        Assert.Equal(1, whoami.ExitCode);
        Assert.Contains("not logged in", whoami.Stderr);
    }
}
