using Microsoft.Extensions.Options;
using Synapse.Registry.Hosting;

var migrateOnly = args.Length > 0 && args[0] == "migrate";
var builder = WebApplication.CreateBuilder(migrateOnly ? args[1..] : args);
// The documented default address, unless ASPNETCORE_URLS, --urls or a Urls setting names one. (A "Urls" key in
// appsettings.json would silently win over ASPNETCORE_URLS, which containers rely on.)
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]) &&
    string.IsNullOrEmpty(builder.Configuration["https_ports"]))
{
    builder.WebHost.UseUrls("http://localhost:5080");
}
// Nothing is gained by announcing the server in every response.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
builder.Services.AddRegistry(builder.Configuration);

try
{
    var app = builder.Build();
    app.UseRegistry();
    app.Services.GetService<Microsoft.Extensions.Options.IStartupValidator>()?.Validate();
    await app.Services.MigrateDatabaseAsync();
    if (migrateOnly)
    {
        Console.WriteLine("synapse-registry: database is up to date.");
        return 0;
    }
    await app.RunAsync();
    return 0;
}
catch (OptionsValidationException ex) when (!RegistryHost.IsUnderTest)
{
    await Console.Error.WriteLineAsync($"synapse-registry: invalid configuration: {string.Join(" ", ex.Failures)}");
    return 1;
}
catch (InvalidOperationException ex) when (!RegistryHost.IsUnderTest && ex.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync($"synapse-registry: invalid configuration: {ex.Message}");
    return 1;
}

/// <summary>Entry point, exposed for WebApplicationFactory.</summary>
public partial class Program;
