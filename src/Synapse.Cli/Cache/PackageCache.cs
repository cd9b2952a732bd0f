using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Synapse.Cli.Install;
using Synapse.Protocol.Client;
using Synapse.Protocol.Contracts;

namespace Synapse.Cli.Cache;

/// <summary>
/// The local cache: tarballs content-addressed by SHA-256 (verified on every use by the reader; a tampered entry is deleted),
/// and per-registry versions documents kept with their ETag for revalidation.
/// </summary>
internal sealed class PackageCache(string root)
{
    public string Root { get; } = root;

    private string TarballDirectory => Path.Combine(Root, "tarballs");

    public string TarballPath(string sha256) => Path.Combine(TarballDirectory, sha256[..2], sha256 + ".tgz");

    /// <summary>
    /// The cached tarball's path, if there is one. Not verified here: whoever reads it checks the hash in the same
    /// pass (<see cref="Synapse.Packaging.PackageArchive"/> extraction does) and <see cref="Evict"/>s it on a mismatch.
    /// </summary>
    public string? FindTarball(string sha256)
    {
        var path = TarballPath(NormalizeHash(sha256));
        return File.Exists(path) ? path : null;
    }

    /// <summary>Deletes a cached tarball found damaged or altered.</summary>
    public void Evict(string sha256) => File.Delete(TarballPath(NormalizeHash(sha256)));

    /// <summary>Moves a verified download into the cache (atomic rename) and returns its path.</summary>
    public string AddTarball(string sha256, string verifiedFile)
    {
        sha256 = NormalizeHash(sha256);
        var path = TarballPath(sha256);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Move(verifiedFile, path, overwrite: true);
        return path;
    }

    public string NewTemporaryFile()
    {
        var directory = Path.Combine(Root, "tmp");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, Guid.NewGuid().ToString("N") + ".part");
    }

    public CachedResponse<VersionsDocument>? ReadVersions(string registry, string name)
    {
        var path = VersionsPath(registry, name);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            var entry = JsonSerializer.Deserialize(File.ReadAllText(path), CacheJsonContext.Default.CachedVersions);
            return entry?.Document is null ? null : new CachedResponse<VersionsDocument>(entry.Document, entry.ETag);
        }
        catch (JsonException)
        {
            File.Delete(path);
            return null;
        }
    }

    public void WriteVersions(string registry, string name, CachedResponse<VersionsDocument> response)
    {
        var path = VersionsPath(registry, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new CachedVersions(response.ETag, response.Value), CacheJsonContext.Default.CachedVersions));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Deletes the whole cache; returns the bytes freed.</summary>
    public long Clean()
    {
        if (!Directory.Exists(Root))
        {
            return 0;
        }
        var bytes = new DirectoryInfo(Root).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
        Directory.Delete(Root, recursive: true);
        return bytes;
    }

    public static async Task<string> ComputeSha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken);
        return Convert.ToHexStringLower(hash);
    }

    public static string NormalizeHash(string sha256)
    {
        var hex = sha256.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? sha256[7..] : sha256;
        hex = hex.ToLowerInvariant();
        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new FormatException($"'{sha256}' is not a SHA-256 checksum (64 hex digits).");
        }
        return hex;
    }

    private string VersionsPath(string registry, string name) =>
        Path.Combine(Root, "metadata", RegistryKey(registry), name.Replace('_', '-') + ".json");

    private static string RegistryKey(string registry) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(registry)))[..16];
}

internal sealed record CachedVersions(string? ETag, VersionsDocument? Document);

/// <summary>The files the CLI keeps for itself: cached versions documents and install markers.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CachedVersions))]
[JsonSerializable(typeof(List<InstallMarker>))]
internal sealed partial class CacheJsonContext : JsonSerializerContext;
