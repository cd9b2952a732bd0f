namespace Synapse.Protocol.Contracts;

/// <summary>One version as listed in the package document.</summary>
public sealed record VersionSummary
{
    /// <summary>The version number as published (with any build metadata).</summary>
    public required string Version { get; init; }
    /// <summary>True when yanked.</summary>
    public bool Yanked { get; init; }
    /// <summary>When it was published (UTC).</summary>
    public DateTimeOffset PublishedAt { get; init; }
}

/// <summary><c>GET /api/v1/packages/{name}</c>.</summary>
public sealed record PackageDocument
{
    /// <summary>The package name, spelled as at its first publish.</summary>
    public required string Name { get; init; }
    /// <summary>Description of the latest version.</summary>
    public string? Description { get; init; }
    /// <summary>
    /// Highest non-yanked release; when every release is yanked or there is none, the highest non-yanked
    /// prerelease; null when every version is yanked.
    /// </summary>
    public string? LatestVersion { get; init; }
    /// <summary>Keywords of the latest version.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
    /// <summary>SPDX license expression of the latest version.</summary>
    public string? License { get; init; }
    /// <summary>Source repository address.</summary>
    public string? Repository { get; init; }
    /// <summary>Home page address.</summary>
    public string? Homepage { get; init; }
    /// <summary>Owner usernames.</summary>
    public IReadOnlyList<string> Owners { get; init; } = [];
    /// <summary>Downloads of every version.</summary>
    public long Downloads { get; init; }
    /// <summary>First publish (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>Last change (UTC).</summary>
    public DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Every version that was not deleted, newest first.</summary>
    public IReadOnlyList<VersionSummary> Versions { get; init; } = [];
}

/// <summary><c>GET /api/v1/packages/{name}/{version}</c>, also the answer to publish, yank and unyank.</summary>
public sealed record VersionDocument
{
    /// <summary>The package name.</summary>
    public required string Name { get; init; }
    /// <summary>The version number.</summary>
    public required string Version { get; init; }
    /// <summary>Description.</summary>
    public string? Description { get; init; }
    /// <summary>SPDX license expression.</summary>
    public string? License { get; init; }
    /// <summary>Keywords.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
    /// <summary>Authors.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];
    /// <summary>Source repository address.</summary>
    public string? Repository { get; init; }
    /// <summary>Home page address.</summary>
    public string? Homepage { get; init; }
    /// <summary>Runtime dependencies: name to range, in manifest order.</summary>
    public IReadOnlyDictionary<string, string> Dependencies { get; init; } = new Dictionary<string, string>();
    /// <summary>Development dependencies: name to range.</summary>
    public IReadOnlyDictionary<string, string> DevDependencies { get; init; } = new Dictionary<string, string>();
    /// <summary>Lowercase hex SHA-256 of the tarball.</summary>
    public required string Sha256 { get; init; }
    /// <summary>Tarball size in bytes.</summary>
    public long Size { get; init; }
    /// <summary>True when yanked.</summary>
    public bool Yanked { get; init; }
    /// <summary>Why it was yanked, when a reason was given.</summary>
    public string? YankedReason { get; init; }
    /// <summary>When it was published (UTC).</summary>
    public DateTimeOffset PublishedAt { get; init; }
    /// <summary>Username of the publisher.</summary>
    public string? PublishedBy { get; init; }
    /// <summary>Downloads of this version.</summary>
    public long Downloads { get; init; }
    /// <summary>Absolute address of the tarball.</summary>
    public required string TarballUrl { get; init; }
    /// <summary>The readme text, when the package has one.</summary>
    public string? Readme { get; init; }
}

/// <summary>One entry of the versions document: all a resolver needs.</summary>
public sealed record VersionEntry
{
    /// <summary>The version number.</summary>
    public required string Version { get; init; }
    /// <summary>Runtime dependencies: name to range.</summary>
    public IReadOnlyDictionary<string, string> Dependencies { get; init; } = new Dictionary<string, string>();
    /// <summary>Lowercase hex SHA-256 of the tarball.</summary>
    public required string Sha256 { get; init; }
    /// <summary>True when yanked.</summary>
    public bool Yanked { get; init; }
}

/// <summary><c>GET /api/v1/packages/{name}/versions</c>.</summary>
public sealed record VersionsDocument
{
    /// <summary>The package name.</summary>
    public required string Name { get; init; }
    /// <summary>Every version that was not deleted, lowest first.</summary>
    public IReadOnlyList<VersionEntry> Versions { get; init; } = [];
}

/// <summary>Optional body of <c>PUT /api/v1/packages/{name}/{version}/yank</c>.</summary>
public sealed record YankRequest
{
    /// <summary>Why the version is yanked (at most 500 characters).</summary>
    public string? Reason { get; init; }
}

/// <summary>An owner list, <c>{users: [...]}</c>: the answer of the owners routes and the body of PUT/DELETE.</summary>
public sealed record OwnerList
{
    /// <summary>Usernames.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];
}
