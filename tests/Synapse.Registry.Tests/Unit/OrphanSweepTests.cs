using Microsoft.Extensions.DependencyInjection;
using Synapse.Registry.Storage;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Unit;

public sealed class OrphanSweepTests
{
    [Fact]
    public async Task The_sweep_removes_old_unreferenced_blobs_and_keeps_referenced_and_recent_ones()
    {
        using var factory = new RegistryFactory();
        var token = await factory.RegisterAsync("sweeper");
        var published = await factory.PublishOkAsync(token, TestPackages.Build("kept", "1.0.0"));
        var blobs = factory.Services.GetRequiredService<IBlobStore>();
        var orphan = TestPackages.Build("orphan", "1.0.0");
        var orphanKey = TestPackages.Sha256(orphan);
        await blobs.PutAsync(orphanKey, new MemoryStream(orphan), CancellationToken.None);

        var sweeper = factory.Services.GetRequiredService<OrphanBlobSweeper>();
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));

        // Advancing the clock also wakes the periodic sweep, which may get there first.
        factory.Clock.Advance(TimeSpan.FromHours(2));
        Assert.InRange(await sweeper.SweepAsync(CancellationToken.None), 0, 1);
        Assert.Null(await blobs.GetInfoAsync(orphanKey, CancellationToken.None));
        Assert.NotNull(await blobs.GetInfoAsync(published.Sha256, CancellationToken.None));
    }
}
