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

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
