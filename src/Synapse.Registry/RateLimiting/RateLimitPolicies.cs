using System.Globalization;
using Microsoft.Extensions.Options;
using Synapse.Registry.Api;
using Synapse.Registry.Auth;
using Synapse.Registry.Options;

namespace Synapse.Registry.RateLimiting;

/// <summary>The named policies and their windows: DESIGN defaults overlaid with <c>Synapse:RateLimiting:Policies</c>.</summary>
internal sealed class RateLimitPolicies
{
    public const string Auth = "auth";
    public const string Publish = "publish";
    public const string Read = "read";

    private readonly Dictionary<string, IReadOnlyList<RateLimitWindow>> _windows = new(StringComparer.OrdinalIgnoreCase);

    public RateLimitPolicies(IOptions<RateLimitingOptions> options)
    {
        Enabled = options.Value.Enabled;
        var defaults = new Dictionary<string, RateLimitPolicyOptions>(StringComparer.OrdinalIgnoreCase)
        {
            [Auth] = new() { PerHour = 50, PerDay = 200 },
            [Publish] = new() { PerHour = 50, PerDay = 200 },
            [Read] = new() { PerMinute = 10_000 },
        };
        foreach (var (name, configured) in options.Value.Policies)
        {
            defaults[name] = configured.PerMinute is null && configured.PerHour is null && configured.PerDay is null
                ? defaults.GetValueOrDefault(name) ?? configured
                : configured;
        }
        foreach (var (name, limits) in defaults)
        {
            var windows = new List<RateLimitWindow>();
            if (limits.PerMinute is { } perMinute) windows.Add(new RateLimitWindow(perMinute, TimeSpan.FromMinutes(1)));
            if (limits.PerHour is { } perHour) windows.Add(new RateLimitWindow(perHour, TimeSpan.FromHours(1)));
            if (limits.PerDay is { } perDay) windows.Add(new RateLimitWindow(perDay, TimeSpan.FromDays(1)));
            _windows[name] = windows;
        }
    }

    public bool Enabled { get; }

    public IReadOnlyList<RateLimitWindow> WindowsOf(string policy) => _windows.GetValueOrDefault(policy) ?? [];
}

/// <summary>Endpoint filter applying a named policy: keyed by client address, or by user for <c>publish</c>.</summary>
internal static class RateLimitFilters
{
    /// <summary>
    /// Adds the policy's filter to the endpoint; when rate limiting is off or the policy has no window, nothing is
    /// added at all, so those requests pay nothing for it.
    /// </summary>
    public static TBuilder RequireRateLimit<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var policies = factory.ApplicationServices.GetRequiredService<RateLimitPolicies>();
            var windows = policies.WindowsOf(policy);
            if (!policies.Enabled || windows.Count == 0)
            {
                return next;
            }
            var policyHeader = string.Join(", ",
                windows.Select(w => string.Create(CultureInfo.InvariantCulture, $"\"{policy}\";q={w.Limit};w={(long)w.Length.TotalSeconds}")));
            return context => ApplyAsync(context, next, policy, windows, policyHeader);
        });
        return builder;
    }

    private static async ValueTask<object?> ApplyAsync(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next, string policy, IReadOnlyList<RateLimitWindow> windows, string policyHeader)
    {
        var http = context.HttpContext;
        var caller = policy == RateLimitPolicies.Publish ? await Caller.ResolveAsync(http) : Caller.Anonymous;
        var key = !caller.IsAnonymous
            ? "user:" + caller.UserId.ToString(CultureInfo.InvariantCulture)
            : "ip:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        var store = http.RequestServices.GetRequiredService<IRateLimitStore>();
        var decision = await store.HitAsync(policy, key, windows, http.RequestAborted);
        var resetSeconds = Math.Max(1, (long)Math.Ceiling(decision.ResetAfter.TotalSeconds));
        http.Response.Headers["RateLimit-Policy"] = policyHeader;
        http.Response.Headers["RateLimit"] = string.Create(CultureInfo.InvariantCulture, $"\"{policy}\";r={decision.Remaining};t={resetSeconds}");
        if (decision.Allowed)
        {
            return await next(context);
        }
        http.Response.Headers.RetryAfter = resetSeconds.ToString(CultureInfo.InvariantCulture);
        return Problems.Create(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited,
            $"Too many requests under the '{policy}' limit ({decision.Limit} per window); retry after {resetSeconds} seconds.");
    }
}
