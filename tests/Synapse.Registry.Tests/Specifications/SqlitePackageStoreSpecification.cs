using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Synapse.Registry.Data;
using Synapse.Registry.Hosting;
using Synapse.Registry.Search;
using Synapse.Registry.Storage;

namespace Synapse.Registry.Tests.Specifications;

public sealed class SqlitePackageStoreSpecification : PackageStoreSpecification, IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "synapse-store-spec", Guid.NewGuid().ToString("N"));
    private readonly string _connectionString;

    public SqlitePackageStoreSpecification()
    {
        Directory.CreateDirectory(_root);
        _connectionString = $"Data Source={Path.Combine(_root, "registry.db")}";
        Blobs = new FileSystemBlobStore(Path.Combine(_root, "packages"));
        using var db = CreateDbContext();
        db.Database.Migrate();
        db.Database.ExecuteSqlRaw("PRAGMA journal_mode = WAL;");
    }

    internal override IBlobStore Blobs { get; }

    internal override RegistryDbContext CreateDbContext() =>
        new SqliteRegistryDbContext(new DbContextOptionsBuilder<SqliteRegistryDbContext>()
            .UseSqlite(_connectionString).AddInterceptors(SqlitePragmas.Instance).Options);

    internal override IPackageSearch CreateSearch(RegistryDbContext db) => new SqliteFtsPackageSearch(db, new TermFrequencies(TimeProvider.System));

    [Fact]
    public async Task Search_scores_are_fts5_bm25_with_each_term_counted()
    {
        var ada = AddUser("ada");
        await PublishAsync(ada, Version("web-json", "1.0.0", "json over the web", ["http"]));
        await PublishAsync(ada, Version("json-tools", "1.0.0", "web helpers for json and more json", ["web"]));
        await PublishAsync(ada, Version("webby", "1.0.0", "a json web thing", ["json", "web"]));
        await PublishAsync(ada, Version("jsonweb-x", "1.0.0", "web web web", ["cli"]));
        await PublishAsync(ada, Version("unrelated", "1.0.0", "web only"));
        // Terms in more than half the packages weigh almost nothing (bm25's IDF floor): these keep "web" and "json" rarer.
        foreach (var filler in new[] { "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta" })
        {
            await PublishAsync(ada, Version(filler, "1.0.0", "something else entirely"));
        }
        await using var db = CreateDbContext();

        var (hits, total) = await CreateSearch(db).SearchAsync("web json", 1, 10, CancellationToken.None);

        await db.Database.OpenConnectionAsync();
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = """
            WITH ranked AS MATERIALIZED (
                SELECT rowid AS id, bm25(search_fts, 10.0, 4.0, 1.0) AS rank FROM search_fts WHERE search_fts MATCH '"web" "json"*')
            SELECT p.Name, ranked.rank FROM ranked JOIN SearchIndex s ON s.Id = ranked.id JOIN Packages p ON p.Id = s.PackageId
            """;
        var expected = new Dictionary<string, double>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                expected[reader.GetString(0)] = Math.Round(-reader.GetDouble(1), 4);
            }
        }
        Assert.Equal(4, total);
        Assert.Equal(expected.Keys.Order(), hits.Select(h => h.Name).Order());
        Assert.All(hits, hit => Assert.Equal(expected[hit.Name], hit.Score));
        Assert.True(hits.Select(h => h.Score).Distinct().Count() > 1, "the scores should tell the packages apart");
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
