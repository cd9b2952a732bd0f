using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Synapse.Packaging.Tests;

/// <summary>Builds archives in memory, including hostile ones.</summary>
internal static class TestArchives
{
    public const string Manifest = "[package]\nname = \"demo\"\nversion = \"1.0.0\"\nlicense = \"MIT\"\n";

    public static readonly ArchiveLimits Limits = new();

    /// <summary>A gzip'd tar written by TarWriter.</summary>
    public static byte[] Tgz(Action<TarWriter> build, TarEntryFormat format = TarEntryFormat.Pax)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, format, leaveOpen: true))
            build(writer);
        return Gzip(tar.ToArray());
    }

    /// <summary>A valid package with the given extra files after the manifest.</summary>
    public static byte[] Package(params (string Path, string Content)[] files) => Tgz(w =>
    {
        AddFile(w, "synapse.toml", Manifest);
        foreach (var (path, content) in files)
            AddFile(w, path, content);
    });

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return output.ToArray();
    }

    public static void AddFile(TarWriter writer, string path, string content) => AddFile(writer, path, Encoding.UTF8.GetBytes(content));

    public static void AddFile(TarWriter writer, string path, byte[] content)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content) };
        writer.WriteEntry(entry);
    }

    public static void AddEntry(TarWriter writer, TarEntryType type, string path, string? linkName = null)
    {
        var entry = new PaxTarEntry(type, path);
        if (linkName is not null)
            entry.LinkName = linkName;
        writer.WriteEntry(entry);
    }

    /// <summary>
    /// A tar written header by header, for names a tar library might refuse or rewrite.
    /// </summary>
    public static byte[] RawTgz(params (string Name, char Type, byte[] Data)[] entries)
    {
        var tar = new MemoryStream();
        foreach (var (name, type, data) in entries)
        {
            tar.Write(RawHeader(name, type, data.Length));
            tar.Write(data);
            var padding = (512 - (data.Length % 512)) % 512;
            tar.Write(new byte[padding]);
        }
        tar.Write(new byte[1024]);
        return Gzip(tar.ToArray());
    }

    public static (string, char, byte[]) RawFile(string name, string content) => (name, '0', Encoding.UTF8.GetBytes(content));

    private static byte[] RawHeader(string name, char type, long size)
    {
        var header = new byte[512];
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > 100)
            throw new ArgumentException("Raw names are limited to 100 bytes.", nameof(name));
        nameBytes.CopyTo(header, 0);
        Octal(header, 100, 8, 0b110_100_100);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, size);
        Octal(header, 136, 12, 315532800);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\0").CopyTo(header, 257);
        Encoding.ASCII.GetBytes("00").CopyTo(header, 263);
        for (var i = 148; i < 156; i++)
            header[i] = (byte)' ';
        var checksum = header.Sum(b => (long)b);
        Octal(header, 148, 7, checksum);
        header[155] = (byte)' ';
        return header;
    }

    private static void Octal(byte[] header, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        header[offset + length - 1] = 0;
    }

    public static Task<ArchiveInspection> InspectAsync(byte[] tgz, ArchiveLimits? limits = null, ManifestMode mode = ManifestMode.Publish) =>
        PackageArchive.InspectAsync(new MemoryStream(tgz), limits ?? Limits, mode);

    public static async Task<PackageArchiveException> RejectedAsync(byte[] tgz, ArchiveLimits? limits = null) =>
        await Assert.ThrowsAsync<PackageArchiveException>(() => InspectAsync(tgz, limits));
}
