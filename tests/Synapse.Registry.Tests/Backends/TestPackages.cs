using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Synapse.Packaging;

namespace Synapse.Registry.Tests.Backends;

/// <summary>Real tarballs and the few API calls the backend tests need.</summary>
internal static class TestPackages
{
    public static async Task<byte[]> TarballAsync(string name, string version, string description = "A test package", string keywords = "\"test\"")
    {
        var folder = Directory.CreateTempSubdirectory("synapse-pkg-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "synapse.toml"), $"""
                [package]
                name = "{name}"
                version = "{version}"
                description = "{description}"
                license = "MIT"
                keywords = [{keywords}]
                """);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "lib.syn"), $"// {name} {version} {Guid.NewGuid()}\n");
            using var tarball = new MemoryStream();
            await PackageArchive.PackAsync(folder.FullName, tarball, CancellationToken.None);
            return tarball.ToArray();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Registers a user and returns its session token.</summary>
    public static async Task<string> RegisterAsync(HttpClient client, string username)
    {
        var response = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { username, email = $"{username}@example.org", password = "correct horse battery" });
        Assert.True(response.IsSuccessStatusCode, $"register {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    public static async Task<HttpResponseMessage> PublishAsync(HttpClient client, string token, byte[] tarball)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(tarball);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        form.Add(file, "tarball", "package.tgz");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/packages") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    public static string UniquePackageName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 11)];
}
