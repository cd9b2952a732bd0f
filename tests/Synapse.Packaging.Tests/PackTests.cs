using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace Synapse.Packaging.Tests;

public class PackTests
{
    private static TempDirectory SamplePackage()
    {
        var dir = new TempDirectory();
        dir.Write("synapse.toml", TestArchives.Manifest + "readme = \"README.md\"\n");
        dir.Write("README.md", "# Demo\n");
        dir.Write("src/main.syn", "main");
        dir.Write("src/util/strings.syn", "strings");
        dir.Write("LICENSE", "MIT");
        return dir;
    }

    private static async Task<(byte[] Bytes, PackResult Result)> PackAsync(string directory)
    {
        var output = new MemoryStream();
        var result = await PackageArchive.PackAsync(directory, output);
        return (output.ToArray(), result);
    }

    private static List<TarEntry> ReadEntries(byte[] tgz)
    {
        using var gzip = new GZipStream(new MemoryStream(tgz), CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry)
            entries.Add(entry);
        return entries;
    }

    [Fact]
    public async Task Packing_the_same_folder_twice_gives_identical_bytes()
    {
        using var dir = SamplePackage();

        var (first, firstResult) = await PackAsync(dir.Path);
        foreach (var file in Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-3));
        var (second, secondResult) = await PackAsync(dir.Path);

        Assert.Equal(first, second);
        Assert.Equal(firstResult.Sha256, secondResult.Sha256);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(first)), firstResult.Sha256);
        Assert.Equal(first.Length, firstResult.CompressedBytes);
    }

    [Fact]
    public async Task Long_and_non_ascii_paths_are_packed_deterministically()
    {
        using var dir = SamplePackage();
        var longPath = string.Join('/', Enumerable.Repeat("a-rather-long-folder-name", 6)) + "/file.syn";
        dir.Write(longPath, "deep");
        dir.Write("docs/caf\u00e9.md", "accent");

        var (first, _) = await PackAsync(dir.Path);
        await Task.Delay(1100);
        var (second, _) = await PackAsync(dir.Path);

        Assert.Equal(first, second);
        var inspection = await TestArchives.InspectAsync(first);
        Assert.Contains(inspection.Files, f => f.Path == longPath);
        Assert.Contains(inspection.Files, f => f.Path == "docs/caf\u00e9.md");
    }

    [Fact]
    public async Task Entries_are_sorted_with_the_manifest_first_and_fixed_metadata()
    {
        using var dir = SamplePackage();

        var (bytes, result) = await PackAsync(dir.Path);
        var entries = ReadEntries(bytes);

        string[] expected = ["synapse.toml", "LICENSE", "README.md", "src/main.syn", "src/util/strings.syn"];
        Assert.Equal(expected, entries.Select(e => e.Name));
        Assert.Equal(expected, result.Files.Select(f => f.Path));
        Assert.All(entries, e =>
        {
            Assert.Equal(TarEntryType.RegularFile, e.EntryType);
            Assert.Equal(new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero), e.ModificationTime);
            Assert.Equal(0, e.Uid);
            Assert.Equal(0, e.Gid);
            Assert.Equal("", ((PosixTarEntry)e).UserName);
            Assert.Equal("", ((PosixTarEntry)e).GroupName);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, e.Mode);
        });
    }

    [Fact]
    public async Task The_gzip_header_carries_no_time_or_platform()
    {
        using var dir = SamplePackage();

        var (bytes, _) = await PackAsync(dir.Path);

        Assert.Equal(new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff }, bytes[..10]);
    }

    [Fact]
    public async Task Executable_files_keep_their_execute_bit()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var dir = SamplePackage();
        var script = dir.Write("bin/run.sh", "#!/bin/sh\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var (bytes, _) = await PackAsync(dir.Path);

        var entry = ReadEntries(bytes).Single(e => e.Name == "bin/run.sh");
        Assert.True((entry.Mode & UnixFileMode.OtherExecute) != 0);
        Assert.Equal(0755, Convert.ToInt32(Convert.ToString((int)entry.Mode, 8)));
    }

    [Fact]
    public async Task Vcs_folders_and_installed_packages_are_left_out()
    {
        using var dir = SamplePackage();
        dir.Write(".git/config", "x");
        dir.Write(".hg/store", "x");
        dir.Write(".svn/entries", "x");
        dir.Write("synapse_packages/json/synapse.toml", "x");
        dir.Write("examples/app/synapse_packages/dep/x.syn", "x");
        dir.Write(".github/workflows/ci.yml", "kept");

        var (_, result) = await PackAsync(dir.Path);

        Assert.DoesNotContain(result.Files, f => f.Path.Contains(".git/", StringComparison.Ordinal)
            || f.Path.StartsWith(".hg", StringComparison.Ordinal) || f.Path.StartsWith(".svn", StringComparison.Ordinal)
            || f.Path.Contains("synapse_packages", StringComparison.Ordinal));
        Assert.Contains(result.Files, f => f.Path == ".github/workflows/ci.yml");
    }

    [Fact]
    public async Task Packing_into_the_package_folder_leaves_the_archive_itself_out()
    {
        using var dir = SamplePackage();
        var archivePath = dir.Combine("demo-1.0.0.tgz");
        dir.Write("demo-0.9.0.tgz", "an older build is an ordinary file");

        PackResult result;
        await using (var output = File.Create(archivePath))
            result = await PackageArchive.PackAsync(dir.Path, output);
        var inspection = await PackageArchive.InspectAsync(File.OpenRead(archivePath), new ArchiveLimits());

        Assert.DoesNotContain(result.Files, f => f.Path == "demo-1.0.0.tgz");
        Assert.Contains(result.Files, f => f.Path == "demo-0.9.0.tgz");
        Assert.Equal(result.Sha256, inspection.Sha256);
    }

    [Fact]
    public async Task Synapseignore_is_honoured_with_gitignore_syntax()
    {
        using var dir = SamplePackage();
        dir.Write(".synapseignore", "# build output\n*.log\n/target/\ntests/fixtures/\n!keep.log\n");
        dir.Write("debug.log", "x");
        dir.Write("src/trace.log", "x");
        dir.Write("keep.log", "kept");
        dir.Write("target/out.bin", "x");
        dir.Write("src/target/kept.syn", "nested target is not /target");
        dir.Write("tests/fixtures/big.json", "x");
        dir.Write("tests/unit.syn", "kept");

        var (_, result) = await PackAsync(dir.Path);
        var paths = result.Files.Select(f => f.Path).ToList();

        Assert.DoesNotContain("debug.log", paths);
        Assert.DoesNotContain("src/trace.log", paths);
        Assert.DoesNotContain("target/out.bin", paths);
        Assert.DoesNotContain("tests/fixtures/big.json", paths);
        Assert.Contains("keep.log", paths);
        Assert.Contains("src/target/kept.syn", paths);
        Assert.Contains("tests/unit.syn", paths);
        Assert.Contains(".synapseignore", paths);
    }

    [Fact]
    public async Task Symbolic_links_are_skipped_with_a_warning()
    {
        using var dir = SamplePackage();
        using var outside = new TempDirectory();
        outside.Write("secret.txt", "secret");
        File.CreateSymbolicLink(dir.Combine("link.txt"), outside.Combine("secret.txt"));
        Directory.CreateSymbolicLink(dir.Combine("linked-dir"), outside.Path);

        var (bytes, result) = await PackAsync(dir.Path);

        Assert.DoesNotContain(result.Files, f => f.Path.StartsWith("link", StringComparison.Ordinal));
        Assert.Equal(2, result.Warnings.Count);
        Assert.Contains(result.Warnings, w => w.Contains("'link.txt'", StringComparison.Ordinal) && w.Contains("symbolic link", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("'linked-dir'", StringComparison.Ordinal));
        Assert.DoesNotContain(ReadEntries(bytes), e => e.EntryType == TarEntryType.SymbolicLink);
    }

    [Fact]
    public async Task A_fifo_in_the_folder_does_not_hang_packing()
    {
        if (!OperatingSystem.IsLinux())
            return;
        using var dir = SamplePackage();
        Assert.Equal(0, MakeFifo(dir.Combine("pipe"), 0b110_100_100));

        var packing = Task.Run(() => PackAsync(dir.Path));
        var finished = await Task.WhenAny(packing, Task.Delay(TimeSpan.FromSeconds(30)));

        Assert.Same(packing, finished);
        var entry = ReadEntries((await packing).Bytes).Single(e => e.Name == "pipe");
        Assert.Equal(0, entry.Length);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
#pragma warning disable CA2101, SYSLIB1054 // test-only interop with an ASCII path
    private static extern int MakeFifo(string path, uint mode);
#pragma warning restore CA2101, SYSLIB1054

    [Fact]
    public async Task Empty_files_are_packed()
    {
        using var dir = SamplePackage();
        dir.Write("src/empty.syn", "");

        var (bytes, result) = await PackAsync(dir.Path);

        Assert.Contains(result.Files, f => f.Path == "src/empty.syn" && f.Size == 0);
        var inspection = await TestArchives.InspectAsync(bytes);
        Assert.Contains(inspection.Files, f => f.Path == "src/empty.syn" && f.Size == 0);
    }

    [Fact]
    public async Task Pack_then_inspect_round_trips()
    {
        using var dir = SamplePackage();

        var (bytes, result) = await PackAsync(dir.Path);
        var inspection = await TestArchives.InspectAsync(bytes);

        Assert.Equal("demo", inspection.Manifest.Name);
        Assert.Equal("# Demo\n", inspection.Readme);
        Assert.Equal(result.Files, inspection.Files);
        Assert.Equal(result.Sha256, inspection.Sha256);
        Assert.Equal(result.UnpackedBytes, inspection.UnpackedBytes);
    }

    [Fact]
    public void The_plan_lists_what_would_be_packed()
    {
        using var dir = SamplePackage();

        var plan = PackageArchive.PlanPack(dir.Path);

        Assert.Equal("synapse.toml", plan.Files[0].Path);
        Assert.Equal(5, plan.Files.Count);
        Assert.Equal(plan.Files.Sum(f => f.Size), plan.UnpackedBytes);
        Assert.Equal("demo-1.0.0.tgz", PackageArchive.FileNameFor(plan.Manifest));
    }

    [Fact]
    public async Task An_invalid_manifest_stops_packing()
    {
        using var dir = SamplePackage();
        dir.Write("synapse.toml", "[package]\nname = \"demo\"\nversion = \"one\"\n");

        var error = await Assert.ThrowsAsync<ManifestException>(() => PackAsync(dir.Path));

        Assert.Contains("package.version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_without_manifest_cannot_be_packed()
    {
        using var dir = new TempDirectory();
        dir.Write("README.md", "x");

        var error = await Assert.ThrowsAsync<PackageArchiveException>(() => PackAsync(dir.Path));

        Assert.Equal(ArchiveErrorCodes.InvalidManifest, error.Code);
        Assert.Contains("no synapse.toml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_folder_is_reported()
    {
        var error = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => PackAsync("/nonexistent/synapse/pkg"));
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ignored_or_missing_readme_is_reported()
    {
        using var dir = SamplePackage();
        dir.Write(".synapseignore", "README.md\n");

        var error = await Assert.ThrowsAsync<PackageArchiveException>(() => PackAsync(dir.Path));

        Assert.Contains("readme = \"README.md\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task File_names_that_readers_would_reject_are_refused_at_pack_time()
    {
        if (OperatingSystem.IsWindows())
            return;
        using var dir = SamplePackage();
        dir.Write(@"src\windows.syn", "x");

        var error = await Assert.ThrowsAsync<PackageArchiveException>(() => PackAsync(dir.Path));

        Assert.Contains("backslash", error.Message, StringComparison.Ordinal);
        Assert.Contains(".synapseignore", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Case_colliding_files_are_refused_at_pack_time()
    {
        if (!OperatingSystem.IsLinux())
            return;
        using var dir = SamplePackage();
        dir.Write("src/Main.syn", "x");

        var error = await Assert.ThrowsAsync<PackageArchiveException>(() => PackAsync(dir.Path));

        Assert.Contains("letter case", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_are_checked_before_writing()
    {
        using var dir = SamplePackage();
        var output = new MemoryStream();

        var error = await Assert.ThrowsAsync<PackageArchiveException>(() =>
            PackageArchive.PackAsync(dir.Path, output, new ArchiveLimits { MaxEntries = 3 }));

        Assert.Equal(ArchiveErrorCodes.PayloadTooLarge, error.Code);
        Assert.Equal(0, output.Length);
    }
}
