using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Synapse.Registry.Api;
using Synapse.Registry.Data;
using Synapse.Registry.Infrastructure;
using Synapse.Registry.Observability;
using Synapse.Registry.Options;

namespace Synapse.Registry.Hosting;

internal static class RegistryApplication
{
    public static WebApplication UseRegistry(this WebApplication app)
    {
        app.UseRegistryProxySupport();
        app.UseRegistryMetrics();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseCors();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapAuthApi();
        app.MapPublishApi();
        app.MapPackagesApi();
        app.MapOwnersApi();
        app.MapDownloadsApi();
        app.MapSearchApi();
        app.MapTokensApi();
        app.MapUsersApi();
        app.MapStatsApi();
        app.MapHealthApi();
        return app;
    }

    /// <summary>Applies pending migrations; for SQLite also switches the file to WAL mode (a persistent setting).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
        if (scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider == "Sqlite")
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
        }
    }
}
