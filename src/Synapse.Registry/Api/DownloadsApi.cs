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
    public static RouteGroupBuilder MapDownloadsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/packages").WithTags("Downloads").RequireRateLimit(RateLimitPolicies.Read);
        group.MapGet("/{name}/{version}/tarball", GetTarball).Produces(StatusCodes.Status200OK, contentType: "application/gzip");
        return group;
    }

    internal static async Task<Results<FileStreamHttpResult, RedirectHttpResult, StatusCodeHttpResult, ProblemHttpResult>> GetTarball(
        string name, string version, HttpContext context, PackageDocuments documents, IBlobStore blobs, DownloadRecorder recorder,
        IOptions<StorageOptions> storage, CancellationToken cancellationToken)
    {
        HttpHelpers.ParseVersionOrThrow(version);
        var row = PackageNames.LooksValid(name) ? await documents.FindTarballAsync(name, version, cancellationToken) : null;
        if (row is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, ErrorCodes.VersionNotFound,
                $"Package '{HttpHelpers.Truncate(name)}' has no version {HttpHelpers.Truncate(version)}.");
        }
        var etag = new EntityTagHeaderValue($"\"{row.Sha256}\"");
        var countable = !context.Request.Headers.ContainsKey(HeaderNames.Range) && !context.Request.IfNoneMatch(etag.ToString());
        if (storage.Value.PresignedDownloads
            && await blobs.GetDownloadUrlAsync(row.Sha256, TimeSpan.FromMinutes(5), cancellationToken) is { } url)
        {
            if (countable)
            {
                recorder.Record(row.PackageId, row.CanonicalName, row.VersionId, context.Connection.RemoteIpAddress);
            }
            return TypedResults.Redirect(url.ToString());
        }
        var stream = await blobs.OpenReadAsync(row.Sha256, cancellationToken);
        if (stream is null)
        {
            throw new BlobMissingException($"The tarball of {row.Name} {row.Version} is missing from storage.");
        }
        if (countable)
        {
            recorder.Record(row.PackageId, row.CanonicalName, row.VersionId, context.Connection.RemoteIpAddress);
        }
        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.Stream(stream, "application/gzip", $"{row.Name}-{row.Version}.tgz",
            lastModified: row.PublishedAt, entityTag: etag, enableRangeProcessing: true);
    }
}

/// <summary>A version row exists but storage has no blob for it: a storage fault, answered with 503.</summary>
internal sealed class BlobMissingException(string message) : Exception(message);
