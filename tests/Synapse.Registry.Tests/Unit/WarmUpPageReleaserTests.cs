using System.IO.MemoryMappedFiles;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Synapse.Registry.Hosting;
using Synapse.Registry.Options;
using Synapse.Registry.Tests.Infrastructure;
using Opts = Microsoft.Extensions.Options.Options;

namespace Synapse.Registry.Tests.Unit;

[Collection(nameof(NativeHeapTrimmerTests))]
public sealed class WarmUpPageReleaserTests
{
    private const string Smaps = """
        55d0c8a5e000-55d0c8a7f000 rw-p 00000000 00:00 0                          [heap]
        Size:                132 kB
        Rss:                  24 kB
        Anonymous:            24 kB
        VmFlags: rd wr mr mw me ac sd
        7f10a0000000-7f10a0400000 r--s 00000000 fd:00 1201   /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/System.Private.CoreLib.dll
        Size:               4096 kB
        Rss:                3000 kB
        Anonymous:             0 kB
        VmFlags: rd sh mr mw me ms sd
        7f10a0400000-7f10a0600000 r-xp 00400000 fd:00 1202   /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/libcoreclr.so
        Size:               2048 kB
        Anonymous:             0 kB
        7f10a0600000-7f10a0610000 r--p 00600000 fd:00 1202   /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/libcoreclr.so
        Size:                 64 kB
        Anonymous:            64 kB
        7f10a0610000-7f10a0618000 rw-p 00610000 fd:00 1202   /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/libcoreclr.so
        Size:                 32 kB
        Anonymous:             0 kB
        7f10a0700000-7f10a0800000 r-xs 00000000 00:01 77     /memfd:doublemapper (deleted)
        Size:               1024 kB
        Anonymous:             0 kB
        7f10a0800000-7f10a0801000 r--s 00000000 00:05 12     /dev/shm/lttng-ust-wait
        Size:                  4 kB
        Anonymous:             0 kB
        7f10a0900000-7f10a0a00000 r--p 00000000 fd:00 99     /srv/registry/old.dll (deleted)
        Size:               1024 kB
        Anonymous:             0 kB
        7f10a0c00000-7f10a0d00000 r-xp 00000000 fd:00 1210   /usr/lib/x86_64-linux-gnu/libe_sqlite3.so
        Size:               1024 kB
        Anonymous:             0 kB
        7f10a0d00000-7f10a0e00000 r-xp 00000000 fd:00 1203   /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.0/libclrjit.so
        Size:               1024 kB
        Anonymous:             0 kB
        7f10a0b00000-7f10a0b01000 r--p 00000000 00:00 0
        Size:                  4 kB
        Anonymous:             0 kB
        7ffd5e1f0000-7ffd5e1f2000 r-xp 00000000 00:00 0                          [vdso]
        Size:                  8 kB
        Anonymous:             0 kB
        """;

    [Fact]
    public void Only_read_only_file_mappings_without_private_copies_outside_the_runtime_are_releasable()
    {
        var ranges = WarmUpPageReleaser.ReleasableRanges(Smaps);

        Assert.Equal(
            [new(0x7f10a0000000, 0x400000), new(0x7f10a0c00000, 0x100000)],
            ranges);
    }

    [Fact]
    public void Releases_once_after_each_burst_of_compilations_has_settled_and_the_registry_is_quiet()
    {
        const long MB = 1 << 20;
        var bursts = new WarmUpPageReleaser.CompilationBursts(compiledAtRelease: 1_000, allocatedAtRelease: 0);
        (long Compiled, long Allocated, bool Due)[] checks =
        [
            (2_000, 10 * MB, false), // compiling
            (4_900, 30 * MB, false),
            (4_960, 31 * MB, false), // 60 new: not settled
            (4_990, 60 * MB, false), // settled, but 29 MB allocated in the interval: busy
            (4_995, 62 * MB, true), // settled and quiet
            (5_200, 63 * MB, false), // 205 new since the release: no burst
            (5_600, 64 * MB, false),
            (5_620, 65 * MB, true), // the next burst (630) has settled
            (5_620, 65 * MB, false),
            (9_000, 66 * MB, false),
            (9_049, 66 * MB + 4 * MB - 1, true), // 49 < 50 new and just under 4 MB allocated
        ];

        foreach (var (compiled, allocated, due) in checks)
        {
            Assert.Equal(due, bursts.ReleaseDue(compiled, allocated));
        }
    }

    [Fact]
    public void Releasing_drops_clean_pages_of_a_mapped_file_and_keeps_memory_only_pages()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        const int FileBytes = 32 << 20;
        // Next to the test assembly rather than in the temp folder, which may be a tmpfs (memory, not a file system).
        var path = Path.Combine(AppContext.BaseDirectory, $"mapped-{Guid.NewGuid():N}.bin");
        try
        {
            using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                var chunk = new byte[1 << 20];
                Random.Shared.NextBytes(chunk);
                for (var written = 0; written < FileBytes; written += chunk.Length)
                {
                    file.Write(chunk);
                }
                file.Flush(flushToDisk: true); // dirty page-cache pages are written back before they can be dropped
            }
            using var mapped = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = mapped.CreateViewAccessor(0, FileBytes, MemoryMappedFileAccess.Read);
            long checksum = 0;
            for (long offset = 0; offset < FileBytes; offset += 4096)
            {
                checksum += view.ReadByte(offset);
            }
            var (fileBefore, shmemBefore) = (ResidentMemory.Kilobytes("RssFile"), ResidentMemory.Kilobytes("RssShmem"));

            var result = WarmUpPageReleaser.Release();

            var (fileAfter, shmemAfter) = (ResidentMemory.Kilobytes("RssFile"), ResidentMemory.Kilobytes("RssShmem"));
            Assert.Null(result.Error);
            Assert.True(fileBefore - fileAfter > 24 * 1024, $"RssFile {fileBefore} kB before, {fileAfter} kB after");
            // JIT code lives in shared memory (a memfd): paging it out would only hide it from the resident set.
            Assert.True(shmemAfter >= shmemBefore - 512, $"RssShmem {shmemBefore} kB before, {shmemAfter} kB after");
            long again = 0;
            for (long offset = 0; offset < FileBytes; offset += 4096)
            {
                again += view.ReadByte(offset);
            }
            Assert.Equal(checksum, again);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Releases_once_the_host_has_started_and_not_when_turned_off()
    {
        var log = new FakeLogger<WarmUpPageReleaser>();
        using var lifetime = new Lifetime();
        using var off = new WarmUpPageReleaser(Opts.Create(new MemoryOptions { ReleaseWarmUpPages = false }), lifetime, TimeProvider.System, log);
        using var on = new WarmUpPageReleaser(Opts.Create(new MemoryOptions()), lifetime, TimeProvider.System, log);

        await off.StartAsync(CancellationToken.None);
        await on.StartAsync(CancellationToken.None);
        await off.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(200);
        Assert.Equal(0, log.Collector.Count); // nothing before the host has started

        lifetime.Start();
        if (OperatingSystem.IsLinux())
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (log.Collector.Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }
            Assert.StartsWith("Released warm-up pages of ", Assert.Single(log.Collector.GetSnapshot()).Message);
        }
        await on.StopAsync(CancellationToken.None);
    }

    private sealed class Lifetime : IHostApplicationLifetime, IDisposable
    {
        private readonly CancellationTokenSource _started = new();

        public CancellationToken ApplicationStarted => _started.Token;
        public CancellationToken ApplicationStopping => CancellationToken.None;
        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void Start() => _started.Cancel();
        public void StopApplication() { }
        public void Dispose() => _started.Dispose();
    }
}
