using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Synapse.Registry.Api;

/// <summary>Stable machine codes of the problem documents.</summary>
internal static class ErrorCodes
{
    public const string InvalidRequest = "invalid_request";
    public const string ValidationFailed = "validation_failed";
    public const string InvalidCredentials = "invalid_credentials";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string SessionRequired = "session_required";
    public const string InsufficientScope = "insufficient_scope";
    public const string NotOwner = "not_owner";
    public const string NotFound = "not_found";
    public const string PackageNotFound = "package_not_found";
    public const string VersionNotFound = "version_not_found";
    public const string UserNotFound = "user_not_found";
    public const string TokenNotFound = "token_not_found";
    public const string UsernameTaken = "username_taken";
    public const string NameTaken = "name_taken";
    public const string VersionExists = "version_exists";
    public const string InvalidName = "invalid_name";
    public const string InvalidVersion = "invalid_version";
    public const string InvalidQuery = "invalid_query";
    public const string InvalidManifest = "invalid_manifest";
    public const string InvalidPackage = "invalid_package";
    public const string ChecksumMismatch = "checksum_mismatch";
    public const string MissingTarball = "missing_tarball";
    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string DeleteNotAllowed = "delete_not_allowed";
    public const string LastOwner = "last_owner";
    public const string RateLimited = "rate_limited";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string ServiceUnavailable = "service_unavailable";
    public const string InternalError = "internal_error";

    public static string ForStatus(int status) => status switch
    {
        400 => InvalidRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        413 => PayloadTooLarge,
        415 => UnsupportedMediaType,
        429 => RateLimited,
        503 => ServiceUnavailable,
        >= 500 => InternalError,
        _ => "error",
    };
}

/// <summary>A failure a handler or service reports; the exception handler turns it into problem+json.</summary>
internal sealed class ApiProblemException(int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public IDictionary<string, string[]>? Errors { get; } = errors;
}

/// <summary>Builds RFC 9457 documents <c>{type, title, status, detail, code, errors}</c>.</summary>
internal static class Problems
{
    public static ProblemHttpResult Create(int status, string code, string detail, IDictionary<string, string[]>? errors = null) =>
        TypedResults.Problem(Details(status, code, detail, errors));

    public static ProblemDetails Details(int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = new ProblemDetails
        {
            Status = status,
            Title = TitleFor(status),
            Detail = detail,
            Type = $"https://synapse.dev/problems/{code.Replace('_', '-')}",
        };
        problem.Extensions["code"] = code;
        if (errors is { Count: > 0 })
        {
            problem.Extensions["errors"] = errors;
        }
        return problem;
    }

    public static ProblemHttpResult ToResult(this ApiProblemException exception) =>
        Create(exception.Status, exception.Code, exception.Message, exception.Errors);

    public static ApiProblemException Fail(int status, string code, string detail, IDictionary<string, string[]>? errors = null) =>
        new(status, code, detail, errors);

    public static ApiProblemException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, message, new Dictionary<string, string[]> { [field] = [message] });

    public static ApiProblemException PackageNotFound(string name) =>
        new(StatusCodes.Status404NotFound, ErrorCodes.PackageNotFound, $"No package named '{name}' exists.");

    public static ApiProblemException VersionNotFound(string name, string version) =>
        new(StatusCodes.Status404NotFound, ErrorCodes.VersionNotFound, $"Package '{name}' has no version {version}.");

    public static string TitleFor(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Payload too large",
        415 => "Unsupported media type",
        422 => "Invalid package",
        429 => "Too many requests",
        503 => "Service unavailable",
        _ => status >= 500 ? "Internal server error" : "Error",
    };
}
