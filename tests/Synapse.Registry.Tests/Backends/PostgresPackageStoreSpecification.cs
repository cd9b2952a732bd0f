using Microsoft.EntityFrameworkCore;
using Synapse.Registry.Data;
using Synapse.Registry.Search;
using Synapse.Registry.Storage;
using Synapse.Registry.Storage.S3;
using Synapse.Registry.Tests.Specifications;

namespace Synapse.Registry.Tests.Backends;

/// <summary>The shared package store specification (uniqueness, races, owners, search) on PostgreSQL + S3.</summary>
public sealed class PostgresPackageStoreSpecification : PackageStoreSpecification, IAsyncLifetime
{
    private PostgresTestDatabase database = null!;
    private S3BlobStore blobs = null!;

    internal override IBlobStore Blobs => blobs;

    public async Task InitializeAsync()
    {
        database = await PostgresTestDatabase.CreateAsync();
        blobs = new S3BlobStore(TestServices.S3Options(TestServices.UniqueName("store-spec")));
        await using var db = CreateDbContext();
        await db.Database.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        blobs.Dispose();
        await database.DisposeAsync();
    }

    internal override RegistryDbContext CreateDbContext() =>
        new PostgresRegistryDbContext(new DbContextOptionsBuilder<PostgresRegistryDbContext>().UseNpgsql(database.ConnectionString).Options);

    internal override IPackageSearch CreateSearch(RegistryDbContext db) => new PostgresPackageSearch(db);
}
