using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Synapse.Resolver;

namespace Synapse.Benchmarks.Resolver;

/// <summary>
/// <c>resolve FILE.json...</c>: one JSON line per problem with the time of the resolution alone.
/// <c>generate-resolve-problems DIR</c>: writes the synthetic problems as snapshot files.
/// </summary>
public static class ResolveCommand
{
    /// <summary>Attempts per problem (three when they take a second or more): the best is reported.</summary>
    private const int Attempts = 10;

    public static async Task<int> ResolveAsync(IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            await Console.Error.WriteLineAsync("usage: resolve FILE.json [FILE2.json ...]");
            return 2;
        }
        var exitCode = 0;
        foreach (var file in files)
        {
            RegistrySnapshot snapshot;
            InMemoryPackageSource source;
            ResolveRequest request;
            try
            {
                snapshot = RegistrySnapshot.Parse(await File.ReadAllTextAsync(file));
                source = snapshot.ToSource();
                request = snapshot.ToRequest();
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException or InvalidDataException)
            {
                await Console.Error.WriteLineAsync($"{file}: {error.Message}");
                exitCode = 2;
                continue;
            }

            var best = double.MaxValue;
            Resolution? resolution = null;
            VersionSolvingException? failure = null;
            var collections = new int[3];
            var cpuSeconds = double.MaxValue;
            var allocated = 0L;
            for (var attempt = 0; attempt < Attempts; attempt++)
            {
                // Start each attempt from a settled heap so parsing the snapshot is not billed to the solver.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                for (var generation = 0; generation < 3; generation++) collections[generation] = GC.CollectionCount(generation);
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                var stopwatch = Stopwatch.StartNew();
                try
                {
                    resolution = await new DependencyResolver(source).ResolveAsync(request);
                }
                catch (VersionSolvingException error)
                {
                    failure = error;
                }
                var seconds = stopwatch.Elapsed.TotalSeconds;
                cpuSeconds = Math.Min(cpuSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds);
                allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
                for (var generation = 0; generation < 3; generation++) collections[generation] = GC.CollectionCount(generation) - collections[generation];
                best = Math.Min(best, seconds);
                // The first attempt pays for JIT compilation; the slow ones stop after three.
                if (seconds >= 1 && attempt >= 2) break;
            }
            Console.WriteLine(Line(file, resolution, best));
            var statistics = resolution?.Statistics ?? failure!.Statistics;
            await Console.Error.WriteLineAsync(
                $"{file}: {(resolution is null ? "no solution" : $"{resolution.Packages.Count} packages")}, " +
                $"{statistics.Decisions} decisions, {statistics.Conflicts} conflicts, {statistics.Propagations} propagations, " +
                $"least CPU of an attempt: {cpuSeconds:0.000} s, allocated {allocated / 1024.0:0} KB, last attempt's GCs gen0/1/2 {collections[0]}/{collections[1]}/{collections[2]}");
        }
        return exitCode;
    }

    private static string Line(string file, Resolution? resolution, double seconds)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("problem", file);
            writer.WriteBoolean("solved", resolution is not null);
            writer.WritePropertyName("seconds");
            writer.WriteRawValue(seconds.ToString("0.######", CultureInfo.InvariantCulture));
            if (resolution is null)
            {
                writer.WriteNull("solution");
            }
            else
            {
                writer.WriteStartObject("solution");
                foreach (var package in resolution.Packages) writer.WriteString(package.Name, package.Version.ToString());
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static async Task<int> GenerateAsync(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 1)
        {
            await Console.Error.WriteLineAsync("usage: generate-resolve-problems DIR");
            return 2;
        }
        var directory = Directory.CreateDirectory(arguments[0]);
        var problems = new Dictionary<string, RegistrySnapshot>
        {
            ["deep-wide-1000.json"] = SyntheticRegistries.DeepAndWide(1_000),
            ["deep-wide-10000.json"] = SyntheticRegistries.DeepAndWide(10_000),
            ["deep-wide-pinned-1000.json"] = SyntheticRegistries.DeepAndWideWithPins(1_000),
            ["late-conflicts-100.json"] = SyntheticRegistries.LateConflicts(100),
            ["late-conflicts-1000.json"] = SyntheticRegistries.LateConflicts(1_000),
            ["unsolvable-1000.json"] = SyntheticRegistries.Unsolvable(1_000),
        };
        foreach (var (name, snapshot) in problems)
        {
            var path = Path.Combine(directory.FullName, name);
            await File.WriteAllTextAsync(path, snapshot.ToJson());
            Console.WriteLine($"{path}: {snapshot.Packages.Count} packages, {snapshot.VersionCount} versions");
        }
        return 0;
    }
}
