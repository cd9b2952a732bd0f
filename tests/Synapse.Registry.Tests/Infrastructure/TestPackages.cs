using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Synapse.Registry.Tests.Infrastructure;

/// <summary>Builds package tarballs in memory.</summary>
public static class TestPackages
{
    public static byte[] Build(string name, string version, string? description = null, string[]? keywords = null,
        IReadOnlyDictionary<string, string>? dependencies = null, string license = "MIT", string? readme = null, string? extraPackageLines = null)
    {
        var manifest = new StringBuilder();
        manifest.Append("[package]\n");
        manifest.Append($"name = \"{name}\"\nversion = \"{version}\"\n");
        if (license.Length > 0)
        {
            manifest.Append($"license = \"{license}\"\n");
        }
        if (description is not null)
        {
            manifest.Append($"description = \"{description}\"\n");
        }
        if (keywords is not null)
        {
            manifest.Append("keywords = [").Append(string.Join(", ", keywords.Select(k => $"\"{k}\""))).Append("]\n");
        }
        if (readme is not null)
        {
            manifest.Append("readme = \"README.md\"\n");
        }
        if (extraPackageLines is not null)
        {
            manifest.Append(extraPackageLines).Append('\n');
        }
        if (dependencies is { Count: > 0 })
        {
            manifest.Append("\n[dependencies]\n");
            foreach (var (dependency, range) in dependencies)
            {
                manifest.Append($"{dependency} = \"{range}\"\n");
            }
        }
        var files = new List<(string, byte[])> { ("synapse.toml", Encoding.UTF8.GetBytes(manifest.ToString())) };
        if (readme is not null)
        {
            files.Add(("README.md", Encoding.UTF8.GetBytes(readme)));
        }
        files.Add(("src/lib.syn", Encoding.UTF8.GetBytes($"// {name} {version}\n")));
        return Tgz(files);
    }

    public static byte[] Tgz(IEnumerable<(string Path, byte[] Content)> files)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content) });
            }
        }
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(tar.ToArray());
        }
        return output.ToArray();
    }

    public static string Sha256(byte[] data) => Convert.ToHexStringLower(SHA256.HashData(data));
}
