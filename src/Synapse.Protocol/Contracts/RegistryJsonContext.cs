using System.Text.Json.Serialization;

namespace Synapse.Protocol.Contracts;

/// <summary>Source-generated JSON for every wire shape of the registry API: snake_case, nulls omitted.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(RegisterRequest))]
[JsonSerializable(typeof(LoginRequest))]
[JsonSerializable(typeof(AuthResponse))]
[JsonSerializable(typeof(VerifyResponse))]
[JsonSerializable(typeof(PackageDocument))]
[JsonSerializable(typeof(VersionDocument))]
[JsonSerializable(typeof(VersionsDocument))]
[JsonSerializable(typeof(YankRequest))]
[JsonSerializable(typeof(OwnerList))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(CreateTokenRequest))]
[JsonSerializable(typeof(ApiTokenDocument))]
[JsonSerializable(typeof(IReadOnlyList<ApiTokenDocument>))]
[JsonSerializable(typeof(UserProfile))]
[JsonSerializable(typeof(RegistryStats))]
[JsonSerializable(typeof(HealthReport))]
public sealed partial class RegistryJsonContext : JsonSerializerContext;
