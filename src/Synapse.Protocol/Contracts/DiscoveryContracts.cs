namespace Synapse.Protocol.Contracts;

/// <summary>One search hit.</summary>
public sealed record SearchResult
{
    /// <summary>Package name.</summary>
    public required string Name { get; init; }
    /// <summary>Latest version.</summary>
    public string? Version { get; init; }
    /// <summary>Description.</summary>
    public string? Description { get; init; }
    /// <summary>Keywords.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
    /// <summary>Total downloads.</summary>
    public long Downloads { get; init; }
    /// <summary>Relevance: higher is better; only comparable within one answer.</summary>
    public double Score { get; init; }
}

/// <summary><c>GET /api/v1/search</c>.</summary>
public sealed record SearchResponse
{
    /// <summary>The hits of this page, best first.</summary>
    public IReadOnlyList<SearchResult> Results { get; init; } = [];
    /// <summary>Hits over all pages.</summary>
    public long Total { get; init; }
    /// <summary>Page number, from 1.</summary>
    public int Page { get; init; }
    /// <summary>Hits per page (at most 100).</summary>
    public int PerPage { get; init; }
}

/// <summary>Body of <c>POST /api/v1/tokens</c>.</summary>
public sealed record CreateTokenRequest
{
    /// <summary>Display name, 1-64 characters.</summary>
    public string? Name { get; init; }
    /// <summary>Any of <c>publish</c>, <c>yank</c>, <c>owners</c>.</summary>
    public IReadOnlyList<string>? Scopes { get; init; }
    /// <summary>Package name patterns (<c>*</c> is a wildcard) the token is limited to; null for every package.</summary>
    public IReadOnlyList<string>? Packages { get; init; }
    /// <summary>Expiry (UTC); null for none.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>An API token's metadata; <see cref="Token"/> (the secret) is present only in the creation answer.</summary>
public sealed record ApiTokenDocument
{
    /// <summary>Token id, for <c>DELETE /api/v1/tokens/{id}</c>.</summary>
    public required string Id { get; init; }
    /// <summary>Display name.</summary>
    public required string Name { get; init; }
    /// <summary>The secret (<c>syn_</c> + 40 characters), shown once.</summary>
    public string? Token { get; init; }
    /// <summary>Scopes.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
    /// <summary>Package patterns; null for every package.</summary>
    public IReadOnlyList<string>? Packages { get; init; }
    /// <summary>Expiry; null for none.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last use, when it was used.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }
}

/// <summary><c>GET /api/v1/users/{username}</c>.</summary>
public sealed record UserProfile
{
    /// <summary>The username.</summary>
    public required string Username { get; init; }
    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Names of the packages the user owns, sorted.</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];
}

/// <summary>A package in the stats lists.</summary>
public sealed record PackageStat
{
    /// <summary>Package name.</summary>
    public required string Name { get; init; }
    /// <summary>Version concerned (latest for most downloaded, the published one for recent).</summary>
    public string? Version { get; init; }
    /// <summary>Total downloads of the package.</summary>
    public long Downloads { get; init; }
    /// <summary>Publish time of <see cref="Version"/>.</summary>
    public DateTimeOffset? PublishedAt { get; init; }
}

/// <summary><c>GET /api/v1/stats</c>.</summary>
public sealed record RegistryStats
{
    /// <summary>Number of packages.</summary>
    public long Packages { get; init; }
    /// <summary>Number of versions (not deleted).</summary>
    public long Versions { get; init; }
    /// <summary>Number of users.</summary>
    public long Users { get; init; }
    /// <summary>Downloads of everything.</summary>
    public long Downloads { get; init; }
    /// <summary>The ten most downloaded packages.</summary>
    public IReadOnlyList<PackageStat> MostDownloaded { get; init; } = [];
    /// <summary>The ten most recent publishes.</summary>
    public IReadOnlyList<PackageStat> RecentlyPublished { get; init; } = [];
}

/// <summary>The state of one backing service in the health report.</summary>
public sealed record ComponentHealth
{
    /// <summary><c>healthy</c> or <c>unhealthy</c>.</summary>
    public required string Status { get; init; }
    /// <summary>What failed, when unhealthy.</summary>
    public string? Error { get; init; }
    /// <summary>How long the check took, in milliseconds.</summary>
    public double DurationMs { get; init; }
}

/// <summary><c>GET /api/v1/health</c>: 200 when everything is healthy, else 503.</summary>
public sealed record HealthReport
{
    /// <summary><c>healthy</c> or <c>unhealthy</c>.</summary>
    public required string Status { get; init; }
    /// <summary>The database.</summary>
    public required ComponentHealth Database { get; init; }
    /// <summary>The package file storage.</summary>
    public required ComponentHealth Storage { get; init; }
    /// <summary>Redis, when rate limits are kept there; informational: rate limits fail open, so it does not make the registry unready.</summary>
    public ComponentHealth? Redis { get; init; }
}
