using OpenTelemetry.Metrics;

namespace Synapse.Registry.Observability;

/// <summary>Wires the Prometheus endpoint (<c>Synapse:Metrics:Enabled</c>, <c>Synapse:Metrics:Path</c>).</summary>
public static class MetricsExtensions
{
    /// <summary>Registers the counters and, unless disabled, the OpenTelemetry Prometheus exporter.</summary>
    public static IServiceCollection AddRegistryMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<RegistryMetrics>();
        if (configuration.GetValue("Synapse:Metrics:Enabled", true))
        {
            services.AddOpenTelemetry().WithMetrics(metrics => metrics
                .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", RegistryMetrics.MeterName)
                .AddPrometheusExporter());
        }

        return services;
    }

    /// <summary>Counts requests and, unless disabled, serves the scrape endpoint (default <c>/metrics</c>).</summary>
    public static WebApplication UseRegistryMetrics(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<RegistryMetricsMiddleware>();
        if (app.Configuration.GetValue("Synapse:Metrics:Enabled", true))
        {
            var path = app.Configuration["Synapse:Metrics:Path"] is { Length: > 0 } configured ? configured : "/metrics";
            if (!path.StartsWith('/'))
            {
                throw new InvalidOperationException($"Synapse:Metrics:Path '{path}' must start with '/'.");
            }

            app.MapPrometheusScrapingEndpoint(path);
        }

        return app;
    }
}
