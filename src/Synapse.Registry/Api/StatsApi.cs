using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Data;
using Synapse.Registry.Packages;
using Synapse.Registry.RateLimiting;

namespace Synapse.Registry.Api;

internal static class StatsApi
{
    public const int ListLength = 10;

    public static RouteGroupBuilder MapStatsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/stats").WithTags("Stats").RequireRateLimit(RateLimitPolicies.Read);
        group.MapGet("/", GetStats);
        return group;
    }

    internal static async Task<Ok<RegistryStats>> GetStats(RegistryDbContext db, CancellationToken cancellationToken)
    {
        var top = await db.Packages.AsNoTracking().Where(p => p.Versions.Any(v => !v.IsDeleted))
            .OrderByDescending(p => p.Downloads).ThenBy(p => p.CanonicalName).Take(ListLength).ToListAsync(cancellationToken);
        var topIds = top.Select(p => p.Id).ToList();
        var topVersions = (await db.PackageVersions.AsNoTracking().Where(v => topIds.Contains(v.PackageId) && !v.IsDeleted).ToListAsync(cancellationToken))
            .ToLookup(v => v.PackageId);
        var recent = await db.PackageVersions.AsNoTracking().Where(v => !v.IsDeleted)
            .OrderByDescending(v => v.PublishedAt).ThenByDescending(v => v.Id).Take(ListLength)
            .Select(v => new { v.Package!.Name, v.Version, v.Package.Downloads, v.PublishedAt }).ToListAsync(cancellationToken);
        return TypedResults.Ok(new RegistryStats
        {
            Packages = await db.Packages.LongCountAsync(p => p.Versions.Any(v => !v.IsDeleted), cancellationToken),
            Versions = await db.PackageVersions.LongCountAsync(v => !v.IsDeleted, cancellationToken),
            Users = await db.Users.LongCountAsync(cancellationToken),
            Downloads = await db.Packages.SumAsync(p => p.Downloads, cancellationToken),
            MostDownloaded = top.Select(p => new PackageStat { Name = p.Name, Version = PackageStore.LatestOf(topVersions[p.Id])?.Version, Downloads = p.Downloads }).ToList(),
            RecentlyPublished = recent.Select(r => new PackageStat { Name = r.Name, Version = r.Version, Downloads = r.Downloads, PublishedAt = r.PublishedAt }).ToList(),
        });
    }
}
