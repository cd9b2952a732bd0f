using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Registry.Hosting;
using Synapse.Registry.Options;
using Synapse.Registry.Tests.Infrastructure;
using Opts = Microsoft.Extensions.Options.Options;

namespace Synapse.Registry.Tests.Unit;

/// <summary>Measures the process's resident memory, so it runs alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(NativeHeapTrimmerTests), DisableParallelization = true)]
public sealed class ResidentMemoryCollection;

[Collection(nameof(NativeHeapTrimmerTests))]
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
        long held = 0, afterTrim = 0;
        var released = false;
        // On its own thread: glibc gives each thread's allocations an arena, and this one's must hold the freed blocks.
        var thread = new Thread(() =>
        {
            // 64 MB in blocks below the mmap threshold, all freed except the last: the free space sits below a live
            // block, where free() never gives it back.
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
            held = ResidentMemory.Kilobytes("RssAnon");
            released = NativeHeapTrimmer.Trim();
            afterTrim = ResidentMemory.Kilobytes("RssAnon");
            Marshal.FreeHGlobal(blocks[^1]);
        });
        thread.Start();
        thread.Join();

        Assert.True(released);
        Assert.True(held - afterTrim > 32 * 1024, $"RSS {held} kB before the trim, {afterTrim} kB after");
    }

    [Fact]
    public async Task A_zero_interval_turns_trimming_off_and_a_process_runs_one_trimmer()
    {
        using var off = NewTrimmer(TimeSpan.Zero);
        using var first = NewTrimmer(TimeSpan.FromHours(1));
        using var second = NewTrimmer(TimeSpan.FromHours(1));

        await off.StartAsync(CancellationToken.None);
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        await off.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.WhenAny(first.ExecuteTask!, second.ExecuteTask!).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(NativeHeapTrimmer.IsSupported ? 1 : 0, new[] { first, second }.Count(trimmer => !trimmer.ExecuteTask!.IsCompleted));
        await first.StopAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData(1000, 0.1, 1000)]
    [InlineData(1000, 10, 1000)]
    [InlineData(1000, 50, 5000)]
    [InlineData(60_000, 900, 90_000)]
    public void A_slow_trim_pushes_the_next_one_out_to_keep_it_under_one_percent(int intervalMs, double trimMs, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs),
            NativeHeapTrimmer.NextDelay(TimeSpan.FromMilliseconds(intervalMs), TimeSpan.FromMilliseconds(trimMs)));
    }

    private static NativeHeapTrimmer NewTrimmer(TimeSpan interval) =>
        new(Opts.Create(new MemoryOptions { NativeHeapTrimInterval = interval }), TimeProvider.System, NullLogger<NativeHeapTrimmer>.Instance);
}
