using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Synapse.Registry.Infrastructure;

/// <summary>
/// Honours <c>X-Forwarded-*</c> from trusted proxies only (<c>Synapse:Proxy:KnownNetworks</c>, <c>KnownProxies</c>),
/// so that behind a load balancer rate limits and download records see the client, not the balancer.
/// </summary>
public static class ProxySupport
{
    /// <summary>Configures forwarded headers from <c>Synapse:Proxy</c>; throws naming the key on a bad address.</summary>
    public static IServiceCollection AddRegistryProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<IConfiguration>((options, config) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var network in Networks(config))
            {
                options.KnownIPNetworks.Add(network);
            }

            foreach (var proxy in Proxies(config))
            {
                options.KnownProxies.Add(proxy);
            }

            // One proxy hop (the load balancer); more would let clients inject addresses.
            options.ForwardLimit = 1;
        });
        return services;
    }

    private static List<System.Net.IPNetwork> Networks(IConfiguration configuration) =>
        (configuration.GetSection("Synapse:Proxy:KnownNetworks").Get<string[]>() ?? []).Select(n => System.Net.IPNetwork.TryParse(n, out var network)
            ? network
            : throw new InvalidOperationException($"Synapse:Proxy:KnownNetworks: '{n}' is not a CIDR range such as 10.0.0.0/8.")).ToList();

    private static List<IPAddress> Proxies(IConfiguration configuration) =>
        (configuration.GetSection("Synapse:Proxy:KnownProxies").Get<string[]>() ?? []).Select(p => IPAddress.TryParse(p, out var address)
            ? address
            : throw new InvalidOperationException($"Synapse:Proxy:KnownProxies: '{p}' is not an IP address.")).ToList();

    /// <summary>Applies forwarded headers when any trusted proxy is configured.</summary>
    public static WebApplication UseRegistryProxySupport(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Parsed here too so that a bad address stops the startup with a message naming the key.
        if (Networks(app.Configuration).Count + Proxies(app.Configuration).Count > 0)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
