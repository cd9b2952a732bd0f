using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using NpgsqlTypes;

namespace Synapse.Registry.Data;

/// <summary>PostgreSQL flavour: owns Data/Migrations/Postgres and the weighted full-text search column.</summary>
internal sealed class PostgresRegistryDbContext(DbContextOptions<PostgresRegistryDbContext> options) : RegistryDbContext(options)
{
    /// <summary>Name of the generated <c>tsvector</c> column of <c>SearchIndex</c>.</summary>
    public const string SearchDocumentColumn = "Document";

    // Weights A/B/C: the name outweighs the keywords, which outweigh the description. The 'simple' configuration
    // neither stems nor drops stop words, like SQLite's FTS5 unicode61 tokenizer, so both providers match alike.
    private const string SearchDocumentSql =
        """setweight(to_tsvector('simple', coalesce("Name", '')), 'A') || """ +
        """setweight(to_tsvector('simple', replace(coalesce("Keywords", ''), ',', ' ')), 'B') || """ +
        """setweight(to_tsvector('simple', coalesce("Description", '')), 'C')""";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<SearchIndex>(search =>
        {
            search.Property<NpgsqlTsVector>(SearchDocumentColumn).HasComputedColumnSql(SearchDocumentSql, stored: true);
            search.HasIndex(SearchDocumentColumn).HasMethod("GIN");
        });
    }
}

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context without a server.</summary>
internal sealed class PostgresRegistryDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresRegistryDbContext>
{
    public PostgresRegistryDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresRegistryDbContext>().UseNpgsql("Host=localhost;Database=synapse_design").Options);
}
