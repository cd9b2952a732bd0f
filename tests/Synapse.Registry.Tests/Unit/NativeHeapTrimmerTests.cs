using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Registry.Hosting;
using Synapse.Registry.Options;
using Opts = Microsoft.Extensions.Options.Options;

namespace Synapse.Registry.Tests.Unit;

public sealed class NativeHeapTrimmerTests
{
    private const int BlockBytes = 16 * 1024;
    private const int Blocks = 4096;

    [Fact]
    public void Trimming_gives_freed_native_heap_pages_back_to_the_system()
    {
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeapTrimmer.IsSupported);
        if (!NativeHeapTrimmer.IsSupported)
        {
            return;
        }
        using var trimmer = NewTrimmer(TimeSpan.FromSeconds(1));
        var thread = new Thread(() =>
        {
            // 64 MB in blocks below the mmap threshold, all freed except the last: the free space sits below a live block,
            // where free() never gives it back.
            var blocks = new IntPtr[Blocks];
            for (var i = 0; i < Blocks; i++)
            {
                blocks[i] = Marshal.AllocHGlobal(BlockBytes);
                for (var offset = 0; offset < BlockBytes; offset += 4096)
                {
                    Marshal.WriteByte(blocks[i], offset, 1);
                }
            }
            for (var i = 0; i < Blocks - 1; i++)
            {
                Marshal.FreeHGlobal(blocks[i]);
            }
            var held = AnonymousRssKilobytes();

            Assert.True(trimmer.Trim());
            var afterTrim = AnonymousRssKilobytes();

            Marshal.FreeHGlobal(blocks[^1]);
            Assert.True(held - afterTrim > 32 * 1024, $"RSS {held} kB before the trim, {afterTrim} kB after");
        });
        thread.Start();
        thread.Join();
    }

    [Fact]
    public async Task A_zero_interval_turns_trimming_off()
    {
        using var off = NewTrimmer(TimeSpan.Zero);
        using var on = NewTrimmer(TimeSpan.FromHours(1));

        await off.StartAsync(CancellationToken.None);
        await on.StartAsync(CancellationToken.None);

        await off.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(NativeHeapTrimmer.IsSupported, !on.ExecuteTask!.IsCompleted);
        await on.StopAsync(CancellationToken.None);
    }

    private static NativeHeapTrimmer NewTrimmer(TimeSpan interval) =>
        new(Opts.Create(new MemoryOptions { NativeHeapTrimInterval = interval }), TimeProvider.System, NullLogger<NativeHeapTrimmer>.Instance);

    private static long AnonymousRssKilobytes() =>
        File.ReadLines("/proc/self/status").Where(line => line.StartsWith("RssAnon:", StringComparison.Ordinal))
            .Select(line => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture))
            .Single();
}
