namespace Synapse.Registry.Data;

internal sealed class User
{
    public long Id { get; set; }
    /// <summary>Lowercase; usernames are case-insensitive.</summary>
    public required string Username { get; set; }
    public required string Email { get; set; }
    public required string PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class Package
{
    public long Id { get; set; }
    /// <summary>Spelling of the first publish.</summary>
    public required string Name { get; set; }
    /// <summary>Lowercase with <c>_</c> mapped to <c>-</c>; unique.</summary>
    public required string CanonicalName { get; set; }
    public string? Description { get; set; }
    public string? License { get; set; }
    /// <summary>Comma-separated; keywords are <c>[a-z0-9-]</c> so a comma never occurs in one.</summary>
    public string Keywords { get; set; } = "";
    public string? Repository { get; set; }
    public string? Homepage { get; set; }
    public long Downloads { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<PackageVersion> Versions { get; set; } = [];
    public List<PackageOwner> Owners { get; set; } = [];
}

internal sealed class PackageVersion
{
    public long Id { get; set; }
    public long PackageId { get; set; }
    public Package? Package { get; set; }
    /// <summary>As published, with any build metadata.</summary>
    public required string Version { get; set; }
    /// <summary>Without build metadata: unique per package, so <c>1.0.0+a</c> duplicates <c>1.0.0</c>.</summary>
    public required string NormalizedVersion { get; set; }
    public bool IsPrerelease { get; set; }
    public required string Sha256 { get; set; }
    public long Size { get; set; }
    public string? Description { get; set; }
    public string? License { get; set; }
    public string Keywords { get; set; } = "";
    /// <summary>Newline-separated.</summary>
    public string Authors { get; set; } = "";
    public string? Repository { get; set; }
    public string? Homepage { get; set; }
    public string? Readme { get; set; }
    public bool Yanked { get; set; }
    public string? YankedReason { get; set; }
    public DateTimeOffset PublishedAt { get; set; }
    public long PublishedById { get; set; }
    public User? PublishedBy { get; set; }
    /// <summary>A deleted version keeps its row so its number is never reused.</summary>
    public bool IsDeleted { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public long Downloads { get; set; }
    public List<VersionDependency> Dependencies { get; set; } = [];
}

internal enum DependencyKind
{
    Runtime = 0,
    Development = 1,
}

internal sealed class VersionDependency
{
    public long Id { get; set; }
    public long PackageVersionId { get; set; }
    public DependencyKind Kind { get; set; }
    /// <summary>As written in the manifest.</summary>
    public required string Name { get; set; }
    public required string CanonicalName { get; set; }
    public required string Range { get; set; }
    /// <summary>Manifest order.</summary>
    public int Position { get; set; }
}

internal sealed class PackageOwner
{
    public long PackageId { get; set; }
    public long UserId { get; set; }
    public User? User { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>Daily download count of one version from one (hashed) client address.</summary>
internal sealed class Download
{
    public long Id { get; set; }
    public long PackageVersionId { get; set; }
    /// <summary>UTC day, <c>yyyy-MM-dd</c>.</summary>
    public required string Day { get; set; }
    /// <summary>Keyed HMAC-SHA256 of the client address, hex; never the address itself.</summary>
    public required string IpHash { get; set; }
    public long Count { get; set; }
}

internal sealed class ApiToken
{
    public Guid Id { get; set; }
    public long UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }
    /// <summary>Hex SHA-256 of the secret; the secret itself is never stored.</summary>
    public required string TokenHash { get; set; }
    /// <summary>Comma-separated scopes.</summary>
    public required string Scopes { get; set; }
    /// <summary>Comma-separated package patterns; null for every package.</summary>
    public string? Packages { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>
/// The searchable text of one package. Provider-neutral: SQLite indexes it with an external-content FTS5 table
/// kept in sync by triggers (created in the SQLite migration); PostgreSQL can add a tsvector over it.
/// </summary>
internal sealed class SearchIndex
{
    public long Id { get; set; }
    public long PackageId { get; set; }
    public Package? Package { get; set; }
    public required string Name { get; set; }
    public string Keywords { get; set; } = "";
    public string Description { get; set; } = "";
}

internal sealed class AuditLogEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary><c>publish</c>, <c>yank</c>, <c>unyank</c>, <c>delete</c>, <c>owner_add</c>, <c>owner_remove</c>.</summary>
    public required string Action { get; set; }
    public long? UserId { get; set; }
    public string? Username { get; set; }
    public required string PackageName { get; set; }
    public string? Version { get; set; }
    public string? Detail { get; set; }
}
