extern alias registry;

using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using registry::Synapse.Registry.Data;
using registry::Synapse.Registry.Hosting;
using registry::Synapse.Registry.Search;

namespace Synapse.Benchmarks.Registry;

/// <summary>
/// <c>search-scale [--packages N] [--iterations N]</c>: seeds N generated packages into a temporary SQLite database
/// through the registry's own DbContext and migrations, then times the registry's search
/// (<see cref="SqliteFtsPackageSearch"/>) against the previous query shape (count every match, rank every match)
/// for each query kind the compare harness uses. Reports p50/p99 in milliseconds.
/// </summary>
internal static class SearchScaleCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var packages = Option(args, "--packages", 100_000);
        var iterations = Option(args, "--iterations", 60);
        var folder = Directory.CreateTempSubdirectory("synapse-search-scale-");
        try
        {
            var options = new DbContextOptionsBuilder<SqliteRegistryDbContext>()
                .UseSqlite($"Data Source={Path.Combine(folder.FullName, "registry.db")}")
                .AddInterceptors(SqlitePragmas.Instance).Options;
            await using var db = new SqliteRegistryDbContext(options);
            var seeding = Stopwatch.StartNew();
            await db.Database.MigrateAsync();
            var corpus = SearchCorpus.Generate(packages, seed: 42);
            await SeedAsync(db, corpus);
            Console.WriteLine($"seeded {packages:N0} packages in {seeding.Elapsed.TotalSeconds:F1} s ({folder.FullName})");

            var kinds = SearchCorpus.Queries(corpus, seed: 7, perKind: 30);
            var search = new SqliteFtsPackageSearch(db);
            Console.WriteLine($"{"kind",-8} {"examples",-44} {"after p50",10} {"after p99",10} {"before p50",11} {"before p99",11}");
            foreach (var (kind, queries) in kinds)
            {
                var (after, before) = await TimeAsync(queries, iterations,
                    q => search.SearchAsync(q, 1, 20, CancellationToken.None), q => BaselineAsync(db, q));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{kind,-8} {string.Join(", ", queries.Take(3)),-44} {after.P50,10:F2} {after.P99,10:F2} {before.P50,11:F2} {before.P99,11:F2}"));
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>Alternates the two so that whatever else loads the machine weighs on both alike.</summary>
    private static async Task<((double P50, double P99) First, (double P50, double P99) Second)> TimeAsync<T1, T2>(
        IReadOnlyList<string> queries, int iterations, Func<string, Task<T1>> first, Func<string, Task<T2>> second)
    {
        foreach (var query in queries.Take(3))
        {
            await first(query);
            await second(query);
        }
        var firstTimes = new List<double>();
        var secondTimes = new List<double>();
        for (var i = 0; i < iterations; i++)
        {
            var query = queries[i % queries.Count];
            var started = Stopwatch.GetTimestamp();
            await first(query);
            firstTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            started = Stopwatch.GetTimestamp();
            await second(query);
            secondTimes.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        firstTimes.Sort();
        secondTimes.Sort();
        return ((Percentile(firstTimes, 0.50), Percentile(firstTimes, 0.99)), (Percentile(secondTimes, 0.50), Percentile(secondTimes, 0.99)));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task SeedAsync(SqliteRegistryDbContext db, IReadOnlyList<SearchCorpus.Entry> corpus)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var package = Command(connection, transaction,
            "INSERT INTO Packages (Id, Name, CanonicalName, Description, Keywords, Downloads, CreatedAt, UpdatedAt) VALUES ($id, $name, $name, $description, $keywords, $downloads, 0, 0)",
            "$id", "$name", "$description", "$keywords", "$downloads");
        await using var index = Command(connection, transaction,
            "INSERT INTO SearchIndex (Id, PackageId, Name, Keywords, Description) VALUES ($id, $id, $name, $keywords, $description)",
            "$id", "$name", "$keywords", "$description");
        for (var i = 0; i < corpus.Count; i++)
        {
            var entry = corpus[i];
            object[] values = [i + 1L, entry.Name, entry.Description, entry.Keywords, entry.Downloads];
            Bind(package, values);
            await package.ExecuteNonQueryAsync();
            Bind(index, [i + 1L, entry.Name, entry.Keywords, entry.Description]);
            await index.ExecuteNonQueryAsync();
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

    /// <summary>The query shape before the hot-path fix: count(*) over every match, then rank every match joined to Packages.</summary>
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
        return await SearchHits.WithLatestVersionsAsync(db, hits, CancellationToken.None);
    }
}
