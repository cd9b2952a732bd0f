using System.Data.Common;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Synapse.Registry.Api;

namespace Synapse.Registry.Hosting;

/// <summary>Every exception becomes problem+json: API failures keep their code, backing-service failures are 503, the rest 500 without details.</summary>
internal sealed class RegistryExceptionHandler(IProblemDetailsService problems, ILogger<RegistryExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var details = exception switch
        {
            ApiProblemException api => Problems.Details(api.Status, api.Code, api.Message, api.Errors),
            BadHttpRequestException { InnerException: JsonException json } bad => MalformedJson(bad.StatusCode, json),
            BadHttpRequestException bad => Problems.Details(bad.StatusCode, ErrorCodes.ForStatus(bad.StatusCode), BadRequestMessage(bad)),
            OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
            _ when IsBackingServiceFailure(exception) => Problems.Details(StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServiceUnavailable,
                "A backing service (database or package storage) is unavailable; try again shortly."),
            _ => Problems.Details(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError,
                $"The registry failed unexpectedly; the error was logged (trace id {context.TraceIdentifier})."),
        };
        if (details is null)
        {
            return true;
        }
        if (details.Status >= 500)
        {
            logger.LogError(exception, "Request {Method} {Path} failed", context.Request.Method, context.Request.Path);
        }
        if (context.Response.HasStarted)
        {
            return false;
        }
        context.Response.StatusCode = details.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }

    private static string BadRequestMessage(BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        _ => exception.Message,
    };

    /// <summary>
    /// Says which field has the wrong type in words a client understands, instead of System.Text.Json's message,
    /// which names the server's .NET types.
    /// </summary>
    internal static ProblemDetails MalformedJson(int status, JsonException json)
    {
        const string WrongType = "The JSON value could not be converted to ";
        var reason = json.Message.Split(" Path:")[0];
        var code = ErrorCodes.ForStatus(status);
        if (!reason.StartsWith(WrongType, StringComparison.Ordinal))
        {
            return Problems.Details(status, code, $"The JSON body is malformed: {reason}");
        }
        var field = json.Path is null or "$" ? null : json.Path.TrimStart('$').TrimStart('.');
        if (string.IsNullOrEmpty(field))
        {
            return Problems.Details(status, code, "The JSON body must be an object ({...}) with this endpoint's fields; see /openapi/v1.json.");
        }
        var message = ExpectedJson(reason[WrongType.Length..].TrimEnd('.')) is { } expected
            ? $"'{field}' must be {expected}."
            : $"'{field}' has the wrong JSON type; see /openapi/v1.json for this endpoint's fields.";
        return Problems.Details(status, code, $"The JSON body has a value of the wrong type: {message}", new Dictionary<string, string[]> { [field] = [message] });
    }

    // System.Text.Json names the failing property's type for some properties and the whole body's type for others.
    private static string? ExpectedJson(string dotNetType) => dotNetType switch
    {
        "System.String" => "a string",
        "System.Boolean" => "true or false",
        "System.Int32" or "System.Int64" or "System.Double" or "System.Decimal" => "a number",
        "System.DateTimeOffset" or "System.DateTime" or "System.Nullable`1[System.DateTimeOffset]" => "an ISO 8601 timestamp such as \"2027-01-31T00:00:00Z\"",
        _ when dotNetType.Contains("[System.String]", StringComparison.Ordinal) || dotNetType == "System.String[]" => "an array of strings",
        _ => null,
    };

    internal static bool IsBackingServiceFailure(Exception exception) => exception switch
    {
        DbException or TimeoutException or BlobMissingException or Infrastructure.BackendUnavailableException => true,
        IOException => true,
        UnauthorizedAccessException => true,
        InvalidOperationException { InnerException: { } inner } => IsBackingServiceFailure(inner),
        Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: { } inner } => IsBackingServiceFailure(inner),
        Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException => true,
        _ => false,
    };
}

internal static class ProblemDetailsCustomizer
{
    /// <summary>Gives status-code-only answers (404 on unknown routes, 405, ...) a stable code too.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        var status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
        if (!context.ProblemDetails.Extensions.ContainsKey("code"))
        {
            context.ProblemDetails.Extensions["code"] = ErrorCodes.ForStatus(status);
        }
        context.ProblemDetails.Title ??= Problems.TitleFor(status);
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail ??= status switch
        {
            StatusCodes.Status404NotFound => $"No such resource: {request.Path}. The API lives under /api/v1 (see /openapi/v1.json).",
            StatusCodes.Status405MethodNotAllowed => $"{request.Method} is not allowed on {request.Path}.",
            StatusCodes.Status415UnsupportedMediaType => $"The Content-Type '{request.ContentType}' is not accepted here; publish uses multipart/form-data, other writes JSON.",
            _ => Problems.TitleFor(status) + ".",
        };
        context.ProblemDetails.Extensions.Remove("traceId");
        context.ProblemDetails.Extensions["trace_id"] = context.HttpContext.TraceIdentifier;
    }
}
