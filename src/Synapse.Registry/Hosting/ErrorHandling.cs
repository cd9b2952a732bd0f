using System.Data.Common;
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
        _ when exception.InnerException is System.Text.Json.JsonException json => $"The JSON body is malformed: {json.Message.Split(" Path:")[0]}",
        _ => exception.Message,
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
