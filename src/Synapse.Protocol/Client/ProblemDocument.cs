using System.Text.Json;
using System.Text.Json.Serialization;
using Synapse.Protocol.Contracts;

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

/// <summary>The health endpoint's answer: <see cref="Healthy"/> reflects the HTTP status (200 or 503).</summary>
/// <param name="Healthy">True on 200.</param>
/// <param name="Report">The registry's report, when its body could be read.</param>
public sealed record RegistryHealth(bool Healthy, HealthReport? Report);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ProblemDocument))]
internal sealed partial class ClientJsonContext : JsonSerializerContext;
