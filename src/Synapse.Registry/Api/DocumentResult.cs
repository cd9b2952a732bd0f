using Microsoft.Net.Http.Headers;
using Synapse.Registry.Packages;

namespace Synapse.Registry.Api;

/// <summary>
/// Writes a cached JSON document as it is stored: pre-encoded UTF-8 with its precomputed ETag, or 304 when the
/// client already has it. No serialization, formatting or range logic on the way out.
/// </summary>
internal sealed class DocumentResult(CachedDocument document) : IResult
{
    private const string JsonContentType = "application/json";
    private const string Revalidate = "no-cache";

    public CachedDocument Document => document;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        var headers = response.Headers;
        headers.ETag = document.ETag;
        headers.CacheControl = Revalidate;
        if (httpContext.Request.IfNoneMatch(document.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = JsonContentType;
        response.ContentLength = document.Body.Length;
        return response.Body.WriteAsync(document.Body, httpContext.RequestAborted).AsTask();
    }
}
