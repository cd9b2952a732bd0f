using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Unit;

/// <summary>Starts the built synapse-registry process on a loopback port and drives it over a real socket.</summary>
public sealed class RealProcessSmokeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "synapse-smoke", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Register_publish_search_download_over_a_real_socket()
    {
        Directory.CreateDirectory(_root);
        var port = FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        using var process = Start(RegistryDll(), "--urls", baseUrl);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilHealthyAsync(http, process);

            var register = await http.PostAsJsonAsync("/api/v1/auth/register", new { username = "smoke", email = "smoke@example.org", password = "smoke test password" });
            var token = (await Expect.JsonAsync(register, 201)).GetProperty("token").GetString();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

            var tarball = TestPackages.Build("smoke-pkg", "1.0.0", "Smoke over a socket", ["smoke"]);
            using var form = new MultipartFormDataContent { { new ByteArrayContent(tarball), "tarball", "smoke-pkg-1.0.0.tgz" }, { new StringContent(TestPackages.Sha256(tarball)), "sha256" } };
            var published = await Expect.JsonAsync(await http.PostAsync("/api/v1/packages", form), 201);
            Assert.Equal($"{baseUrl}/api/v1/packages/smoke-pkg/1.0.0/tarball", published.GetProperty("tarball_url").GetString());

            var search = await Expect.JsonAsync(await http.GetAsync("/api/v1/search?q=smoke"));
            Assert.Equal("smoke-pkg", search.GetProperty("results")[0].GetProperty("name").GetString());

            var download = await http.GetAsync(published.GetProperty("tarball_url").GetString());
            await Expect.StatusAsync(download, 200);
            var bytes = await download.Content.ReadAsByteArrayAsync();
            Assert.Equal(tarball, bytes);
            Assert.Equal(published.GetProperty("sha256").GetString(), TestPackages.Sha256(bytes));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
            await process.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Migrate_applies_migrations_and_exits()
    {
        Directory.CreateDirectory(_root);
        using var process = Start(RegistryDll(), "migrate");
        var errors = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        await errors;
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("up to date", output);
        Assert.True(File.Exists(Path.Combine(_root, "registry.db")));
    }

    [Fact]
    public async Task Invalid_configuration_exits_with_one_clear_line()
    {
        Directory.CreateDirectory(_root);
        using var process = Start(RegistryDll(), "--Synapse:Database:Provider=Oracle");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await output;
        await process.WaitForExitAsync();
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Synapse:Database:Provider", error);
        Assert.DoesNotContain("   at ", error);
    }

    private Process Start(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Synapse__Database__ConnectionString"] = $"Data Source={Path.Combine(_root, "registry.db")}";
        info.Environment["Synapse__Storage__Path"] = Path.Combine(_root, "packages");
        info.Environment["Synapse__Jwt__SigningKey"] = RegistryFactory.SigningKey;
        return Process.Start(info)!;
    }

    private static async Task WaitUntilHealthyAsync(HttpClient http, Process process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                Assert.Fail("synapse-registry exited with code " + process.ExitCode);
            }
            try
            {
                if ((await http.GetAsync("/api/v1/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(200);
        }
        Assert.Fail("synapse-registry did not become healthy within 60 s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RegistryDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "artifacts", "bin", "Synapse.Registry", "debug", "synapse-registry.dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("Build src/Synapse.Registry first: artifacts/bin/Synapse.Registry/debug/synapse-registry.dll was not found.");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
