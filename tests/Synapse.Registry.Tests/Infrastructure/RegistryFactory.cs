using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Downloads;

namespace Synapse.Registry.Tests.Infrastructure;

/// <summary>The real registry over a temporary SQLite file and folder, with a fake clock, in the Testing environment.</summary>
public class RegistryFactory : WebApplicationFactory<Program>
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-for-hs256!!";
    private readonly Dictionary<string, string?> _settings = new();

    public RegistryFactory()
    {
        Root = Path.Combine(Path.GetTempPath(), "synapse-registry-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Clock = new FakeTimeProvider(new DateTimeOffset(DateTime.UtcNow.Ticks - DateTime.UtcNow.Ticks % TimeSpan.TicksPerSecond, TimeSpan.Zero));
        _settings["Synapse:Database:ConnectionString"] = $"Data Source={Path.Combine(Root, "registry.db")}";
        _settings["Synapse:Storage:Path"] = Path.Combine(Root, "packages");
        _settings["Synapse:Jwt:SigningKey"] = SigningKey;
        _settings["Synapse:RateLimiting:Enabled"] = "false";
        _settings["Synapse:Downloads:FlushInterval"] = "00:00:00.050";
    }

    public string Root { get; }

    public FakeTimeProvider Clock { get; }

    public string Environment { get; set; } = "Testing";

    public Action<IServiceCollection>? ConfigureServices { get; set; }

    public RegistryFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(Environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(Clock);
            ConfigureServices?.Invoke(services);
        });
    }

    public HttpClient Client(string? token = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public async Task<string> RegisterAsync(string username, string password = "correct horse battery")
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { username, email = $"{username}@example.org", password });
        await Expect.StatusAsync(response, 201);
        var body = await response.Content.ReadFromJsonAsync(RegistryJsonContext.Default.AuthResponse);
        return body!.Token;
    }

    /// <summary>Registers the user unless a test of the same class already did.</summary>
    public async Task EnsureUserAsync(string username)
    {
        using var client = Client();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { username, email = $"{username}@example.org", password = "correct horse battery" });
        Assert.True((int)response.StatusCode is 201 or 409);
    }

    public async Task<HttpResponseMessage> PublishAsync(string token, byte[] tarball, string? sha256 = null)
    {
        using var client = Client(token);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(tarball);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        form.Add(file, "tarball", "package.tgz");
        if (sha256 is not null)
        {
            form.Add(new StringContent(sha256), "sha256");
        }
        return await client.PostAsync("/api/v1/packages", form);
    }

    public async Task<VersionDocument> PublishOkAsync(string token, byte[] tarball)
    {
        var response = await PublishAsync(token, tarball, TestPackages.Sha256(tarball));
        await Expect.StatusAsync(response, 201);
        return (await response.Content.ReadFromJsonAsync(RegistryJsonContext.Default.VersionDocument))!;
    }

    public Task FlushDownloadsAsync() => Services.GetRequiredService<DownloadFlusher>().FlushAsync(CancellationToken.None);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
