using Microsoft.Net.Http.Headers;
using Synapse.Registry.Packages;

namespace Synapse.Registry.Api;

internal static class HttpHelpers
{
    public static string BaseUrl(this HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>True when <c>If-None-Match</c> names <paramref name="etag"/> (weak comparison, as RFC 9110 asks for GET).</summary>
    public static bool IfNoneMatch(this HttpRequest request, string etag)
    {
        var header = request.Headers.IfNoneMatch;
        if (header.Count == 0)
        {
            return false;
        }
        // What revalidating clients send: exactly the tag they were given.
        if (header.Count == 1 && string.Equals(header[0], etag, StringComparison.Ordinal))
        {
            return true;
        }
        if (!EntityTagHeaderValue.TryParseList(header, out var tags))
        {
            return false;
        }
        var ours = EntityTagHeaderValue.Parse(etag);
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(ours, useStrongComparison: false))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>A cached JSON document with its ETag, or 304 when the client already has it.</summary>
    public static DocumentResult Document(CachedDocument document) => new(document);

    public static Synapse.Versioning.SemanticVersion ParseVersionOrThrow(string version) =>
        Synapse.Versioning.SemanticVersion.TryParse(version, out var parsed)
            ? parsed
            : throw Problems.Fail(StatusCodes.Status400BadRequest, ErrorCodes.InvalidVersion,
                $"'{Truncate(version)}' is not a SemVer 2.0.0 version (expected MAJOR.MINOR.PATCH, e.g. 1.4.0).");

    public static string Truncate(string value, int length = 80) => value.Length <= length ? value : value[..length] + "…";
}
