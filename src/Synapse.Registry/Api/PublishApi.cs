using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Synapse.Packaging;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Auth;
using Synapse.Registry.Data;
using Synapse.Registry.Options;
using Synapse.Registry.Packages;
using Synapse.Registry.RateLimiting;
using Synapse.Registry.Storage;

namespace Synapse.Registry.Api;

internal static class PublishApi
{
    /// <summary>Room for multipart boundaries and the <c>sha256</c> field around the tarball.</summary>
    private const long MultipartOverhead = 64 * 1024;
    private const int MaxFieldLength = 200;

    public static RouteGroupBuilder MapPublishApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/packages").WithTags("Publish");
        group.MapPost("/", Publish)
            .RequireCaller()
            .RequireRateLimit(RateLimitPolicies.Publish)
            .DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data")
            .Produces<VersionDocument>(StatusCodes.Status201Created);
        return group;
    }

    internal static async Task<Results<Created<VersionDocument>, ProblemHttpResult>> Publish(
        HttpContext context, Caller caller, PackageStore store, PackageDocuments documents, IBlobStore blobs, BlobKeyLocks locks,
        IOptions<LimitsOptions> limitsOptions, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var limits = limitsOptions.Value;
        var request = context.Request;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limits.MaxTarballBytes + MultipartOverhead;
        }
        if (request.ContentLength > limits.MaxTarballBytes + MultipartOverhead)
        {
            return TooLarge(limits);
        }
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return Problems.Create(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                "Publish with multipart/form-data: a file part named 'tarball' and an optional 'sha256' field.");
        }

        var upload = await ReceiveAsync(request, boundary, limits, cancellationToken);
        if (upload.Problem is not null)
        {
            return upload.Problem;
        }
        await using var temp = upload.Temp!;
        if (upload.ClientSha256 is not null && !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(upload.ClientSha256), Encoding.ASCII.GetBytes(upload.Sha256!)))
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.ChecksumMismatch,
                $"The upload's SHA-256 is {upload.Sha256} but the client said {upload.ClientSha256}; the file was changed or damaged in transit. Try again.");
        }

        ArchiveInspection inspection;
        try
        {
            temp.Stream.Position = 0;
            inspection = await PackageArchive.InspectAsync(temp.Stream, new ArchiveLimits
            {
                MaxCompressedBytes = limits.MaxTarballBytes,
                MaxUnpackedBytes = limits.MaxUnpackedBytes,
                MaxEntries = limits.MaxEntries,
                MaxCompressionRatio = limits.MaxCompressionRatio,
            }, cancellationToken);
        }
        catch (PackageArchiveException ex)
        {
            return ex.Code switch
            {
                ErrorCodes.PayloadTooLarge => Problems.Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, ex.Message),
                ErrorCodes.InvalidManifest => Problems.Create(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidManifest, ex.Message, ManifestErrors(ex.InnerException)),
                _ => Problems.Create(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidPackage, ex.Message,
                    ex.EntryPath is null ? null : new Dictionary<string, string[]> { [ex.EntryPath] = [ex.Message] }),
            };
        }
        catch (ManifestException ex)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidManifest, ex.Message, ManifestErrors(ex));
        }

        var manifest = inspection.Manifest;
        if (PackageName.Validate(manifest.Name) is { } nameError)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidName, nameError,
                new Dictionary<string, string[]> { ["name"] = [nameError] });
        }
        if (string.IsNullOrWhiteSpace(manifest.License))
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidManifest,
                "synapse.toml: package.license: a license is required to publish; add an SPDX expression such as license = \"MIT\".",
                new Dictionary<string, string[]> { ["package.license"] = ["required to publish"] });
        }

        var version = new NewVersion(
            manifest.Name, manifest.Version, manifest.Description, manifest.License, manifest.Keywords, manifest.Authors,
            manifest.Repository, manifest.Homepage, inspection.Readme,
            [
                .. manifest.Dependencies.Select(d => new NewDependency(d.Key, d.Value.Raw, DependencyKind.Runtime)),
                .. manifest.DevDependencies.Select(d => new NewDependency(d.Key, d.Value.Raw, DependencyKind.Development)),
            ],
            upload.Sha256!, upload.Size);

        // Cheap checks first, so a doomed upload never touches the blob store.
        await store.CheckCanPublishAsync(version, caller, cancellationToken);

        PackageVersion row;
        using (await locks.AcquireAsync(upload.Sha256!, cancellationToken))
        {
            temp.Stream.Position = 0;
            await blobs.PutAsync(upload.Sha256!, temp.Stream, cancellationToken);
            try
            {
                row = await store.PublishAsync(version, caller, cancellationToken);
            }
            catch
            {
                await RemoveUnreferencedBlobAsync(context, upload.Sha256!, blobs, loggers);
                throw;
            }

            // The lock is per instance: another instance's failed publish of the same bytes may have removed the
            // blob between our write and our commit. Put it back so no version row is ever left without its blob.
            if (await blobs.GetInfoAsync(upload.Sha256!, CancellationToken.None) is null)
            {
                temp.Stream.Position = 0;
                await blobs.PutAsync(upload.Sha256!, temp.Stream, CancellationToken.None);
            }
        }
        var document = await documents.ToDocumentAsync(row, request.BaseUrl(), cancellationToken);
        return TypedResults.Created(new Uri(document.TarballUrl).AbsolutePath[..^"/tarball".Length], document);
    }

    private static async Task RemoveUnreferencedBlobAsync(HttpContext context, string key, IBlobStore blobs, ILoggerFactory loggers)
    {
        try
        {
            using var scope = context.RequestServices.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
            if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.PackageVersions, v => v.Sha256 == key && !v.IsDeleted))
            {
                await blobs.DeleteAsync(key, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            loggers.CreateLogger(typeof(PublishApi)).LogWarning(ex, "Could not remove blob {Key} after a failed publish; the orphan sweep will", key);
        }
    }

    private static Dictionary<string, string[]>? ManifestErrors(Exception? exception) =>
        exception is ManifestException manifest
            ? manifest.Errors.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Select(e => e.ToString()).ToArray())
            : null;

    private static ProblemHttpResult TooLarge(LimitsOptions limits) =>
        Problems.Create(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
            $"The tarball is larger than the registry's limit of {limits.MaxTarballBytes} bytes; leave large files out with .synapseignore.");

    private sealed record Upload(TempUpload? Temp, string? Sha256, long Size, string? ClientSha256, ProblemHttpResult? Problem);

    private static async Task<Upload> ReceiveAsync(HttpRequest request, string boundary, LimitsOptions limits, CancellationToken cancellationToken)
    {
        var reader = new MultipartReader(boundary, request.Body) { HeadersLengthLimit = 16 * 1024, HeadersCountLimit = 16 };
        TempUpload? temp = null;
        string? sha256 = null, clientSha256 = null;
        long size = 0;
        try
        {
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data"))
                {
                    continue;
                }
                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value;
                if (field == "tarball")
                {
                    if (temp is not null)
                    {
                        return Fail(Problems.Invalid("tarball", "Send exactly one 'tarball' part.").ToResult());
                    }
                    temp = TempUpload.Create();
                    (sha256, size) = await CopyHashingAsync(section.Body, temp.Stream, limits.MaxTarballBytes, cancellationToken);
                    if (sha256 is null)
                    {
                        return Fail(TooLarge(limits));
                    }
                }
                else if (field == "sha256")
                {
                    var text = await ReadSmallFieldAsync(section.Body, cancellationToken);
                    var normalized = text?.Trim().ToLowerInvariant();
                    if (normalized?.StartsWith("sha256:", StringComparison.Ordinal) == true)
                    {
                        normalized = normalized["sha256:".Length..];
                    }
                    if (normalized is null || !BlobKeys.IsValid(normalized))
                    {
                        return Fail(Problems.Invalid("sha256", "sha256 is the tarball's SHA-256 as 64 hex characters.").ToResult());
                    }
                    clientSha256 = normalized;
                }
            }
        }
        catch (IOException ex) when (ex is not FileNotFoundException)
        {
            return Fail(Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, $"The multipart body could not be read: {ex.Message}"));
        }
        catch (InvalidDataException ex)
        {
            return Fail(Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, $"The multipart body is malformed: {ex.Message}"));
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Fail(TooLarge(limits));
        }
        if (temp is null)
        {
            return new Upload(null, null, 0, null, Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.MissingTarball,
                "The request has no file part named 'tarball'.", new Dictionary<string, string[]> { ["tarball"] = ["required"] }));
        }
        return new Upload(temp, sha256, size, clientSha256, null);

        Upload Fail(ProblemHttpResult problem)
        {
            temp?.Dispose();
            return new Upload(null, null, 0, null, problem);
        }
    }

    // Pooled and well under the large object heap's 85,000 bytes: a publish burst allocating fresh 80 KB buffers per
    // request grew the GC's gen0 budget, which stayed committed after the burst.
    private const int CopyBufferLength = 16 * 1024;

    private static async Task<(string? Sha256, long Size)> CopyHashingAsync(Stream source, Stream destination, long maxBytes, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferLength);
        try
        {
            long total = 0;
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, CopyBufferLength), cancellationToken)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    return (null, total);
                }
                hash.AppendData(buffer, 0, read);
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
            await destination.FlushAsync(cancellationToken);
            return (Convert.ToHexStringLower(hash.GetHashAndReset()), total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<string?> ReadSmallFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldLength + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }
        return total > MaxFieldLength ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }
}

/// <summary>An upload spooled to a temporary file that is deleted when disposed.</summary>
internal sealed class TempUpload : IDisposable, IAsyncDisposable
{
    private TempUpload(FileStream stream) => Stream = stream;

    public FileStream Stream { get; }

    public static TempUpload Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "synapse-uploads");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".tgz");
        // Unbuffered (bufferSize 0): it is written and read in chunks of several KB, so a per-upload buffer saves nothing.
        return new TempUpload(new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize: 0,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose));
    }

    public void Dispose() => Stream.Dispose();

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}
