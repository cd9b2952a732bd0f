using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Synapse.Registry.Downloads;
using Synapse.Registry.Options;
using Synapse.Registry.Packages;
using Synapse.Registry.RateLimiting;
using Synapse.Registry.Storage;

namespace Synapse.Registry.Api;

internal static class DownloadsApi
{
    private const string TarballContentType = "application/gzip";
    private const string ImmutableCaching = "public, max-age=31536000, immutable";

    public static RouteGroupBuilder MapDownloadsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/packages").WithTags("Downloads").RequireRateLimit(RateLimitPolicies.Read);
        group.MapGet("/{name}/{version}/tarball", GetTarball).Produces(StatusCodes.Status200OK, contentType: TarballContentType);
        return group;
    }

    /// <summary>
    /// The hot path: a cached (name, version) → blob lookup (the database only on a miss, without a DbContext
    /// otherwise), then the file: small ones read in one go, larger ones sent by the server (file system), or
    /// streamed (other stores).
    /// </summary>
    internal static async ValueTask<Results<SmallFileResult, PhysicalFileHttpResult, FileStreamHttpResult, RedirectHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetTarball(
        string name, string version, HttpContext context, MetadataCache cache, IBlobStore blobs, DownloadRecorder recorder,
        IOptions<StorageOptions> storage, CancellationToken cancellationToken)
    {
        HttpHelpers.ParseVersionOrThrow(version);
        TarballEntry? entry = null;
        if (PackageNames.LooksValid(name))
        {
            entry = cache.GetTarball(PackageNames.Canonical(name), PackageNames.NormalizedVersion(version))
                ?? await context.RequestServices.GetRequiredService<PackageDocuments>().FindTarballAsync(name, version, cancellationToken);
        }
        if (entry is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, ErrorCodes.VersionNotFound,
                $"Package '{HttpHelpers.Truncate(name)}' has no version {HttpHelpers.Truncate(version)}.");
        }
        var countable = !context.Request.Headers.ContainsKey(HeaderNames.Range) && !context.Request.IfNoneMatch(entry.ETag);
        if (storage.Value.PresignedDownloads
            && await blobs.GetDownloadUrlAsync(entry.Sha256, TimeSpan.FromMinutes(5), cancellationToken) is { } url)
        {
            Count(entry, countable, context, recorder);
            return TypedResults.Redirect(url.ToString());
        }
        if (blobs is ILocalBlobStore local && entry.Size <= SmallFileResult.MaxLength)
        {
            var file = local.OpenForReading(entry.Sha256) ?? throw Missing(entry);
            Count(entry, countable, context, recorder);
            SetDownloadHeaders(context, entry);
            return new SmallFileResult(file, (int)entry.Size, TarballContentType, entry.PublishedAt, entry.EntityTag);
        }
        if (blobs is ILocalBlobStore large)
        {
            var path = large.LocalPathOf(entry.Sha256) ?? throw Missing(entry);
            Count(entry, countable, context, recorder);
            SetDownloadHeaders(context, entry);
            return TypedResults.PhysicalFile(path, TarballContentType,
                lastModified: entry.PublishedAt, entityTag: entry.EntityTag, enableRangeProcessing: true);
        }
        var stream = await blobs.OpenReadAsync(entry.Sha256, cancellationToken) ?? throw Missing(entry);
        Count(entry, countable, context, recorder);
        SetDownloadHeaders(context, entry);
        return TypedResults.Stream(stream, TarballContentType,
            lastModified: entry.PublishedAt, entityTag: entry.EntityTag, enableRangeProcessing: true);
    }

    /// <summary>Precomputed per version, so the file result does not rebuild them per request.</summary>
    private static void SetDownloadHeaders(HttpContext context, TarballEntry entry)
    {
        var headers = context.Response.Headers;
        headers.CacheControl = ImmutableCaching;
        headers.ContentDisposition = entry.ContentDisposition;
    }

    private static void Count(TarballEntry entry, bool countable, HttpContext context, DownloadRecorder recorder)
    {
        if (countable)
        {
            recorder.Record(entry.PackageId, entry.CanonicalName, entry.VersionId, context.Connection.RemoteIpAddress);
        }
    }

    private static BlobMissingException Missing(TarballEntry entry) =>
        new($"The tarball of {entry.Name} {entry.Version} is missing from storage.");
}

/// <summary>A version row exists but storage has no blob for it: a storage fault, answered with 503.</summary>
internal sealed class BlobMissingException(string message) : Exception(message);
