using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Synapse.Registry.Data;

/// <summary>SQLite flavour: owns Data/Migrations/Sqlite.</summary>
internal sealed class SqliteRegistryDbContext(DbContextOptions<SqliteRegistryDbContext> options) : RegistryDbContext(options)
{
    // SQLite cannot order or compare DateTimeOffset in SQL; a long keeps UTC instants sortable.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the server.</summary>
internal sealed class SqliteRegistryDbContextDesignFactory : IDesignTimeDbContextFactory<SqliteRegistryDbContext>
{
    public SqliteRegistryDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteRegistryDbContext>().UseSqlite("Data Source=design.db").Options);
}
