extern alias registry;

using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using registry::Synapse.Registry.Data;
using registry::Synapse.Registry.Hosting;
using registry::Synapse.Registry.Packages;
using registry::Synapse.Registry.Search;

namespace Synapse.Benchmarks.Registry;

/// <summary>
/// <c>search-scale [--packages N] [--iterations N] [--database FILE] [--dump FILE]</c>: seeds N generated packages into
/// a temporary SQLite database (or into FILE, kept and reused by later runs) through the registry's own DbContext and
/// migrations, then times the registry's search (<see cref="SqliteFtsPackageSearch"/>) against the previous query shape
/// (count every match, rank every match) for each query kind the compare harness uses. Reports p50/p99 in milliseconds
/// and CPU milliseconds per query. With <c>--dump</c>, writes every result instead, for diffing two builds.
/// </summary>
internal static class SearchScaleCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var packages = Option(args, "--packages", 100_000);
        var iterations = Option(args, "--iterations", 60);
        var database = TextOption(args, "--database");
        var dump = TextOption(args, "--dump");
        var folder = database is null ? Directory.CreateTempSubdirectory("synapse-search-scale-") : null;
        var path = database ?? Path.Combine(folder!.FullName, "registry.db");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteRegistryDbContext>()
                .UseSqlite($"Data Source={path}")
                .AddInterceptors(SqlitePragmas.Instance).Options;
            await using var db = new SqliteRegistryDbContext(options);
            var corpus = SearchCorpus.Generate(packages, seed: 42);
            await db.Database.MigrateAsync();
            if (!await db.Packages.AnyAsync())
            {
                var seeding = Stopwatch.StartNew();
                await SeedAsync(db, corpus);
                Console.WriteLine($"seeded {packages:N0} packages in {seeding.Elapsed.TotalSeconds:F1} s ({path})");
            }
            else
            {
                Console.WriteLine($"reusing {await db.Packages.CountAsync():N0} packages in {path}");
            }

            var kinds = SearchCorpus.Queries(corpus, seed: 7, perKind: 30);
            var search = new SqliteFtsPackageSearch(db, new TermFrequencies(TimeProvider.System));
            if (dump is not null)
            {
                await DumpAsync(search, kinds, dump);
                Console.WriteLine($"wrote the results of every query to {dump}");
                return 0;
            }
            Console.WriteLine($"{"kind",-8} {"examples",-44} {"after p50",10} {"after p99",10} {"after cpu",10} {"before p50",11} {"before p99",11} {"before cpu",11}");
            foreach (var (kind, queries) in kinds)
            {
                var (after, before) = await TimeAsync(queries, iterations,
                    q => search.SearchAsync(q, 1, 20, CancellationToken.None), q => BaselineAsync(db, q));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{kind,-8} {string.Join(", ", queries.Take(3)),-44} {after.P50,10:F2} {after.P99,10:F2} {after.Cpu,10:F2} {before.P50,11:F2} {before.P99,11:F2} {before.Cpu,11:F2}"));
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder?.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Every query of every kind at pages 1, 2 and 7 of 20 and page 1 of 100, one line each: diff two dumps to check that a
    /// change of the search keeps its results (order, scores, totals, latest versions) identical.
    /// </summary>
    private static async Task DumpAsync(SqliteFtsPackageSearch search, IReadOnlyList<(string Kind, IReadOnlyList<string> Queries)> kinds, string file)
    {
        await using var writer = new StreamWriter(file);
        foreach (var query in kinds.SelectMany(k => k.Queries).Append("").Append("-- \"*\""))
        {
            foreach (var (page, perPage) in new[] { (1, 20), (2, 20), (7, 20), (1, 100), (60, 20) })
            {
                var (hits, total) = await search.SearchAsync(query, page, perPage, CancellationToken.None);
                var rows = hits.Select(h => string.Create(CultureInfo.InvariantCulture, $"{h.Name}@{h.LatestVersion}:{h.Score:R}:{h.Downloads}"));
                await writer.WriteLineAsync($"{query}|{page}|{perPage}|{total}|{string.Join(' ', rows)}");
            }
        }
    }

    private static int Option(string[] args, string name, int fallback) =>
        TextOption(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? TextOption(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }

    /// <summary>
    /// Alternates the two so that whatever else loads the machine weighs on both alike. Besides wall-clock percentiles,
    /// reports the process CPU time per query, which other work on a shared machine disturbs much less.
    /// </summary>
    private static async Task<(Timing First, Timing Second)> TimeAsync<T1, T2>(
        IReadOnlyList<string> queries, int iterations, Func<string, Task<T1>> first, Func<string, Task<T2>> second)
    {
        foreach (var query in queries.Take(3))
        {
            await first(query);
            await second(query);
        }
        var firstTimes = new List<double>();
        var secondTimes = new List<double>();
        var firstCpu = TimeSpan.Zero;
        var secondCpu = TimeSpan.Zero;
        using var process = Process.GetCurrentProcess();
        for (var i = 0; i < iterations; i++)
        {
            var query = queries[i % queries.Count];
            var (wall, cpu) = await MeasureAsync(() => first(query), process);
            firstTimes.Add(wall);
            firstCpu += cpu;
            (wall, cpu) = await MeasureAsync(() => second(query), process);
            secondTimes.Add(wall);
            secondCpu += cpu;
        }
        return (Timing.Of(firstTimes, firstCpu), Timing.Of(secondTimes, secondCpu));
    }

    private static async Task<(double WallMs, TimeSpan Cpu)> MeasureAsync(Func<Task> run, Process process)
    {
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var started = Stopwatch.GetTimestamp();
        await run();
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        process.Refresh();
        return (elapsed, process.TotalProcessorTime - cpuBefore);
    }

    private sealed record Timing(double P50, double P99, double Cpu)
    {
        public static Timing Of(List<double> times, TimeSpan cpu)
        {
            times.Sort();
            return new Timing(Percentile(times, 0.50), Percentile(times, 0.99), cpu.TotalMilliseconds / times.Count);
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>
    /// Packages, their search rows and 1-3 versions each (a readme of a few KB, as real packages have; every seventh
    /// package also has a newer prerelease and every eleventh its newest release yanked), as the registry stores them.
    /// </summary>
    private static async Task SeedAsync(SqliteRegistryDbContext db, IReadOnlyList<SearchCorpus.Entry> corpus)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var user = Command(connection, transaction,
            "INSERT INTO Users (Id, Username, Email, PasswordHash, CreatedAt) VALUES (1, 'seed', 'seed@example.com', '-', 0)"))
        {
            await user.ExecuteNonQueryAsync();
        }
        await using var package = Command(connection, transaction,
            "INSERT INTO Packages (Id, Name, CanonicalName, Description, Keywords, Downloads, CreatedAt, UpdatedAt) VALUES ($id, $name, $name, $description, $keywords, $downloads, 0, 0)",
            "$id", "$name", "$description", "$keywords", "$downloads");
        await using var index = Command(connection, transaction,
            "INSERT INTO SearchIndex (Id, PackageId, Name, Keywords, Description) VALUES ($id, $id, $name, $keywords, $description)",
            "$id", "$name", "$keywords", "$description");
        await using var version = Command(connection, transaction,
            """
            INSERT INTO PackageVersions (PackageId, Version, NormalizedVersion, IsPrerelease, Sha256, Size, Description, Keywords, Authors, Readme, Yanked, PublishedAt, PublishedById, IsDeleted, Downloads)
            VALUES ($package, $version, $version, $prerelease, 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 4096, $description, $keywords, 'seed', $readme, $yanked, 0, 1, 0, 0)
            """,
            "$package", "$version", "$prerelease", "$description", "$keywords", "$readme", "$yanked");
        for (var i = 0; i < corpus.Count; i++)
        {
            var entry = corpus[i];
            long id = i + 1;
            Bind(package, [id, entry.Name, entry.Description, entry.Keywords, entry.Downloads]);
            await package.ExecuteNonQueryAsync();
            Bind(index, [id, entry.Name, entry.Keywords.Replace(',', ' '), entry.Description]);
            await index.ExecuteNonQueryAsync();
            var releases = 1 + i % 3;
            var readme = $"# {entry.Name}\n\n{string.Concat(Enumerable.Repeat(entry.Description + "\n", 40))}";
            for (var minor = 0; minor < releases; minor++)
            {
                var yanked = i % 11 == 0 && minor == releases - 1 && releases > 1;
                Bind(version, [id, $"1.{minor}.0", false, entry.Description, entry.Keywords, readme, yanked]);
                await version.ExecuteNonQueryAsync();
            }
            if (i % 7 == 0)
            {
                Bind(version, [id, "2.0.0-beta.1", true, entry.Description, entry.Keywords, readme, false]);
                await version.ExecuteNonQueryAsync();
            }
        }
        await transaction.CommitAsync();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static void Bind(DbCommand command, object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    /// <summary>
    /// The query shape before the hot-path fix: count(*) over every match, then rank every match joined to Packages, then
    /// the page's versions through EF Core.
    /// </summary>
    private static async Task<IReadOnlyList<SearchHit>> BaselineAsync(SqliteRegistryDbContext db, string query)
    {
        var terms = SearchQuery.Terms(query);
        var match = SearchQuery.ToFts5(terms);
        var connection = db.Database.GetDbConnection();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM search_fts WHERE search_fts MATCH $match";
        count.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$match", match));
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.Id, p.Name, p.Description, p.Keywords, p.Downloads, bm25(search_fts, 10.0, 4.0, 1.0) AS rank,
                   CASE WHEN p.CanonicalName = $exact THEN 1 ELSE 0 END AS exact
            FROM search_fts
            JOIN SearchIndex s ON s.Id = search_fts.rowid
            JOIN Packages p ON p.Id = s.PackageId
            WHERE search_fts MATCH $match
            ORDER BY exact DESC, rank ASC, p.Downloads DESC, p.CanonicalName ASC
            LIMIT 20
            """;
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$match", match));
        command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$exact", query.ToLowerInvariant()));
        var hits = new List<SearchHit>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                hits.Add(new SearchHit(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.GetInt64(4), total));
            }
        }
        var ids = hits.Select(h => h.PackageId).ToList();
        var versions = await db.PackageVersions.AsNoTracking().Where(v => ids.Contains(v.PackageId) && !v.IsDeleted).ToListAsync();
        var byPackage = versions.ToLookup(v => v.PackageId);
        return hits.Select(h => h with { LatestVersion = PackageStore.LatestOf(byPackage[h.PackageId])?.Version }).ToList();
    }
}
