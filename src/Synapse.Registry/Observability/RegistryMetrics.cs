using System.Diagnostics.Metrics;

namespace Synapse.Registry.Observability;

/// <summary>
/// The registry's own counters, next to ASP.NET Core's request counts and latencies
/// (<c>http.server.request.duration</c>), all exported on the Prometheus endpoint.
/// </summary>
public sealed class RegistryMetrics
{
    /// <summary>Name of the meter holding these counters.</summary>
    public const string MeterName = "Synapse.Registry";

    private readonly Counter<long> publishes;
    private readonly Counter<long> downloads;
    private readonly Counter<long> rateLimited;
    private readonly Counter<long> backendUnavailable;

    /// <summary>Creates the counters on a meter from <paramref name="meterFactory"/>.</summary>
    public RegistryMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        publishes = meter.CreateCounter<long>("synapse.registry.publishes", "{version}", "Package versions published.");
        downloads = meter.CreateCounter<long>("synapse.registry.downloads", "{download}", "Tarball downloads served.");
        rateLimited = meter.CreateCounter<long>("synapse.registry.rate_limited", "{request}", "Requests refused with 429.");
        backendUnavailable = meter.CreateCounter<long>("synapse.registry.backend_unavailable", "{request}", "Requests answered 503 because a backing service failed.");
    }

    /// <summary>Counts one published version.</summary>
    public void Published() => publishes.Add(1);

    /// <summary>Counts one download.</summary>
    public void Downloaded() => downloads.Add(1);

    /// <summary>Counts one refused request.</summary>
    public void RateLimited() => rateLimited.Add(1);

    /// <summary>Counts one request that failed because a backing service was down.</summary>
    public void BackendUnavailable() => backendUnavailable.Add(1);
}
