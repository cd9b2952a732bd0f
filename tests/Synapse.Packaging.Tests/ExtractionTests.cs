using System.Formats.Tar;
using static Synapse.Packaging.Tests.TestArchives;

namespace Synapse.Packaging.Tests;

public class ExtractionTests
{
    private static Task<ArchiveInspection> ExtractAsync(byte[] tgz, string target, CancellationToken cancellationToken = default) =>
        PackageArchive.ExtractAsync(new MemoryStream(tgz), target, Limits, cancellationToken);

    [Fact]
    public async Task Files_are_extracted_into_the_target()
    {
        using var root = new TempDirectory();
        var target = root.Combine("synapse_packages", "demo");

        var inspection = await ExtractAsync(Package(("README.md", "hi"), ("src/lib.syn", "code")), target);

        Assert.Equal("demo", inspection.Manifest.Name);
        Assert.Equal("code", await File.ReadAllTextAsync(Path.Combine(target, "src", "lib.syn")));
        Assert.Equal(Manifest, await File.ReadAllTextAsync(Path.Combine(target, "synapse.toml")));
        Assert.Equal(["synapse_packages", "synapse_packages/demo", "synapse_packages/demo/README.md",
            "synapse_packages/demo/src", "synapse_packages/demo/src/lib.syn", "synapse_packages/demo/synapse.toml"], root.Snapshot());
    }

    [Fact]
    public async Task Extraction_does_not_need_a_license()
    {
        using var root = new TempDirectory();
        var tgz = Tgz(w => AddFile(w, "synapse.toml", "[package]\nname = \"demo\"\nversion = \"1.0.0\"\n"));

        var inspection = await ExtractAsync(tgz, root.Combine("demo"));

        Assert.Null(inspection.Manifest.License);
    }

    [Fact]
    public async Task An_existing_target_is_replaced_whole()
    {
        using var root = new TempDirectory();
        var target = root.Combine("demo");
        root.Write("demo/stale.syn", "old version's file");
        root.Write("demo/src/lib.syn", "old");

        await ExtractAsync(Package(("src/lib.syn", "new")), target);

        Assert.Equal("new", await File.ReadAllTextAsync(Path.Combine(target, "src", "lib.syn")));
        Assert.False(File.Exists(Path.Combine(target, "stale.syn")));
        Assert.Equal(["demo", "demo/src", "demo/src/lib.syn", "demo/synapse.toml"], root.Snapshot());
    }

    public static TheoryData<string, byte[]> HostileArchives => new()
    {
        { "traversal", RawTgz(RawFile("synapse.toml", Manifest), RawFile("ok.syn", "fine"), RawFile("../escaped.txt", "pwned")) },
        { "deep traversal", RawTgz(RawFile("synapse.toml", Manifest), RawFile("a/../../escaped.txt", "pwned")) },
        { "absolute", RawTgz(RawFile("synapse.toml", Manifest), RawFile("/tmp/escaped.txt", "pwned")) },
        { "symlink then write through it", Tgz(w =>
            {
                AddFile(w, "synapse.toml", Manifest);
                AddEntry(w, TarEntryType.SymbolicLink, "link", "..");
                AddFile(w, "link/escaped.txt", "pwned");
            }) },
        { "duplicate overwrite", Package(("a.syn", "one"), ("a.syn", "two")) },
        { "invalid manifest at the end", Tgz(w =>
            {
                AddFile(w, "src/lib.syn", "code");
                AddFile(w, "synapse.toml", "[package]\nname = \"BAD\"\nversion = \"1.0.0\"\n");
            }) },
        { "no manifest", Tgz(w => AddFile(w, "src/lib.syn", "code")) },
        { "truncated", Package(("noise.txt", Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(20_000))))[..6000] },
    };

    [Theory]
    [MemberData(nameof(HostileArchives))]
    public async Task A_rejected_archive_leaves_the_target_untouched_and_writes_nothing_else(string name, byte[] tgz)
    {
        using var root = new TempDirectory();
        var packages = root.Combine("synapse_packages");
        var target = Path.Combine(packages, "demo");
        root.Write("synapse_packages/demo/synapse.toml", "previous");
        root.Write("synapse_packages/demo/src/lib.syn", "previous code");
        var before = root.Snapshot();

        await Assert.ThrowsAsync<PackageArchiveException>(() => ExtractAsync(tgz, target));

        Assert.Equal(before, root.Snapshot());
        Assert.Equal("previous code", await File.ReadAllTextAsync(Path.Combine(target, "src", "lib.syn")));
        Assert.False(File.Exists(Path.Combine(Path.GetTempPath(), "escaped.txt")), name);
        Assert.False(File.Exists("/tmp/escaped.txt"), name);
    }

    [Fact]
    public async Task A_rejected_archive_creates_no_target()
    {
        using var root = new TempDirectory();

        await Assert.ThrowsAsync<PackageArchiveException>(() =>
            ExtractAsync(Package(("x", "1"), ("X", "2")), root.Combine("demo")));

        Assert.Empty(root.Snapshot());
    }

    [Fact]
    public async Task Cancellation_leaves_the_target_untouched()
    {
        using var root = new TempDirectory();
        root.Write("demo/synapse.toml", "previous");
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ExtractAsync(Package(("README.md", "hi")), root.Combine("demo"), cancel.Token));

        Assert.Equal(["demo", "demo/synapse.toml"], root.Snapshot());
    }

    [Fact]
    public async Task Extracted_files_get_regular_permissions_and_keep_execute_bits()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var root = new TempDirectory();
        var tgz = Tgz(w =>
        {
            AddFile(w, "synapse.toml", Manifest);
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "run.sh")
            {
                Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.SetUser,
                DataStream = new MemoryStream("#!/bin/sh\n"u8.ToArray()),
            });
            w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "world-writable.txt")
            {
                Mode = (UnixFileMode)0b111_111_111,
                DataStream = new MemoryStream("x"u8.ToArray()),
            });
        });

        await ExtractAsync(tgz, root.Combine("demo"));

        var script = File.GetUnixFileMode(root.Combine("demo", "run.sh"));
        var data = File.GetUnixFileMode(root.Combine("demo", "world-writable.txt"));
        Assert.True((script & UnixFileMode.UserExecute) != 0);
        Assert.Equal(UnixFileMode.None, script & (UnixFileMode.SetUser | UnixFileMode.OtherWrite | UnixFileMode.GroupWrite));
        Assert.Equal(UnixFileMode.None, data & (UnixFileMode.OtherWrite | UnixFileMode.GroupWrite));
    }

    [Fact]
    public async Task The_expected_checksum_is_verified_in_the_same_pass()
    {
        using var root = new TempDirectory();
        var tgz = Package(("README.md", "hi"));
        var actual = Sha256.HashHex(tgz);
        root.Write("demo/synapse.toml", "previous");

        var error = await Assert.ThrowsAsync<PackageArchiveException>(() =>
            PackageArchive.ExtractAsync(new MemoryStream(tgz), root.Combine("demo"), Limits, Sha256.HashHex("other"u8)));
        Assert.Equal(ArchiveErrorCodes.ChecksumMismatch, error.Code);
        Assert.Contains(actual, error.Message, StringComparison.Ordinal);
        Assert.Equal(["demo", "demo/synapse.toml"], root.Snapshot());

        var inspection = await PackageArchive.ExtractAsync(new MemoryStream(tgz), root.Combine("demo"), Limits, Sha256.FormatChecksum(actual));
        Assert.Equal(actual, inspection.Sha256);
        Assert.True(File.Exists(root.Combine("demo", "README.md")));
    }

    [Fact]
    public async Task A_malformed_expected_checksum_is_refused_up_front()
    {
        using var root = new TempDirectory();
        await Assert.ThrowsAsync<ArgumentException>(() =>
            PackageArchive.ExtractAsync(new MemoryStream(Package()), root.Combine("demo"), Limits, "sha256:nope"));
        Assert.Empty(root.Snapshot());
    }

    [Fact]
    public async Task A_target_that_is_a_file_is_refused()
    {
        using var root = new TempDirectory();
        root.Write("demo", "a file");

        await Assert.ThrowsAsync<IOException>(() => ExtractAsync(Package(), root.Combine("demo")));

        Assert.Equal("a file", await File.ReadAllTextAsync(root.Combine("demo")));
    }
}
