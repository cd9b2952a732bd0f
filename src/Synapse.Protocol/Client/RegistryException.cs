using System.Net;

namespace Synapse.Protocol.Client;

/// <summary>
/// The registry refused a request (its problem document's <c>detail</c> is the message) or could not be reached
/// (<see cref="StatusCode"/> is null and <see cref="Code"/> is <c>unreachable</c>).
/// </summary>
public class RegistryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RegistryException(string message, HttpStatusCode? statusCode, string code, IReadOnlyDictionary<string, string[]>? fieldErrors = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
        Code = code;
        FieldErrors = fieldErrors ?? new Dictionary<string, string[]>();
    }

    /// <summary>Creates an exception with a message only.</summary>
    public RegistryException(string message) : this(message, null, "error") { }

    /// <summary>Creates an exception wrapping another.</summary>
    public RegistryException(string message, Exception innerException) : this(message, null, "error", null, innerException) { }

    /// <summary>Creates an empty exception.</summary>
    public RegistryException() : this("The registry request failed.") { }

    /// <summary>HTTP status, or null when no answer arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>Stable machine code: the problem's <c>code</c>, or <c>unreachable</c>, <c>http_NNN</c>, <c>invalid_response</c>.</summary>
    public string Code { get; }

    /// <summary>Field errors from the problem document.</summary>
    public IReadOnlyDictionary<string, string[]> FieldErrors { get; }

    /// <summary>Seconds the registry asked to wait (429), when it said.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>True when the registry could not be reached at all.</summary>
    public bool IsUnreachable => StatusCode is null && Code == "unreachable";
}
