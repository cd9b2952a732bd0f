using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Synapse.Registry.Data.Migrations.Sqlite
{
    /// <summary>
    /// Rebuilds <c>search_fts</c> with FTS5 prefix indexes for 1-4 characters: without them every query's last term
    /// (always a prefix) copies the whole list of matching documents of a common word, three times per search.
    /// The sync triggers on SearchIndex stay as they are; no model change.
    /// </summary>
    [DbContext(typeof(SqliteRegistryDbContext))]
    [Migration("20261124103000_SearchPrefixIndex")]
    public sealed class SearchPrefixIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, ", prefix='1 2 3 4'");

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) => Rebuild(migrationBuilder, "");

        private static void Rebuild(MigrationBuilder migrationBuilder, string prefix)
        {
            migrationBuilder.Sql("DROP TABLE IF EXISTS search_fts;");
            migrationBuilder.Sql($"""
                CREATE VIRTUAL TABLE search_fts USING fts5(
                    Name, Keywords, Description,
                    content='SearchIndex', content_rowid='Id', tokenize='unicode61 remove_diacritics 2'{prefix});
                """);
            migrationBuilder.Sql("INSERT INTO search_fts(search_fts) VALUES ('rebuild');");
        }
    }
}
