using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Synapse.Protocol.Contracts;

namespace Synapse.Protocol.Client;

/// <summary>
/// Typed client for the registry HTTP API v1. Idempotent calls are retried with exponential backoff on network
/// errors and 5xx; every call honours a 429 <c>Retry-After</c> up to <see cref="RegistryClientOptions.MaxRetryAfter"/>.
/// Errors surface as <see cref="RegistryException"/> carrying the problem document's detail and code.
/// </summary>
public sealed class RegistryClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly RegistryClientOptions _options;

    /// <summary>Creates a client over an existing <see cref="HttpClient"/> (not disposed by this client).</summary>
    public RegistryClient(HttpClient http, RegistryClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        Token = options.Token;
    }

    /// <summary>Creates a client with its own <see cref="HttpClient"/> over <paramref name="handler"/> (or the default handler).</summary>
    public RegistryClient(RegistryClientOptions options, HttpMessageHandler? handler = null)
        : this(new HttpClient(handler ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.All }, disposeHandler: handler is null)
        { Timeout = Timeout.InfiniteTimeSpan }, options)
    {
        _ownsHttp = true;
    }

    /// <summary>The registry's base address.</summary>
    public Uri BaseAddress => _options.BaseAddress;

    /// <summary>Bearer token sent with requests; null for anonymous calls.</summary>
    public string? Token { get; set; }

    /// <summary><c>POST /api/v1/auth/register</c>.</summary>
    public Task<AuthResponse> RegisterAsync(string username, string email, string password, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, "api/v1/auth/register", idempotent: false,
            () => JsonContent.Create(new RegisterRequest { Username = username, Email = email, Password = password }, RegistryJsonContext.Default.RegisterRequest),
            RegistryJsonContext.Default.AuthResponse, cancellationToken);

    /// <summary><c>POST /api/v1/auth/login</c>.</summary>
    public Task<AuthResponse> LoginAsync(string username, string password, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, "api/v1/auth/login", idempotent: false,
            () => JsonContent.Create(new LoginRequest { Username = username, Password = password }, RegistryJsonContext.Default.LoginRequest),
            RegistryJsonContext.Default.AuthResponse, cancellationToken);

    /// <summary><c>POST /api/v1/auth/verify</c> with the current token; a rejected token throws with status 401.</summary>
    public Task<VerifyResponse> VerifyAsync(CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, "api/v1/auth/verify", idempotent: true, null, RegistryJsonContext.Default.VerifyResponse, cancellationToken);

    /// <summary>
    /// <c>POST /api/v1/packages</c>: uploads <paramref name="tarball"/> as multipart part <c>tarball</c> with the
    /// client's <paramref name="sha256"/>. <paramref name="progress"/> receives the bytes sent so far.
    /// </summary>
    public Task<VersionDocument> PublishAsync(Stream tarball, string fileName, string? sha256, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tarball);
        var start = tarball.CanSeek ? tarball.Position : 0;
        var attempts = 0;
        return SendJsonAsync(HttpMethod.Post, "api/v1/packages", idempotent: false, () =>
        {
            if (attempts++ > 0)
            {
                if (!tarball.CanSeek)
                {
                    throw new RegistryException("The upload cannot be retried because the tarball stream is not seekable.");
                }
                tarball.Position = start;
            }
            var form = new MultipartFormDataContent();
            var file = new ProgressStreamContent(tarball, progress);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
            form.Add(file, "tarball", fileName);
            if (sha256 is not null)
            {
                form.Add(new StringContent(sha256), "sha256");
            }
            return form;
        }, RegistryJsonContext.Default.VersionDocument, cancellationToken);
    }

    /// <summary><c>GET /api/v1/packages/{name}</c>, revalidating <paramref name="cached"/> with its ETag.</summary>
    public Task<CachedResponse<PackageDocument>> GetPackageAsync(string name, CachedResponse<PackageDocument>? cached = null, CancellationToken cancellationToken = default) =>
        GetConditionalAsync($"api/v1/packages/{Escape(name)}", cached, RegistryJsonContext.Default.PackageDocument, cancellationToken);

    /// <summary><c>GET /api/v1/packages/{name}/{version}</c>, revalidating <paramref name="cached"/> with its ETag.</summary>
    public Task<CachedResponse<VersionDocument>> GetVersionAsync(string name, string version, CachedResponse<VersionDocument>? cached = null, CancellationToken cancellationToken = default) =>
        GetConditionalAsync($"api/v1/packages/{Escape(name)}/{Escape(version)}", cached, RegistryJsonContext.Default.VersionDocument, cancellationToken);

    /// <summary><c>GET /api/v1/packages/{name}/versions</c>, revalidating <paramref name="cached"/> with its ETag.</summary>
    public Task<CachedResponse<VersionsDocument>> GetVersionsAsync(string name, CachedResponse<VersionsDocument>? cached = null, CancellationToken cancellationToken = default) =>
        GetConditionalAsync($"api/v1/packages/{Escape(name)}/versions", cached, RegistryJsonContext.Default.VersionsDocument, cancellationToken);

    /// <summary><c>GET /api/v1/search</c>.</summary>
    public Task<SearchResponse> SearchAsync(string query, int page = 1, int perPage = 20, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Get,
            string.Create(CultureInfo.InvariantCulture, $"api/v1/search?q={Uri.EscapeDataString(query)}&page={page}&per_page={perPage}"),
            idempotent: true, null, RegistryJsonContext.Default.SearchResponse, cancellationToken);

    /// <summary>
    /// <c>GET /api/v1/packages/{name}/{version}/tarball</c>, streamed into <paramref name="destination"/>. Returns the
    /// bytes written. A seekable destination is truncated and the download retried after a network error.
    /// </summary>
    public async Task<long> DownloadTarballAsync(string name, string version, Stream destination, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var start = destination.CanSeek ? destination.Position : 0;
        var path = $"api/v1/packages/{Escape(name)}/{Escape(version)}/tarball";
        return await ExecuteAsync(HttpMethod.Get, path, idempotent: destination.CanSeek, null, HttpCompletionOption.ResponseHeadersRead, async (response, ct) =>
        {
            if (destination.CanSeek)
            {
                destination.Position = start;
                destination.SetLength(start);
            }
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var buffer = new byte[81920];
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                total += read;
                progress?.Report(total);
            }
            return total;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>DELETE /api/v1/packages/{name}/{version}</c>.</summary>
    public Task DeleteVersionAsync(string name, string version, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"api/v1/packages/{Escape(name)}/{Escape(version)}", idempotent: false, null, cancellationToken);

    /// <summary><c>PUT /api/v1/packages/{name}/{version}/yank</c> with an optional reason.</summary>
    public Task YankAsync(string name, string version, string? reason = null, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Put, $"api/v1/packages/{Escape(name)}/{Escape(version)}/yank", idempotent: true,
            () => JsonContent.Create(new YankRequest { Reason = reason }, RegistryJsonContext.Default.YankRequest), cancellationToken);

    /// <summary><c>DELETE /api/v1/packages/{name}/{version}/yank</c>.</summary>
    public Task UnyankAsync(string name, string version, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"api/v1/packages/{Escape(name)}/{Escape(version)}/yank", idempotent: true, null, cancellationToken);

    /// <summary><c>GET /api/v1/packages/{name}/owners</c>.</summary>
    public Task<OwnerList> GetOwnersAsync(string name, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Get, $"api/v1/packages/{Escape(name)}/owners", idempotent: true, null, RegistryJsonContext.Default.OwnerList, cancellationToken);

    /// <summary><c>PUT /api/v1/packages/{name}/owners</c>: adds owners; returns the registry's answer (the owner list when it sends one).</summary>
    public Task AddOwnersAsync(string name, IEnumerable<string> users, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Put, $"api/v1/packages/{Escape(name)}/owners", idempotent: true, OwnerBody(users), cancellationToken);

    /// <summary><c>DELETE /api/v1/packages/{name}/owners</c>: removes owners (the last owner cannot be removed: 409).</summary>
    public Task RemoveOwnersAsync(string name, IEnumerable<string> users, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"api/v1/packages/{Escape(name)}/owners", idempotent: true, OwnerBody(users), cancellationToken);

    /// <summary><c>POST /api/v1/tokens</c>: the answer carries the secret, shown only once.</summary>
    public Task<ApiTokenDocument> CreateTokenAsync(CreateTokenRequest request, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Post, "api/v1/tokens", idempotent: false,
            () => JsonContent.Create(request, RegistryJsonContext.Default.CreateTokenRequest), RegistryJsonContext.Default.ApiTokenDocument, cancellationToken);

    /// <summary><c>GET /api/v1/tokens</c>.</summary>
    public Task<IReadOnlyList<ApiTokenDocument>> ListTokensAsync(CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Get, "api/v1/tokens", idempotent: true, null, RegistryJsonContext.Default.IReadOnlyListApiTokenDocument, cancellationToken);

    /// <summary><c>DELETE /api/v1/tokens/{id}</c>.</summary>
    public Task RevokeTokenAsync(string id, CancellationToken cancellationToken = default) =>
        SendNoContentAsync(HttpMethod.Delete, $"api/v1/tokens/{Escape(id)}", idempotent: true, null, cancellationToken);

    /// <summary><c>GET /api/v1/users/{username}</c>.</summary>
    public Task<UserProfile> GetUserAsync(string username, CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Get, $"api/v1/users/{Escape(username)}", idempotent: true, null, RegistryJsonContext.Default.UserProfile, cancellationToken);

    /// <summary><c>GET /api/v1/stats</c>.</summary>
    public Task<RegistryStats> GetStatsAsync(CancellationToken cancellationToken = default) =>
        SendJsonAsync(HttpMethod.Get, "api/v1/stats", idempotent: true, null, RegistryJsonContext.Default.RegistryStats, cancellationToken);

    /// <summary><c>GET /api/v1/health</c>: 200 and 503 both return a result (no retry on 503).</summary>
    public async Task<RegistryHealth> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        using var request = CreateRequest(HttpMethod.Get, "api/v1/health", null);
        using var response = await SendOnceAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
        {
            throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
        }
        HealthReport? report;
        try
        {
            report = await response.Content.ReadFromJsonAsync(RegistryJsonContext.Default.HealthReport, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            report = null;
        }
        return new RegistryHealth(response.StatusCode == HttpStatusCode.OK, report);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private static Func<HttpContent> OwnerBody(IEnumerable<string> users)
    {
        var list = users.ToList();
        return () => JsonContent.Create(new OwnerList { Users = list }, RegistryJsonContext.Default.OwnerList);
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task<CachedResponse<T>> GetConditionalAsync<T>(string path, CachedResponse<T>? cached, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        return await ExecuteAsync(HttpMethod.Get, path, idempotent: true, null, HttpCompletionOption.ResponseContentRead, async (response, ct) =>
        {
            if (response.StatusCode == HttpStatusCode.NotModified && cached is not null)
            {
                return cached with { NotModified = true };
            }
            var value = await ReadJsonAsync(response, typeInfo, ct).ConfigureAwait(false);
            return new CachedResponse<T>(value, response.Headers.ETag?.ToString());
        }, cancellationToken, request =>
        {
            if (cached?.ETag is { } etag && EntityTagHeaderValue.TryParse(etag, out var tag))
            {
                request.Headers.IfNoneMatch.Add(tag);
            }
        }).ConfigureAwait(false);
    }

    private Task<T> SendJsonAsync<T>(HttpMethod method, string path, bool idempotent, Func<HttpContent>? content, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        ExecuteAsync(method, path, idempotent, content, HttpCompletionOption.ResponseContentRead,
            (response, ct) => ReadJsonAsync(response, typeInfo, ct), cancellationToken);

    private Task<bool> SendNoContentAsync(HttpMethod method, string path, bool idempotent, Func<HttpContent>? content, CancellationToken cancellationToken) =>
        ExecuteAsync(method, path, idempotent, content, HttpCompletionOption.ResponseContentRead, (_, _) => Task.FromResult(true), cancellationToken);

    private async Task<T> ExecuteAsync<T>(HttpMethod method, string path, bool idempotent, Func<HttpContent>? content,
        HttpCompletionOption completion, Func<HttpResponseMessage, CancellationToken, Task<T>> onSuccess, CancellationToken cancellationToken,
        Action<HttpRequestMessage>? configure = null)
    {
        var backoff = _options.InitialBackoff;
        for (var attempt = 0; ; attempt++)
        {
            var canRetry = attempt < _options.MaxRetries;
            HttpResponseMessage response;
            using (var request = CreateRequest(method, path, content))
            {
                configure?.Invoke(request);
                try
                {
                    response = await SendOnceAsync(request, completion, cancellationToken).ConfigureAwait(false);
                }
                catch (RegistryException ex) when (ex.IsUnreachable && idempotent && canRetry)
                {
                    await _options.Delay(backoff, cancellationToken).ConfigureAwait(false);
                    backoff *= 2;
                    continue;
                }
            }
            using (response)
            {
                if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotModified)
                {
                    try
                    {
                        return await onSuccess(response, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                    {
                        if (idempotent && canRetry)
                        {
                            await _options.Delay(backoff, cancellationToken).ConfigureAwait(false);
                            backoff *= 2;
                            continue;
                        }
                        throw Unreachable(ex);
                    }
                }
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    var wait = RetryAfter(response) ?? backoff;
                    if (canRetry && wait <= _options.MaxRetryAfter)
                    {
                        await _options.Delay(wait, cancellationToken).ConfigureAwait(false);
                        backoff *= 2;
                        continue;
                    }
                }
                else if ((int)response.StatusCode >= 500 && idempotent && canRetry)
                {
                    await _options.Delay(backoff, cancellationToken).ConfigureAwait(false);
                    backoff *= 2;
                    continue;
                }
                throw await ToExceptionAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string path, Func<HttpContent>? content)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseWithSlash(), path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.ParseAdd(_options.UserAgent);
        if (!string.IsNullOrEmpty(Token))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        request.Content = content?.Invoke();
        return request;
    }

    private Uri BaseWithSlash()
    {
        var text = _options.BaseAddress.ToString();
        return text.EndsWith('/') ? _options.BaseAddress : new Uri(text + "/");
    }

    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            return await _http.SendAsync(request, completion, timeout.Token).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new RegistryException(
                $"The registry at {_options.BaseAddress} did not answer within {_options.Timeout.TotalSeconds:0} seconds. Try again later or check the registry address.",
                null, "unreachable", null, ex);
        }
    }

    private RegistryException Unreachable(Exception ex) => new(
        $"Could not reach the registry at {_options.BaseAddress} ({ex.Message}). Check that it is running and the address is right (--registry or SYNAPSE_REGISTRY), or use --offline.",
        null, "unreachable", null, ex);

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        try
        {
            var value = await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false);
            return value ?? throw new JsonException("empty body");
        }
        catch (JsonException ex)
        {
            throw new RegistryException(
                $"The registry at {_options.BaseAddress} sent an answer this client cannot read ({ex.Message}). Check that --registry points at a Synapse registry.",
                response.StatusCode, "invalid_response", null, ex);
        }
    }

    private static async Task<RegistryException> ToExceptionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        ProblemDocument? problem = null;
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!string.IsNullOrWhiteSpace(text) && text.TrimStart().StartsWith('{'))
            {
                problem = JsonSerializer.Deserialize(text, ClientJsonContext.Default.ProblemDocument);
            }
        }
        catch (JsonException)
        {
            problem = null;
        }
        var status = (int)response.StatusCode;
        var code = problem?.Code ?? DefaultCode(response.StatusCode);
        var detail = problem?.Detail ?? problem?.Title ?? DefaultDetail(response.StatusCode);
        if (problem?.Errors is { Count: > 0 } errors && problem.Detail is null)
        {
            detail = string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
        }
        var retryAfter = RetryAfter(response);
        if (response.StatusCode == HttpStatusCode.TooManyRequests && retryAfter is { } wait)
        {
            detail = $"{detail.TrimEnd('.')}. Retry in {Math.Ceiling(wait.TotalSeconds)} seconds.";
        }
        else if (status >= 500 && problem?.Detail is null)
        {
            detail = $"The registry failed with {status} {response.ReasonPhrase}. Try again later; if it persists, tell the registry's operators.";
        }
        return new RegistryException(detail, response.StatusCode, code, problem?.Errors) { RetryAfter = retryAfter };
    }

    private static string DefaultCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "unauthorized",
        HttpStatusCode.Forbidden => "forbidden",
        HttpStatusCode.NotFound => "not_found",
        HttpStatusCode.Conflict => "conflict",
        HttpStatusCode.TooManyRequests => "rate_limited",
        HttpStatusCode.RequestEntityTooLarge => "payload_too_large",
        _ => string.Create(CultureInfo.InvariantCulture, $"http_{(int)status}"),
    };

    private static string DefaultDetail(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "The registry did not accept the credentials. Log in again with `synapse pkg login`.",
        HttpStatusCode.Forbidden => "The registry refused: you are not allowed to do this.",
        HttpStatusCode.NotFound => "Not found on the registry.",
        HttpStatusCode.TooManyRequests => "The registry is rate limiting this client.",
        _ => string.Create(CultureInfo.InvariantCulture, $"The registry answered {(int)status} {status}."),
    };
}
