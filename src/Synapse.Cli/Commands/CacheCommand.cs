using System.CommandLine;
using Synapse.Cli.Cache;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class CacheCommand
{
    public static Command Create(CliApp app)
    {
        var cache = new Command("cache", "Show or clear the local package cache");
        cache.Subcommands.Add(app.Handle(new Command("dir", "Print the cache directory"), (context, _, _) =>
        {
            var directory = context.Environment.CacheDirectory;
            context.Output.Result(directory);
            context.Output.WriteJson(new PathJson(directory), CliJsonContext.Output.PathJson);
            return Task.FromResult(ExitCodes.Ok);
        }));
        cache.Subcommands.Add(app.Handle(new Command("clean", "Delete everything in the cache"), (context, _, _) =>
        {
            var directory = context.Environment.CacheDirectory;
            var freed = new PackageCache(directory).Clean();
            context.Output.Line($"Removed {directory} ({freed:N0} bytes).");
            context.Output.WriteJson(new CacheCleanJson(directory, freed), CliJsonContext.Output.CacheCleanJson);
            return Task.FromResult(ExitCodes.Ok);
        }));
        return cache;
    }
}
