using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Synapse.Cli.Tests.Support;

/// <summary>An in-process HTTP handler that answers registry routes from a table and records every request.</summary>
public sealed class FakeRegistry : HttpMessageHandler
{
    private readonly List<(HttpMethod Method, string Path, Func<HttpRequestMessage, string?, HttpResponseMessage> Respond)> _routes = [];

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Answers requests no route matched; null means 404.</summary>
    public Func<HttpRequestMessage, HttpResponseMessage?>? Fallback { get; set; }

    public FakeRegistry On(HttpMethod method, string path, Func<HttpRequestMessage, string?, HttpResponseMessage> respond)
    {
        _routes.Add((method, path, respond));
        return this;
    }

    public FakeRegistry OnJson(HttpMethod method, string path, string json, HttpStatusCode status = HttpStatusCode.OK) =>
        On(method, path, (_, _) => Json(json, status));

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    public static HttpResponseMessage Problem(HttpStatusCode status, string code, string detail) =>
        new(status)
        {
            Content = new StringContent(
                $$"""{"type":"about:blank","title":"{{status}}","status":{{(int)status}},"detail":"{{detail}}","code":"{{code}}"}""",
                Encoding.UTF8, "application/problem+json"),
        };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(new RecordedRequest(request.Method, request.RequestUri!.PathAndQuery, request.Headers.Authorization?.ToString(),
            request.Headers.IfNoneMatch.ToString(), body, request.Content?.Headers.ContentType?.MediaType));
        foreach (var route in _routes)
        {
            if (route.Method == request.Method && request.RequestUri!.AbsolutePath == route.Path)
            {
                return route.Respond(request, body);
            }
        }
        if (Fallback?.Invoke(request) is { } answer)
        {
            return answer;
        }
        return Problem(HttpStatusCode.NotFound, "not_found", $"No route {request.Method} {request.RequestUri!.AbsolutePath} in the fake registry.");
    }
}

public sealed record RecordedRequest(HttpMethod Method, string PathAndQuery, string? Authorization, string IfNoneMatch, string? Body, string? ContentType);
