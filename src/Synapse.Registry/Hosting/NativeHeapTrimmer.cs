using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Synapse.Registry.Options;

namespace Synapse.Registry.Hosting;

/// <summary>
/// Gives glibc's free heap pages back to the operating system at an interval. SQLite, OpenSSL, zlib and the runtime
/// allocate natively from many threads; the memory they free stays in the process as fragmented free chunks below the
/// top of each malloc arena, which no threshold returns and only <c>malloc_trim</c> does (docs/BENCHMARKS.md, "Registry
/// memory, fifth pass").
/// </summary>
internal sealed partial class NativeHeapTrimmer(IOptions<MemoryOptions> options, TimeProvider time, ILogger<NativeHeapTrimmer> logger)
    : BackgroundService
{
    /// <summary>Whether this process runs on glibc, the only C library with <c>malloc_trim</c>.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && HasMallocTrim();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.NativeHeapTrimInterval;
        if (interval <= TimeSpan.Zero || !IsSupported)
        {
            return;
        }
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Trim();
        }
    }

    /// <summary>Trims every arena once; returns whether any memory went back to the system.</summary>
    public bool Trim()
    {
        var started = Stopwatch.GetTimestamp();
        var released = MallocTrim(0) != 0;
        if (logger.IsEnabled(LogLevel.Debug))
        {
            logger.LogDebug("malloc_trim took {Milliseconds:F2} ms, released memory: {Released}",
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, released);
        }
        return released;
    }

    private static bool HasMallocTrim() =>
        NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "malloc_trim", out _);

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
