using Synapse.Registry.Search;

namespace Synapse.Registry.Tests.Unit;

public sealed class SearchConcurrencyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task No_more_searches_run_at_once_than_the_limit_and_the_next_starts_when_one_ends()
    {
        using var concurrency = new SearchConcurrency(2);
        var running = 0;
        var mostAtOnce = 0;
        var started = new[] { new TaskCompletionSource(), new TaskCompletionSource(), new TaskCompletionSource(), new TaskCompletionSource() };
        var finish = started.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var searches = Enumerable.Range(0, 4).Select(i => concurrency.RunAsync(async _ =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            started[i].SetResult();
            await finish[i].Task;
            Interlocked.Decrement(ref running);
            return i;
        }, CancellationToken.None)).ToArray();

        await Task.WhenAll(started[0].Task, started[1].Task).WaitAsync(Timeout);
        await Task.Delay(50);
        Assert.False(started[2].Task.IsCompleted);
        Assert.False(started[3].Task.IsCompleted);

        finish[0].SetResult();
        await started[2].Task.WaitAsync(Timeout);
        Assert.False(started[3].Task.IsCompleted);

        foreach (var f in finish.Skip(1))
        {
            f.TrySetResult();
        }
        var results = await Task.WhenAll(searches).WaitAsync(Timeout);
        Assert.Equal([0, 1, 2, 3], results);
        Assert.Equal(2, mostAtOnce);
    }

    [Fact]
    public async Task A_search_cancelled_while_waiting_never_runs_and_takes_no_slot()
    {
        using var concurrency = new SearchConcurrency(1);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = concurrency.RunAsync(async _ => { await release.Task; return 1; }, CancellationToken.None);

        using var cancel = new CancellationTokenSource();
        var ran = false;
        var waiting = concurrency.RunAsync(_ => { ran = true; return Task.FromResult(2); }, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        release.SetResult();
        Assert.Equal(1, await first.WaitAsync(Timeout));
        Assert.Equal(3, await concurrency.RunAsync(_ => Task.FromResult(3), CancellationToken.None).WaitAsync(Timeout));
        Assert.False(ran);
    }

    [Fact]
    public async Task A_search_that_waits_too_long_is_refused_as_unavailable_and_the_running_one_finishes()
    {
        using var concurrency = new SearchConcurrency(1, TimeSpan.FromMilliseconds(50));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = concurrency.RunAsync(async _ => { await release.Task; return 1; }, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<Synapse.Registry.Api.ApiProblemException>(() =>
            concurrency.RunAsync(_ => Task.FromResult(2), CancellationToken.None));
        Assert.Equal(503, refused.Status);
        Assert.Contains("Try again", refused.Message, StringComparison.Ordinal);

        release.SetResult();
        Assert.Equal(1, await running.WaitAsync(Timeout));
        Assert.Equal(3, await concurrency.RunAsync(_ => Task.FromResult(3), CancellationToken.None).WaitAsync(Timeout));
    }

    [Fact]
    public async Task A_failing_search_gives_its_slot_back()
    {
        using var concurrency = new SearchConcurrency(1);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            concurrency.RunAsync<int>(_ => throw new InvalidOperationException("database gone"), CancellationToken.None));
        Assert.Equal(7, await concurrency.RunAsync(_ => Task.FromResult(7), CancellationToken.None).WaitAsync(Timeout));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
