using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using static Synapse.Packaging.Tests.TestArchives;

namespace Synapse.Packaging.Tests;

public class ArchiveInspectionTests
{
    [Fact]
    public async Task A_valid_archive_yields_manifest_readme_counts_and_hash()
    {
        var tgz = Package(("README.md", "# Demo"), ("src/lib.syn", "code"));

        var inspection = await InspectAsync(tgz);

        Assert.Equal("demo", inspection.Manifest.Name);
        Assert.Equal("1.0.0", inspection.Manifest.Version.ToString());
        Assert.Equal("# Demo", inspection.Readme);
        Assert.Equal("README.md", inspection.ReadmePath);
        Assert.Equal(3, inspection.EntryCount);
        Assert.Equal(Encoding.UTF8.GetByteCount(Manifest) + 6 + 4, inspection.UnpackedBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(tgz)), inspection.Sha256);
        Assert.Equal(tgz.Length, inspection.CompressedBytes);
        Assert.Equal(["synapse.toml", "README.md", "src/lib.syn"], inspection.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task The_stream_is_read_forward_only()
    {
        var tgz = Package(("README.md", "# Demo"));
        var inspection = await PackageArchive.InspectAsync(new ForwardOnlyStream(tgz), Limits);
        Assert.Equal("demo", inspection.Manifest.Name);
    }

    [Theory]
    [InlineData("../evil.txt", "'..'")]
    [InlineData("src/../../evil.txt", "'..'")]
    [InlineData("src/..", "'..'")]
    [InlineData("/etc/passwd", "absolute path")]
    [InlineData("C:/Windows/evil.dll", "drive letter")]
    [InlineData("c:evil", "drive letter")]
    [InlineData(@"C:\Windows\evil.dll", "drive letter")]
    [InlineData("//server/share/evil", "UNC")]
    [InlineData(@"\\server\share\evil", "UNC")]
    [InlineData(@"src\evil.txt", "backslash")]
    [InlineData("src//evil.txt", "empty segment")]
    [InlineData("src/./evil.txt", "'.' segment")]
    [InlineData("file:stream", "':'")]
    [InlineData("con.txt", "device name")]
    [InlineData("src/NUL", "device name")]
    [InlineData("trailing.", "ends with '.'")]
    [InlineData("tab\there", "control character")]
    public async Task Unsafe_paths_are_rejected_naming_the_entry(string path, string reason)
    {
        var tgz = RawTgz(RawFile("synapse.toml", Manifest), RawFile(path, "x"));

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
        Assert.Equal(path, error.EntryPath);
        Assert.Contains($"'{path}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TarWriter_written_traversal_is_rejected_too()
    {
        var tgz = Tgz(w =>
        {
            AddFile(w, "synapse.toml", Manifest);
            AddFile(w, "../../etc/cron.d/evil", "x");
        });

        var error = await RejectedAsync(tgz);

        Assert.Equal("../../etc/cron.d/evil", error.EntryPath);
    }

    [Theory]
    [InlineData(TarEntryType.SymbolicLink, "symbolic link")]
    [InlineData(TarEntryType.HardLink, "hard link")]
    [InlineData(TarEntryType.CharacterDevice, "character device")]
    [InlineData(TarEntryType.BlockDevice, "block device")]
    [InlineData(TarEntryType.Fifo, "FIFO")]
    public async Task Non_regular_entries_are_rejected(TarEntryType type, string what)
    {
        var tgz = Tgz(w =>
        {
            AddFile(w, "synapse.toml", Manifest);
            AddEntry(w, type, "special", type is TarEntryType.SymbolicLink or TarEntryType.HardLink ? "/etc/passwd" : null);
        });

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
        Assert.Equal("special", error.EntryPath);
        Assert.Contains("'special'", error.Message, StringComparison.Ordinal);
        Assert.Contains(what, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unsupported_tar_types_are_rejected()
    {
        var tgz = RawTgz(RawFile("synapse.toml", Manifest), ("weird", 'S', []));

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
        Assert.Contains("the entry after 'synapse.toml' uses an unsupported tar feature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Directory_entries_are_accepted_and_counted_but_not_listed()
    {
        var tgz = Tgz(w =>
        {
            AddEntry(w, TarEntryType.Directory, "src/");
            AddFile(w, "synapse.toml", Manifest);
            AddFile(w, "src/a.syn", "a");
        });

        var inspection = await InspectAsync(tgz);

        Assert.Equal(3, inspection.EntryCount);
        Assert.Equal(["synapse.toml", "src/a.syn"], inspection.Files.Select(f => f.Path));
    }

    [Fact]
    public async Task Directory_entries_with_unsafe_paths_are_rejected()
    {
        var tgz = Tgz(w =>
        {
            AddFile(w, "synapse.toml", Manifest);
            AddEntry(w, TarEntryType.Directory, "../outside/");
        });

        var error = await RejectedAsync(tgz);

        Assert.Equal("../outside/", error.EntryPath);
    }

    [Fact]
    public async Task A_leading_dot_slash_is_accepted()
    {
        var tgz = RawTgz(RawFile("./synapse.toml", Manifest), RawFile("./README.md", "hi"));

        var inspection = await InspectAsync(tgz);

        Assert.Equal(["synapse.toml", "README.md"], inspection.Files.Select(f => f.Path));
        Assert.Equal("hi", inspection.Readme);
    }

    [Fact]
    public async Task Duplicate_paths_are_rejected()
    {
        var tgz = Package(("lib.syn", "one"), ("lib.syn", "two"));

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
        Assert.Equal("lib.syn", error.EntryPath);
        Assert.Contains("duplicate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paths_differing_only_in_case_are_rejected()
    {
        var tgz = Package(("src/Lib.syn", "one"), ("SRC/lib.syn", "two"));

        var error = await RejectedAsync(tgz);

        Assert.Equal("SRC/lib.syn", error.EntryPath);
        Assert.Contains("letter case", error.Message, StringComparison.Ordinal);
        Assert.Contains("src/Lib.syn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paths_equal_after_unicode_normalization_are_rejected()
    {
        var composed = "caf\u00e9.txt";
        var decomposed = "cafe\u0301.txt";
        var tgz = Package((composed, "one"), (decomposed, "two"));

        var error = await RejectedAsync(tgz);

        Assert.Equal(decomposed, error.EntryPath);
        Assert.Contains("Unicode normalization", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_path_used_as_file_and_folder_is_rejected()
    {
        var tgz = Package(("docs", "a file"), ("docs/guide.md", "inside"));

        var error = await RejectedAsync(tgz);

        Assert.Equal("docs/guide.md", error.EntryPath);
        Assert.Contains("cannot also be a folder", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_entries_than_the_configured_limit_are_rejected()
    {
        var tgz = Package(("a", "1"), ("b", "2"), ("c", "3"));

        var error = await RejectedAsync(tgz, Limits with { MaxEntries = 3 });

        Assert.Equal(ArchiveErrorCodes.PayloadTooLarge, error.Code);
        Assert.Equal("c", error.EntryPath);
        Assert.Contains("3 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task More_than_ten_thousand_entries_are_rejected_by_default()
    {
        var tgz = Tgz(w =>
        {
            AddFile(w, "synapse.toml", Manifest);
            for (var i = 0; i < 10_000; i++)
                AddFile(w, $"files/f{i:D5}.txt", "");
        }, TarEntryFormat.Ustar);

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.PayloadTooLarge, error.Code);
        Assert.Equal("files/f09999.txt", error.EntryPath);
        Assert.Contains("10000 entries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exactly_ten_thousand_entries_are_accepted()
    {
        var tgz = Tgz(w =>
        {
            AddFile(w, "synapse.toml", Manifest);
            for (var i = 0; i < 9_999; i++)
                AddFile(w, $"files/f{i:D5}.txt", "");
        }, TarEntryFormat.Ustar);

        var inspection = await InspectAsync(tgz);

        Assert.Equal(10_000, inspection.EntryCount);
    }

    [Fact]
    public async Task A_gzip_bomb_is_stopped_early_by_the_ratio_limit()
    {
        var zeros = new byte[50 * 1024 * 1024];
        var tgz = Tgz(w =>
        {
            AddFile(w, "synapse.toml", Manifest);
            AddFile(w, "bomb.bin", zeros);
        });
        var stream = new MemoryStream(tgz);
        var limits = Limits with { MaxUnpackedBytes = 100L * 1024 * 1024 };

        var error = await Assert.ThrowsAsync<PackageArchiveException>(() => PackageArchive.InspectAsync(stream, limits));

        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
        Assert.Contains("decompression bomb", error.Message, StringComparison.Ordinal);
        Assert.Contains("100:1", error.Message, StringComparison.Ordinal);
        Assert.True(stream.Position < tgz.Length / 2, $"read {stream.Position} of {tgz.Length} bytes before stopping");
    }

    [Fact]
    public async Task An_archive_over_the_compressed_limit_is_rejected()
    {
        var noise = RandomNumberGenerator.GetBytes(20_000);
        var tgz = Package(("noise.bin", Convert.ToBase64String(noise)));

        var error = await RejectedAsync(tgz, Limits with { MaxCompressedBytes = 10_000 });

        Assert.Equal(ArchiveErrorCodes.PayloadTooLarge, error.Code);
        Assert.Contains("compressed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trailing_bytes_after_the_archive_count_toward_the_compressed_limit()
    {
        var tgz = Package();
        var padded = tgz.Concat(new byte[5000]).ToArray();

        var error = await RejectedAsync(padded, Limits with { MaxCompressedBytes = tgz.Length + 100 });

        Assert.Equal(ArchiveErrorCodes.PayloadTooLarge, error.Code);
    }

    [Fact]
    public async Task Files_over_the_unpacked_limit_are_rejected_naming_the_entry()
    {
        var tgz = Package(("small.txt", new string('a', 100)), ("big.txt", new string('b', 5000)));

        var error = await RejectedAsync(tgz, Limits with { MaxUnpackedBytes = 2000 });

        Assert.Equal(ArchiveErrorCodes.PayloadTooLarge, error.Code);
        Assert.Equal("big.txt", error.EntryPath);
        Assert.Contains("unpacked", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plain_tar_is_rejected_as_not_gzip()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, leaveOpen: true))
            AddFile(writer, "synapse.toml", Manifest);

        var error = await RejectedAsync(tar.ToArray());

        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
        Assert.Contains("not gzip-compressed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_stream_is_rejected_as_not_gzip()
    {
        var error = await RejectedAsync([]);
        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
    }

    [Fact]
    public async Task Gzip_of_something_that_is_not_tar_is_rejected()
    {
        var error = await RejectedAsync(Gzip(Encoding.UTF8.GetBytes(new string('x', 2000))));
        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
    }

    [Fact]
    public async Task Corrupt_gzip_data_is_rejected()
    {
        var tgz = Package(("README.md", new string('r', 4000)));
        for (var i = 20; i < tgz.Length - 10; i += 7)
            tgz[i] ^= 0x5a;

        var error = await RejectedAsync(tgz);

        Assert.Contains(error.Code, new[] { ArchiveErrorCodes.InvalidArchive, ArchiveErrorCodes.InvalidManifest });
    }

    [Fact]
    public async Task A_truncated_archive_is_rejected()
    {
        var noise = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30_000));
        var tgz = Package(("noise.txt", noise), ("README.md", "hi"));

        var error = await RejectedAsync(tgz[..(tgz.Length / 2)]);

        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_archive_cut_just_before_the_gzip_trailer_is_rejected()
    {
        var tgz = Package(("README.md", "hi"));

        var error = await RejectedAsync(tgz[..^4]);

        Assert.Equal(ArchiveErrorCodes.InvalidArchive, error.Code);
    }

    [Fact]
    public async Task An_archive_without_manifest_is_rejected()
    {
        var tgz = Tgz(w => AddFile(w, "README.md", "hi"));

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidManifest, error.Code);
        Assert.Contains("no synapse.toml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_in_a_subfolder_does_not_count_and_is_pointed_out()
    {
        var tgz = Tgz(w => AddFile(w, "package/synapse.toml", Manifest));

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidManifest, error.Code);
        Assert.Contains("package/synapse.toml", error.Message, StringComparison.Ordinal);
        Assert.Contains("root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nested_manifest_next_to_the_root_one_is_just_a_file()
    {
        var tgz = Package(("examples/synapse.toml", "not even toml ["));

        var inspection = await InspectAsync(tgz);

        Assert.Contains(inspection.Files, f => f.Path == "examples/synapse.toml");
    }

    [Fact]
    public async Task A_second_manifest_is_rejected()
    {
        var tgz = Tgz(w =>
        {
            AddFile(w, "synapse.toml", Manifest);
            AddFile(w, "synapse.toml", Manifest.Replace("demo", "other", StringComparison.Ordinal));
        });

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidManifest, error.Code);
        Assert.Equal("synapse.toml", error.EntryPath);
        Assert.Contains("second synapse.toml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_manifest_is_rejected_with_its_errors()
    {
        var tgz = Tgz(w => AddFile(w, "synapse.toml", "[package]\nname = \"Bad Name\"\nversion = 1\n"));

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidManifest, error.Code);
        Assert.Equal("synapse.toml", error.EntryPath);
        Assert.Equal(["package.license", "package.name", "package.version"], error.ManifestErrors.Select(e => e.Key));
        Assert.Same(error.ManifestErrors, Assert.IsType<ManifestException>(error.InnerException).Errors);
        Assert.Contains("synapse.toml:2: package.name:", error.Message, StringComparison.Ordinal);
        Assert.Contains("synapse.toml:3: package.version: expected a string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manifest_that_is_not_utf8_is_rejected()
    {
        var tgz = Tgz(w => AddFile(w, "synapse.toml", [0x5b, 0xff, 0xfe, 0x5d]));

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidManifest, error.Code);
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversized_manifest_is_rejected_before_it_is_read()
    {
        var tgz = Tgz(w => AddFile(w, "synapse.toml", Manifest + "#" + new string('x', ManifestParser.MaxManifestBytes)));

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidManifest, error.Code);
        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publishing_rules_apply_by_default_and_local_rules_on_request()
    {
        var tgz = Tgz(w => AddFile(w, "synapse.toml", "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n"));

        var error = await RejectedAsync(tgz);
        var local = await InspectAsync(tgz, mode: ManifestMode.Local);

        Assert.Equal(ArchiveErrorCodes.InvalidManifest, error.Code);
        Assert.Contains("license", error.Message, StringComparison.Ordinal);
        Assert.Null(local.Manifest.License);
    }

    [Fact]
    public async Task The_readme_named_by_the_manifest_is_returned()
    {
        var tgz = Tgz(w =>
        {
            AddFile(w, "synapse.toml", Manifest + "readme = \"docs/intro.md\"\n");
            AddFile(w, "README.md", "root readme");
            AddFile(w, "docs/intro.md", "intro");
        });

        var inspection = await InspectAsync(tgz);

        Assert.Equal("intro", inspection.Readme);
        Assert.Equal("docs/intro.md", inspection.ReadmePath);
    }

    [Fact]
    public async Task The_readme_is_found_when_it_comes_before_the_manifest()
    {
        var tgz = Tgz(w =>
        {
            AddFile(w, "docs/intro.md", "intro");
            AddFile(w, "synapse.toml", Manifest + "readme = \"docs/intro.md\"\n");
        });

        var inspection = await InspectAsync(tgz);

        Assert.Equal("intro", inspection.Readme);
    }

    [Fact]
    public async Task A_readme_named_by_the_manifest_but_missing_is_rejected()
    {
        var tgz = Tgz(w => AddFile(w, "synapse.toml", Manifest + "readme = \"docs/intro.md\"\n"));

        var error = await RejectedAsync(tgz);

        Assert.Equal(ArchiveErrorCodes.InvalidManifest, error.Code);
        Assert.Contains("docs/intro.md", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("readme.md")]
    [InlineData("README")]
    [InlineData("Readme.MD")]
    public async Task The_default_readme_is_found_case_insensitively(string name)
    {
        var inspection = await InspectAsync(Package((name, "hello")));
        Assert.Equal("hello", inspection.Readme);
    }

    [Fact]
    public async Task Without_a_readme_the_readme_is_null()
    {
        var inspection = await InspectAsync(Package(("docs/README.md", "not at the root")));
        Assert.Null(inspection.Readme);
    }

    [Fact]
    public async Task A_huge_readme_is_capped()
    {
        var inspection = await InspectAsync(Package(("README.md", new string('r', 600 * 1024))));

        Assert.Equal(PackageArchive.MaxReadmeBytes, inspection.Readme!.Length);
    }

    [Fact]
    public async Task Long_pax_paths_are_accepted()
    {
        var longPath = string.Join('/', Enumerable.Repeat("deeply-nested-folder", 12)) + "/file.txt";

        var inspection = await InspectAsync(Package((longPath, "x")));

        Assert.Contains(inspection.Files, f => f.Path == longPath);
    }

    [Fact]
    public async Task Invalid_limits_are_refused_naming_the_limit()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => InspectAsync(Package(), Limits with { MaxEntries = 0 }));
        Assert.Contains("MaxEntries", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => (Limits with { MaxCompressionRatio = double.NaN }).EnsureValid());
        Assert.Throws<ArgumentException>(() => (Limits with { MaxUnpackedBytes = -1 }).EnsureValid());
        Assert.Throws<ArgumentException>(() => (Limits with { MaxCompressedBytes = 0 }).EnsureValid());
        Limits.EnsureValid();
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            PackageArchive.InspectAsync(new MemoryStream(Package(("README.md", "hi"))), Limits, cancel.Token));
    }
}

/// <summary>A stream that can only be read forward, as an HTTP request body.</summary>
internal sealed class ForwardOnlyStream(byte[] data) : Stream
{
    private readonly MemoryStream _inner = new(data);
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, Math.Min(count, 1000));
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
