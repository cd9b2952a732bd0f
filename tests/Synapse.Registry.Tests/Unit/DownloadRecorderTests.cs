using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Synapse.Registry.Auth;
using Synapse.Registry.Downloads;
using Synapse.Registry.Options;
using Opts = Microsoft.Extensions.Options.Options;

namespace Synapse.Registry.Tests.Unit;

public sealed class DownloadRecorderTests
{
    private static readonly IPAddress Client = IPAddress.Parse("192.0.2.7");

    private static DownloadRecorder NewRecorder() => new(
        Opts.Create(new DownloadsOptions()),
        new SigningKeyProvider(Opts.Create(new JwtOptions { SigningKey = new string('k', 48) }), Opts.Create(new StorageOptions()),
            new HostingEnvironment { EnvironmentName = Environments.Production, ContentRootPath = Path.GetTempPath() }),
        TimeProvider.System);

    [Fact]
    public void A_burst_larger_than_the_key_limit_is_counted_in_full()
    {
        var recorder = NewRecorder();
        for (var i = 0; i < 250_000; i++)
        {
            recorder.Record(1, "http", 10, Client);
        }

        var taken = recorder.Take(100);

        var (key, count) = Assert.Single(taken);
        Assert.Equal(10, key.VersionId);
        Assert.Equal(250_000, count);
        Assert.False(recorder.HasPending);
    }

    [Fact]
    public void Counts_are_kept_per_version_and_address()
    {
        var recorder = NewRecorder();
        recorder.Record(1, "http", 10, Client);
        recorder.Record(1, "http", 10, Client);
        recorder.Record(1, "http", 11, Client);
        recorder.Record(1, "http", 11, IPAddress.Parse("2001:db8::1"));
        recorder.Record(2, "json", 20, null);

        var taken = recorder.Take(100);

        Assert.Equal(4, taken.Count);
        Assert.Equal(5, taken.Values.Sum());
        Assert.Equal(2, taken.Where(pair => pair.Key.VersionId == 10).Sum(pair => pair.Value));
    }

    [Fact]
    public void Take_hands_out_at_most_the_asked_number_of_keys_and_leaves_the_rest()
    {
        var recorder = NewRecorder();
        for (var version = 0; version < 25; version++)
        {
            recorder.Record(1, "http", version, Client);
        }

        Assert.Equal(10, recorder.Take(10).Count);
        Assert.True(recorder.HasPending);
        Assert.Equal(15, recorder.Take(100).Count);
        Assert.False(recorder.HasPending);
        Assert.Empty(recorder.Take(100));
    }

    [Fact]
    public void Restored_counts_are_added_to_new_ones()
    {
        var recorder = NewRecorder();
        recorder.Record(1, "http", 10, Client);
        var failed = recorder.Take(100);
        recorder.Record(1, "http", 10, Client);

        recorder.Restore(failed);

        Assert.Equal(2, Assert.Single(recorder.Take(100)).Value);
    }

    [Fact]
    public void New_keys_past_the_limit_are_dropped_but_known_ones_still_count()
    {
        var recorder = NewRecorder();
        for (var version = 0; version < DownloadRecorder.MaxPendingKeys + 10; version++)
        {
            recorder.Record(1, "http", version, Client);
        }
        recorder.Record(1, "http", 0, Client);

        var taken = recorder.Take(int.MaxValue);

        Assert.Equal(DownloadRecorder.MaxPendingKeys, taken.Count);
        Assert.Equal(2, taken.Single(pair => pair.Key.VersionId == 0).Value);
    }

    [Fact]
    public async Task Taking_while_recording_neither_loses_nor_repeats_a_download()
    {
        var recorder = NewRecorder();
        const int perWriter = 200_000;
        long takenTotal = 0;
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(() =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                recorder.Record(1, "http", i % 7, writer % 2 == 0 ? Client : null);
            }
        })).ToArray();
        var reader = Task.Run(async () =>
        {
            while (!writers.All(w => w.IsCompleted))
            {
                takenTotal += recorder.Take(3).Values.Sum();
                await Task.Yield();
            }
        });

        await Task.WhenAll(writers);
        await reader;
        takenTotal += recorder.Take(int.MaxValue).Values.Sum();

        Assert.Equal(4L * perWriter, takenTotal);
    }
}
