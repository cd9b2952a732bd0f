using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Auth;
using Synapse.Registry.Packages;
using Synapse.Registry.RateLimiting;
using DocumentResults = Microsoft.AspNetCore.Http.HttpResults.Results<Synapse.Registry.Api.DocumentResult, Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>;

namespace Synapse.Registry.Api;

internal static class PackagesApi
{
    public const int MaxYankReasonLength = 500;

    public static RouteGroupBuilder MapPackagesApi(this IEndpointRouteBuilder routes)
    {
        var reads = routes.MapGroup("/api/v1/packages").WithTags("Packages").RequireRateLimit(RateLimitPolicies.Read);
        reads.MapGet("/{name}", GetPackage).Produces<PackageDocument>();
        reads.MapGet("/{name}/versions", GetVersions).Produces<VersionsDocument>();
        reads.MapGet("/{name}/{version}", GetVersion).Produces<VersionDocument>();

        var changes = routes.MapGroup("/api/v1/packages").WithTags("Packages").RequireCaller();
        changes.MapDelete("/{name}/{version}", DeleteVersion);
        changes.MapPut("/{name}/{version}/yank", Yank);
        changes.MapDelete("/{name}/{version}/yank", Unyank);
        return reads;
    }

    /// <summary>The package document: from <see cref="MetadataCache"/> without touching the database (or creating a DbContext) on a hit.</summary>
    internal static ValueTask<DocumentResults> GetPackage(string name, HttpContext context, MetadataCache cache, CancellationToken cancellationToken) =>
        ServeDocument(name, DocumentKind.Package, context, cache, cancellationToken);

    /// <summary>The versions document (what a resolver reads), served like <see cref="GetPackage"/>.</summary>
    internal static ValueTask<DocumentResults> GetVersions(string name, HttpContext context, MetadataCache cache, CancellationToken cancellationToken) =>
        ServeDocument(name, DocumentKind.Versions, context, cache, cancellationToken);

    private static ValueTask<DocumentResults> ServeDocument(string name, DocumentKind kind, HttpContext context, MetadataCache cache, CancellationToken cancellationToken)
    {
        if (!PackageNames.LooksValid(name))
        {
            return ValueTask.FromResult<DocumentResults>(NotFound(name));
        }
        if (cache.Get(PackageNames.Canonical(name), kind) is { } cached)
        {
            return ValueTask.FromResult<DocumentResults>(HttpHelpers.Document(cached));
        }
        return LoadDocumentAsync(name, kind, context.RequestServices.GetRequiredService<PackageDocuments>(), cancellationToken);
    }

    private static async ValueTask<DocumentResults> LoadDocumentAsync(string name, DocumentKind kind, PackageDocuments documents, CancellationToken cancellationToken)
    {
        var document = kind == DocumentKind.Package
            ? await documents.GetPackageAsync(name, cancellationToken)
            : await documents.GetVersionsAsync(name, cancellationToken);
        return document is null ? NotFound(name) : HttpHelpers.Document(document);
    }

    internal static async Task<DocumentResults> GetVersion(
        string name, string version, HttpContext context, PackageDocuments documents, CancellationToken cancellationToken)
    {
        HttpHelpers.ParseVersionOrThrow(version);
        var row = PackageNames.LooksValid(name) ? await documents.FindVersionAsync(name, version, cancellationToken) : null;
        if (row is null)
        {
            return PackageNames.LooksValid(name) && await documents.GetPackageAsync(name, cancellationToken) is not null
                ? Problems.Create(StatusCodes.Status404NotFound, ErrorCodes.VersionNotFound, $"Package '{name}' has no version {version}.")
                : NotFound(name);
        }
        var body = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(
            PackageDocuments.ToDocument(row, context.Request.BaseUrl()), RegistryJsonContext.Default.VersionDocument);
        return HttpHelpers.Document(CachedDocument.For(body));
    }

    private static ProblemHttpResult NotFound(string name) =>
        Problems.Create(StatusCodes.Status404NotFound, ErrorCodes.PackageNotFound, $"No package named '{HttpHelpers.Truncate(name)}' exists.");

    internal static async Task<Ok<VersionDocument>> Yank(
        string name, string version, [FromBody(EmptyBodyBehavior = EmptyBodyBehavior.Allow)] YankRequest? body, Caller caller,
        HttpContext context, PackageStore store, PackageDocuments documents, CancellationToken cancellationToken)
    {
        HttpHelpers.ParseVersionOrThrow(version);
        var reason = string.IsNullOrWhiteSpace(body?.Reason) ? null : body.Reason.Trim();
        if (reason is { Length: > MaxYankReasonLength })
        {
            throw Problems.Invalid("reason", $"The reason is at most {MaxYankReasonLength} characters.");
        }
        var row = await store.SetYankedAsync(name, version, true, reason, caller, cancellationToken);
        return TypedResults.Ok(await documents.ToDocumentAsync(row, context.Request.BaseUrl(), cancellationToken));
    }

    internal static async Task<Ok<VersionDocument>> Unyank(
        string name, string version, Caller caller, HttpContext context, PackageStore store, PackageDocuments documents, CancellationToken cancellationToken)
    {
        HttpHelpers.ParseVersionOrThrow(version);
        var row = await store.SetYankedAsync(name, version, false, null, caller, cancellationToken);
        return TypedResults.Ok(await documents.ToDocumentAsync(row, context.Request.BaseUrl(), cancellationToken));
    }

    internal static async Task<NoContent> DeleteVersion(string name, string version, Caller caller, PackageStore store, CancellationToken cancellationToken)
    {
        HttpHelpers.ParseVersionOrThrow(version);
        await store.DeleteAsync(name, version, caller, cancellationToken);
        return TypedResults.NoContent();
    }
}
