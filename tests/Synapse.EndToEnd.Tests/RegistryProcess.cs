using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Synapse.EndToEnd.Tests;

/// <summary>A real <c>synapse-registry</c> process on a free loopback port with a temp SQLite database and storage.</summary>
public sealed class RegistryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private RegistryProcess(Process process, string address, string dataDirectory)
    {
        _process = process;
        Address = address;
        DataDirectory = dataDirectory;
    }

    public string Address { get; }
    public string DataDirectory { get; }
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public static async Task<RegistryProcess> StartAsync(string dataDirectory, int? port = null)
    {
        Directory.CreateDirectory(dataDirectory);
        var chosen = port ?? FreePort();
        var address = $"http://127.0.0.1:{chosen}";
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Artifacts.Path("Synapse.Registry", "synapse-registry.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(address);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["DOTNET_ENVIRONMENT"] = "Testing";
        start.Environment["Synapse__Database__Provider"] = "Sqlite";
        start.Environment["Synapse__Database__ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "registry.db")}";
        start.Environment["Synapse__Storage__Provider"] = "FileSystem";
        start.Environment["Synapse__Storage__Path"] = Path.Combine(dataDirectory, "packages");
        start.Environment["Synapse__Jwt__SigningKey"] = "end-to-end-test-signing-key-that-is-long-enough-0123456789";
        start.Environment["Synapse__RateLimiting__Enabled"] = "false";
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var registry = new RegistryProcess(process, address, dataDirectory);
        process.OutputDataReceived += (_, e) => registry.Append(e.Data);
        process.ErrorDataReceived += (_, e) => registry.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await registry.WaitHealthyAsync();
        return registry;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    private async Task WaitHealthyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"synapse-registry exited with {_process.ExitCode}:\n{Log}");
            }
            try
            {
                using var response = await http.GetAsync($"{Address}/api/v1/health");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"synapse-registry did not become healthy at {Address}:\n{Log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

internal static class Artifacts
{
    /// <summary>artifacts/bin/&lt;project&gt;/&lt;configuration&gt;/&lt;file&gt;, for the configuration these tests were built with.</summary>
    public static string Path(string project, string file)
    {
        var testDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar));
        var configuration = testDirectory.Name;
        var bin = testDirectory.Parent!.Parent!.FullName;
        var path = System.IO.Path.Combine(bin, project, configuration, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first: {path} is missing.", path);
    }
}
