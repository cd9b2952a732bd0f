using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Synapse.Cli.Tests.Support;

/// <summary>Published packages served by a <see cref="FakeRegistry"/>: versions documents with ETags and real tarballs.</summary>
public sealed class PackageUniverse
{
    private readonly Dictionary<string, List<Published>> _packages = new();

    public PackageUniverse(FakeRegistry registry)
    {
        registry.Fallback = Answer;
    }

    public Dictionary<string, byte[]> TarballOverrides { get; } = new();

    public string Add(string name, string version, Dictionary<string, string>? dependencies = null, bool yanked = false)
    {
        var deps = dependencies ?? [];
        var manifest = new StringBuilder($"[package]\nname = \"{name}\"\nversion = \"{version}\"\nlicense = \"MIT\"\n\n[dependencies]\n");
        foreach (var (dep, range) in deps)
        {
            manifest.Append($"{dep} = \"{range}\"\n");
        }
        var tarball = MakeTarball(new Dictionary<string, string> { ["synapse.toml"] = manifest.ToString(), ["lib/main.syn"] = $"// {name} {version}\n" });
        var sha = Convert.ToHexStringLower(SHA256.HashData(tarball));
        if (!_packages.TryGetValue(name, out var list))
        {
            _packages[name] = list = [];
        }
        list.Add(new Published(version, deps, sha, tarball) { Yanked = yanked });
        return sha;
    }

    public void Yank(string name, string version) => _packages[name].Single(p => p.Version == version).Yanked = true;

    public static byte[] MakeTarball(Dictionary<string, string> files)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (path, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) };
                tar.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    private HttpResponseMessage? Answer(HttpRequestMessage request)
    {
        var segments = request.RequestUri!.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (request.Method != HttpMethod.Get || segments.Length < 4 || segments[0] != "api" || segments[2] != "packages")
        {
            return null;
        }
        var name = segments[3].Replace('_', '-');
        if (!_packages.TryGetValue(name, out var versions))
        {
            return null;
        }
        if (segments.Length == 5 && segments[4] == "versions")
        {
            var body = JsonSerializer.Serialize(new
            {
                name,
                versions = versions.Select(v => new { version = v.Version, dependencies = v.Dependencies, sha256 = v.Sha256, yanked = v.Yanked }),
            });
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)))[..16] + "\"";
            if (request.Headers.IfNoneMatch.Any(t => t.Tag == etag))
            {
                return new HttpResponseMessage(HttpStatusCode.NotModified);
            }
            var response = FakeRegistry.Json(body);
            response.Headers.ETag = new EntityTagHeaderValue(etag);
            return response;
        }
        if (segments.Length == 6 && segments[5] == "tarball" && versions.FirstOrDefault(v => v.Version == segments[4]) is { } published)
        {
            var bytes = TarballOverrides.GetValueOrDefault($"{name}@{published.Version}", published.Tarball);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(bytes) };
        }
        if (segments.Length == 4)
        {
            var latest = versions.Where(v => !v.Yanked).Select(v => v.Version).LastOrDefault();
            return FakeRegistry.Json(JsonSerializer.Serialize(new { name, latest_version = latest, versions = versions.Select(v => new { version = v.Version, yanked = v.Yanked }) }));
        }
        return null;
    }

    private sealed record Published(string Version, Dictionary<string, string> Dependencies, string Sha256, byte[] Tarball)
    {
        public bool Yanked { get; set; }
    }
}
