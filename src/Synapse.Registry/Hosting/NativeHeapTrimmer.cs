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

    // The C heap belongs to the process: hosts sharing one (tests) trim it once per interval between them, not each.
    private static int s_processTrimmerRunning;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.NativeHeapTrimInterval;
        if (interval <= TimeSpan.Zero || !IsSupported || Interlocked.CompareExchange(ref s_processTrimmerRunning, 1, 0) != 0)
        {
            return;
        }
        try
        {
            var delay = interval;
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(delay, time, stoppingToken);
                var started = Stopwatch.GetTimestamp();
                var released = Trim();
                var took = Stopwatch.GetElapsedTime(started);
                if (logger.IsEnabled(LogLevel.Debug))
                {
                    logger.LogDebug("malloc_trim took {Milliseconds:F2} ms, released memory: {Released}", took.TotalMilliseconds, released);
                }
                delay = NextDelay(interval, took);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref s_processTrimmerRunning, 0);
        }
    }

    /// <summary>
    /// The configured interval, unless trimming took more than 1% of it: <c>malloc_trim</c> walks every free chunk
    /// under the arena's lock, which a large, fragmented heap makes slow, so the trimmer never takes more than ~1% of
    /// a core.
    /// </summary>
    internal static TimeSpan NextDelay(TimeSpan interval, TimeSpan lastTrim) =>
        TimeSpan.FromTicks(Math.Max(interval.Ticks, lastTrim.Ticks * 100));

    /// <summary>Trims every arena once; returns whether any memory went back to the system.</summary>
    public static bool Trim() => MallocTrim(0) != 0;

    private static bool HasMallocTrim() =>
        NativeLibrary.TryLoad("libc.so.6", out var libc) && NativeLibrary.TryGetExport(libc, "malloc_trim", out _);

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
