using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synapse.Protocol.Client;

/// <summary>An RFC 9457 problem document as the registry sends it.</summary>
public sealed record ProblemDocument
{
    /// <summary>HTTP status code.</summary>
    public int? Status { get; init; }
    /// <summary>Short summary of the problem type.</summary>
    public string? Title { get; init; }
    /// <summary>Human-readable explanation of this occurrence.</summary>
    public string? Detail { get; init; }
    /// <summary>Stable machine code such as <c>version_exists</c>.</summary>
    public string? Code { get; init; }
    /// <summary>Field errors: field name to messages.</summary>
    public Dictionary<string, string[]>? Errors { get; init; }
}

/// <summary>A user as shown in authentication answers.</summary>
public sealed record UserSummary
{
    /// <summary>The username.</summary>
    public string Username { get; init; } = "";
    /// <summary>The e-mail address, when the registry shows it.</summary>
    public string? Email { get; init; }
    /// <summary>When the account was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>The answer to register and login: a session token.</summary>
public sealed record AuthResult
{
    /// <summary>The new user (register only).</summary>
    public UserSummary? User { get; init; }
    /// <summary>The bearer token.</summary>
    public string Token { get; init; } = "";
    /// <summary>When the token expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>The answer to token verification.</summary>
public sealed record TokenVerification
{
    /// <summary>True when the token is valid.</summary>
    public bool Valid { get; init; }
    /// <summary>The user the token belongs to.</summary>
    public string? Username { get; init; }
    /// <summary>When the token expires, if it does.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>The scopes the token grants.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
}

/// <summary>One version listed in a package document.</summary>
public sealed record PackageVersionSummary
{
    /// <summary>The version number.</summary>
    public string Version { get; init; } = "";
    /// <summary>True when yanked.</summary>
    public bool Yanked { get; init; }
    /// <summary>When it was published.</summary>
    public DateTimeOffset? PublishedAt { get; init; }
}

/// <summary>The package document (<c>GET /api/v1/packages/{name}</c>).</summary>
public sealed record PackageDocument
{
    /// <summary>The package name as first published.</summary>
    public string Name { get; init; } = "";
    /// <summary>Description of the latest version.</summary>
    public string? Description { get; init; }
    /// <summary>Highest non-yanked release.</summary>
    public string? LatestVersion { get; init; }
    /// <summary>Keywords.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
    /// <summary>SPDX license expression.</summary>
    public string? License { get; init; }
    /// <summary>Repository address.</summary>
    public string? Repository { get; init; }
    /// <summary>Home page address.</summary>
    public string? Homepage { get; init; }
    /// <summary>Owner usernames.</summary>
    public IReadOnlyList<string> Owners { get; init; } = [];
    /// <summary>Total downloads.</summary>
    public long Downloads { get; init; }
    /// <summary>When the package was first published.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>When the package last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>Every version.</summary>
    public IReadOnlyList<PackageVersionSummary> Versions { get; init; } = [];
}

/// <summary>One version's document (<c>GET /api/v1/packages/{name}/{version}</c>, and the publish answer).</summary>
public sealed record VersionDocument
{
    /// <summary>The package name.</summary>
    public string Name { get; init; } = "";
    /// <summary>The version number.</summary>
    public string Version { get; init; } = "";
    /// <summary>Description.</summary>
    public string? Description { get; init; }
    /// <summary>License.</summary>
    public string? License { get; init; }
    /// <summary>Runtime dependencies: name to range.</summary>
    public Dictionary<string, string> Dependencies { get; init; } = [];
    /// <summary>Development dependencies: name to range.</summary>
    public Dictionary<string, string> DevDependencies { get; init; } = [];
    /// <summary>Hex SHA-256 of the tarball.</summary>
    public string Sha256 { get; init; } = "";
    /// <summary>Tarball size in bytes.</summary>
    public long Size { get; init; }
    /// <summary>True when yanked.</summary>
    public bool Yanked { get; init; }
    /// <summary>Why it was yanked.</summary>
    public string? YankedReason { get; init; }
    /// <summary>When it was published.</summary>
    public DateTimeOffset? PublishedAt { get; init; }
    /// <summary>Who published it.</summary>
    public string? PublishedBy { get; init; }
    /// <summary>Where to download the tarball.</summary>
    public string? TarballUrl { get; init; }
    /// <summary>Readme text.</summary>
    public string? Readme { get; init; }
}

/// <summary>One entry of the versions document: what a resolver needs.</summary>
public sealed record VersionEntry
{
    /// <summary>The version number.</summary>
    public string Version { get; init; } = "";
    /// <summary>Runtime dependencies: name to range.</summary>
    public Dictionary<string, string> Dependencies { get; init; } = [];
    /// <summary>Hex SHA-256 of the tarball.</summary>
    public string Sha256 { get; init; } = "";
    /// <summary>True when yanked.</summary>
    public bool Yanked { get; init; }
}

/// <summary>The versions document (<c>GET /api/v1/packages/{name}/versions</c>).</summary>
public sealed record VersionsDocument
{
    /// <summary>The package name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Every version.</summary>
    public IReadOnlyList<VersionEntry> Versions { get; init; } = [];
}

/// <summary>One search hit.</summary>
public sealed record SearchHit
{
    /// <summary>Package name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Latest version.</summary>
    public string? Version { get; init; }
    /// <summary>Description.</summary>
    public string? Description { get; init; }
    /// <summary>Keywords.</summary>
    public IReadOnlyList<string> Keywords { get; init; } = [];
    /// <summary>Total downloads.</summary>
    public long Downloads { get; init; }
    /// <summary>Relevance score.</summary>
    public double Score { get; init; }
}

/// <summary>A page of search results.</summary>
public sealed record SearchPage
{
    /// <summary>The hits, best first.</summary>
    public IReadOnlyList<SearchHit> Results { get; init; } = [];
    /// <summary>Total number of hits.</summary>
    public long Total { get; init; }
    /// <summary>Page number, from 1.</summary>
    public int Page { get; init; }
    /// <summary>Hits per page.</summary>
    public int PerPage { get; init; }
}

/// <summary>An owner list: <c>{users: [...]}</c>.</summary>
public sealed record OwnerList
{
    /// <summary>Usernames.</summary>
    public IReadOnlyList<string> Users { get; init; } = [];
}

/// <summary>A request to create an API token.</summary>
public sealed record TokenRequest
{
    /// <summary>Display name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Scopes: <c>publish</c>, <c>yank</c>, <c>owners</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
    /// <summary>Package name patterns such as <c>http-*</c>.</summary>
    public IReadOnlyList<string>? Packages { get; init; }
    /// <summary>Expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>An API token's metadata; <see cref="Token"/> is present only in the creation answer.</summary>
public sealed record ApiTokenInfo
{
    /// <summary>Token id.</summary>
    public string Id { get; init; } = "";
    /// <summary>Display name.</summary>
    public string Name { get; init; } = "";
    /// <summary>The secret, shown once.</summary>
    public string? Token { get; init; }
    /// <summary>Scopes.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
    /// <summary>Package patterns.</summary>
    public IReadOnlyList<string>? Packages { get; init; }
    /// <summary>Expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>Creation time.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
}

/// <summary>A user's public profile.</summary>
public sealed record UserProfile
{
    /// <summary>The username.</summary>
    public string Username { get; init; } = "";
    /// <summary>When the account was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }
    /// <summary>Packages the user owns.</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];
}

/// <summary>Registry-wide totals.</summary>
public sealed record RegistryStats
{
    /// <summary>Number of packages.</summary>
    public long Packages { get; init; }
    /// <summary>Number of versions.</summary>
    public long Versions { get; init; }
    /// <summary>Number of users.</summary>
    public long Users { get; init; }
    /// <summary>Total downloads.</summary>
    public long Downloads { get; init; }
}

/// <summary>Health report; <see cref="Healthy"/> reflects the HTTP status (200 vs 503).</summary>
public sealed record HealthReport
{
    /// <summary>True on 200.</summary>
    [JsonIgnore]
    public bool Healthy { get; init; }
    /// <summary>Overall status text.</summary>
    public string? Status { get; init; }
    /// <summary>The raw body, whatever shape the registry uses for its components.</summary>
    [JsonIgnore]
    public JsonElement Body { get; init; }
}

internal sealed record RegisterBody(string Username, string Email, string Password);

internal sealed record LoginBody(string Username, string Password);

internal sealed record YankBody(string? Reason);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ProblemDocument))]
[JsonSerializable(typeof(AuthResult))]
[JsonSerializable(typeof(TokenVerification))]
[JsonSerializable(typeof(PackageDocument))]
[JsonSerializable(typeof(VersionDocument))]
[JsonSerializable(typeof(VersionsDocument))]
[JsonSerializable(typeof(SearchPage))]
[JsonSerializable(typeof(OwnerList))]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(ApiTokenInfo))]
[JsonSerializable(typeof(List<ApiTokenInfo>))]
[JsonSerializable(typeof(UserProfile))]
[JsonSerializable(typeof(RegistryStats))]
[JsonSerializable(typeof(HealthReport))]
[JsonSerializable(typeof(RegisterBody))]
[JsonSerializable(typeof(LoginBody))]
[JsonSerializable(typeof(YankBody))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
