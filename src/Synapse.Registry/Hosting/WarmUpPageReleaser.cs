using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using Synapse.Registry.Options;

namespace Synapse.Registry.Hosting;

/// <summary>
/// Gives back the pages of mapped files (assemblies, native libraries) that one-time work touched: starting up (the
/// configuration binders, dependency injection, EF Core's model and migrations) and the first use of each code path,
/// whose JIT compilation reads IL and metadata it never reads again. Such pages stay resident until memory runs short.
/// Once the host has started, and after each later burst of JIT compilation has settled while the registry is quiet,
/// this asks Linux to page out the clean pages of read-only, file-backed mappings (<c>MADV_PAGEOUT</c>); a page still
/// in use is read back from its file on the next access. Nothing that exists only in memory can be affected: the heap,
/// JIT code and anything written (private copies) are excluded, so are the runtime's own libraries, and pages other
/// processes map too are left alone by the kernel (docs/BENCHMARKS.md, "Registry memory, sixth pass").
/// </summary>
internal sealed partial class WarmUpPageReleaser(
    IOptions<MemoryOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<WarmUpPageReleaser> logger) : BackgroundService
{
    /// <summary>How often the JIT's progress is looked at.</summary>
    internal static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(2);

    /// <summary>New compilations since the last release that make a burst worth releasing after.</summary>
    internal const long BurstMethods = 500;

    /// <summary>Fewer new compilations than this in one check interval: the burst has settled.</summary>
    internal const long SettledMethods = 50;

    /// <summary>Less allocation than this in one check interval: the registry is quiet enough to read pages back.</summary>
    internal const long QuietAllocatedBytes = 4 << 20;

    private const int MadvPageout = 21;
    private const ulong ReleaseStep = 256 * 1024;

    // The mappings and the JIT belong to the process: hosts sharing one (tests) run one releaser between them.
    private static int s_processReleaserRunning;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReleaseWarmUpPages || !OperatingSystem.IsLinux()
            || Interlocked.CompareExchange(ref s_processReleaserRunning, 1, 0) != 0)
        {
            return;
        }
        try
        {
            // Startup is the first burst, and its end is known: nothing needs its pages once the host has started.
            await WhenStarted(lifetime, stoppingToken);
            if (!ReleaseAndLog())
            {
                return;
            }
            var bursts = new CompilationBursts(JitInfo.GetCompiledMethodCount(), GC.GetTotalAllocatedBytes());
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(CheckInterval, time, stoppingToken);
                if (bursts.ReleaseDue(JitInfo.GetCompiledMethodCount(), GC.GetTotalAllocatedBytes()) && !ReleaseAndLog())
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref s_processReleaserRunning, 0);
        }
    }

    /// <summary>
    /// Follows the JIT's compilation count and the bytes allocated from check to check. A burst is at least
    /// <see cref="BurstMethods"/> new compilations since the last release; it has ended when a check interval added
    /// fewer than <see cref="SettledMethods"/>. The release waits for an interval with less than
    /// <see cref="QuietAllocatedBytes"/> allocated: right after one, the pages still in use are read back, and under
    /// heavy load that stalled a garbage collection long enough for it to grow the heap by ~20 MB.
    /// </summary>
    internal sealed class CompilationBursts(long compiledAtRelease, long allocatedAtRelease)
    {
        private long _compiledAtLastCheck = compiledAtRelease;
        private long _compiledAtLastRelease = compiledAtRelease;
        private long _allocatedAtLastCheck = allocatedAtRelease;

        /// <summary>Takes this check's counts; true when a burst has ended and the registry is quiet.</summary>
        public bool ReleaseDue(long compiled, long allocated)
        {
            var due = compiled - _compiledAtLastRelease >= BurstMethods
                && compiled - _compiledAtLastCheck < SettledMethods
                && allocated - _allocatedAtLastCheck < QuietAllocatedBytes;
            _compiledAtLastCheck = compiled;
            _allocatedAtLastCheck = allocated;
            if (due)
            {
                _compiledAtLastRelease = compiled;
            }
            return due;
        }
    }

    private bool ReleaseAndLog()
    {
        var before = ResidentFileKilobytes();
        var started = Stopwatch.GetTimestamp();
        var result = Release();
        var took = Stopwatch.GetElapsedTime(started);
        if (result.Error is { } error)
        {
            LogNotReleased(logger, error);
            return false;
        }
        var after = ResidentFileKilobytes();
        LogReleased(logger, result.Mappings, before / 1024, after / 1024, took.TotalMilliseconds);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Warm-up pages of mapped files are kept: madvise(MADV_PAGEOUT) failed with errno {Errno} (it needs Linux 5.4 or later)")]
    private static partial void LogNotReleased(ILogger logger, int errno);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Released warm-up pages of {Mappings} mapped files in {Milliseconds:F1} ms: resident file pages {BeforeMegabytes} MB -> {AfterMegabytes} MB")]
    private static partial void LogReleased(ILogger logger, int mappings, long beforeMegabytes, long afterMegabytes, double milliseconds);

    /// <summary>The outcome of one release: how many mappings were advised, or the errno that stopped it.</summary>
    internal readonly record struct ReleaseResult(int Mappings, int? Error);

    /// <summary>Advises the kernel to page out every releasable mapping of this process now.</summary>
    internal static ReleaseResult Release()
    {
        var mappings = 0;
        foreach (var range in ReleasableRanges(File.ReadAllText("/proc/self/smaps")))
        {
            var errno = PageOut(range);
            if (errno == 0)
            {
                mappings++;
            }
            // ENOMEM: the mapping went away between reading smaps and advising it (an assembly unloaded, a file closed).
            else if (errno != 12)
            {
                return new ReleaseResult(mappings, errno);
            }
        }
        return new ReleaseResult(mappings, null);
    }

    // In steps: the kernel holds the process's memory-map lock while it reclaims, and the GC committing memory (and,
    // behind it, every page fault) waits for that lock; a whole 10 MB image at once stalled request threads.
    private static int PageOut(AddressRange range)
    {
        for (var offset = 0UL; offset < range.Length; offset += ReleaseStep)
        {
            if (Madvise((nint)(range.Start + offset), (nuint)Math.Min(ReleaseStep, range.Length - offset), MadvPageout) != 0)
            {
                return Marshal.GetLastPInvokeError();
            }
        }
        return 0;
    }

    /// <summary>An address range of one mapping.</summary>
    internal readonly record struct AddressRange(ulong Start, ulong Length);

    /// <summary>
    /// The mappings of a <c>/proc/PID/smaps</c> text whose pages can be dropped and read back: backed by a file on a
    /// file system (not a memfd, shared memory or a deleted file, whose pages exist only in memory), not writable, and
    /// with no anonymous (copied-on-write) pages such as relocated image data.
    /// </summary>
    internal static List<AddressRange> ReleasableRanges(string smaps)
    {
        var releasable = new List<AddressRange>();
        AddressRange? current = null;
        foreach (var line in smaps.AsSpan().EnumerateLines())
        {
            if (IsMappingHeader(line, out var range, out var canRelease))
            {
                current = canRelease ? range : null;
            }
            else if (current is { } candidate && line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                if (KilobytesOf(line["Anonymous:".Length..]) == 0)
                {
                    releasable.Add(candidate);
                }
                current = null;
            }
        }
        return releasable;
    }

    // "7f1c2a000000-7f1c2a200000 r--s 00000000 fd:00 1234   /usr/share/dotnet/shared/.../System.Private.CoreLib.dll"
    private static bool IsMappingHeader(ReadOnlySpan<char> line, out AddressRange range, out bool releasable)
    {
        range = default;
        releasable = false;
        var dash = line.IndexOf('-');
        var space = line.IndexOf(' ');
        if (dash <= 0 || space <= dash
            || !ulong.TryParse(line[..dash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var start)
            || !ulong.TryParse(line[(dash + 1)..space], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var end))
        {
            return false;
        }
        range = new AddressRange(start, end - start);
        var rest = line[(space + 1)..];
        var permissions = rest.Length >= 4 ? rest[..4] : rest;
        var pathStart = rest.IndexOf('/');
        if (pathStart < 0 || permissions.Contains('w'))
        {
            return true;
        }
        var path = rest[pathStart..].TrimEnd();
        releasable = !path.StartsWith("/memfd:", StringComparison.Ordinal)
            && !path.StartsWith("/dev/", StringComparison.Ordinal)
            && !path.EndsWith("(deleted)", StringComparison.Ordinal)
            && !IsRuntimeLibrary(path);
        return true;
    }

    // The runtime's own code (the GC, the type loader, the JIT) is kept: a garbage collection that has to read its
    // code back from disk holds every thread suspended meanwhile (330 ms after one release under load, and 27 MB more
    // memory by its end).
    private static bool IsRuntimeLibrary(ReadOnlySpan<char> path) =>
        path.EndsWith("/libcoreclr.so", StringComparison.Ordinal) || path.EndsWith("/libclrjit.so", StringComparison.Ordinal);

    private static long KilobytesOf(ReadOnlySpan<char> value)
    {
        value = value.Trim();
        var unit = value.IndexOf(' ');
        return long.TryParse(unit < 0 ? value : value[..unit], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes)
            ? kilobytes
            : -1;
    }

    /// <summary>The process's resident file-backed memory (<c>RssFile</c>), in kilobytes.</summary>
    internal static long ResidentFileKilobytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                return KilobytesOf(line.AsSpan("RssFile:".Length));
            }
        }
        return 0;
    }

    private static async Task WhenStarted(IHostApplicationLifetime lifetime, CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}
