namespace Synapse.Protocol.Client;

/// <summary>A document with the ETag it was served with; pass it back to revalidate with <c>If-None-Match</c>.</summary>
/// <typeparam name="T">The document type.</typeparam>
/// <param name="Value">The document.</param>
/// <param name="ETag">The entity tag, if the registry sent one.</param>
/// <param name="NotModified">True when the registry answered 304 and <paramref name="Value"/> is the cached copy.</param>
public sealed record CachedResponse<T>(T Value, string? ETag, bool NotModified = false);
