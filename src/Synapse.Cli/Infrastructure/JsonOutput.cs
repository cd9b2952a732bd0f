using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Synapse.Cli.Infrastructure;

// What `--json` prints, one record per answer: scripts depend on these names (snake_case on the wire), so
// they live together here. Source-generated, so the CLI needs no reflection and can be compiled ahead of time.

internal sealed record ErrorJson(ErrorDetailJson Error);
internal sealed record ErrorDetailJson(string Code, string Message, int ExitCode);

internal sealed record PathJson(string Path);
internal sealed record CacheCleanJson(string Path, long BytesFreed);

internal sealed record AddedJson(IReadOnlyList<AddedDependencyJson> Added);
internal sealed record AddedDependencyJson(string Name, string Range, string Section, string? Previous);
internal sealed record RemovedJson(IReadOnlyList<RemovedDependencyJson> Removed);
internal sealed record RemovedDependencyJson(string Name, IReadOnlyList<string> Sections);

internal sealed record InitJson(string Path, string Name, string Version);

internal sealed record InstallJson(bool UpToDate, bool LockChanged, IReadOnlyList<InstalledJson> Packages, IReadOnlyList<string> Removed, int MetadataRequests, int Downloads);
internal sealed record InstalledJson(string Name, string Version, string Action);

internal sealed record ListJson(IReadOnlyList<DependencyNodeJson> Dependencies);
internal sealed record DependencyNodeJson(string Name, string Version, string? Range, bool Dev, IReadOnlyList<DependencyNodeJson> Dependencies);

internal sealed record OutdatedJson(IReadOnlyList<OutdatedRowJson> Outdated);
internal sealed record OutdatedRowJson(string Name, string Range, string? Current, string? Wanted, string? Latest, bool Dev);

internal sealed record InfoJson(
    string Name, string? LatestVersion, string? Description, string? License, IReadOnlyList<string> Keywords, string? Repository,
    string? Homepage, IReadOnlyList<string> Owners, long Downloads, IReadOnlyList<VersionSummaryJson> Versions, VersionDetailJson? Version);
internal sealed record VersionSummaryJson(string Version, bool Yanked, DateTimeOffset PublishedAt);
internal sealed record VersionDetailJson(
    string Version, IReadOnlyDictionary<string, string> Dependencies, IReadOnlyDictionary<string, string> DevDependencies, string Sha256,
    long Size, bool Yanked, string? YankedReason, DateTimeOffset PublishedAt, string? PublishedBy);

internal sealed record SearchJson(IReadOnlyList<SearchHitJson> Results, long Total, int Page, int PerPage);
internal sealed record SearchHitJson(string Name, string? Version, string? Description, IReadOnlyList<string> Keywords, long Downloads, double Score);

internal sealed record PackPlanJson(string Name, string Version, IReadOnlyList<PackFileJson> Files, long UnpackedBytes, IReadOnlyList<string> Warnings);
internal sealed record PackFileJson(string Path, long Size);
internal sealed record PackedJson(string Name, string Version, string Path, string Sha256, long Size, long UnpackedBytes, IReadOnlyList<string> Files, IReadOnlyList<string> Warnings);
internal sealed record PublishedJson(string Name, string Version, string Sha256, long Size, bool Published);

internal sealed record LoginJson(string Registry, string? Username, DateTimeOffset? ExpiresAt, string CredentialsFile);
internal sealed record LogoutJson(string Registry, bool LoggedOut);
internal sealed record WhoamiJson(string Registry, string? Username, DateTimeOffset? ExpiresAt, IReadOnlyList<string> Scopes, string TokenSource);

internal sealed record OwnersJson(string Name, IReadOnlyList<string> Users);
internal sealed record OwnersChangedJson(string Name, string Action, IReadOnlyList<string> Users);
internal sealed record YankJson(string Name, string? Version, bool Yanked, string? Reason);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ErrorJson))]
[JsonSerializable(typeof(PathJson))]
[JsonSerializable(typeof(CacheCleanJson))]
[JsonSerializable(typeof(AddedJson))]
[JsonSerializable(typeof(RemovedJson))]
[JsonSerializable(typeof(InitJson))]
[JsonSerializable(typeof(InstallJson))]
[JsonSerializable(typeof(ListJson))]
[JsonSerializable(typeof(OutdatedJson))]
[JsonSerializable(typeof(InfoJson))]
[JsonSerializable(typeof(SearchJson))]
[JsonSerializable(typeof(PackPlanJson))]
[JsonSerializable(typeof(PackedJson))]
[JsonSerializable(typeof(PublishedJson))]
[JsonSerializable(typeof(LoginJson))]
[JsonSerializable(typeof(LogoutJson))]
[JsonSerializable(typeof(WhoamiJson))]
[JsonSerializable(typeof(OwnersJson))]
[JsonSerializable(typeof(OwnersChangedJson))]
[JsonSerializable(typeof(YankJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>The context the CLI prints with: also keeps non-ASCII text and '+' readable instead of \u-escaped.</summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
