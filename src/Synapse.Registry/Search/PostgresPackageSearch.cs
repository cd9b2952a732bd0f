using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Synapse.Registry.Data;
using Synapse.Registry.Packages;

namespace Synapse.Registry.Search;

/// <summary>
/// PostgreSQL full-text search over the generated, weighted <c>tsvector</c> column of <c>SearchIndex</c> (GIN index).
/// Ranks like <see cref="SqliteFtsPackageSearch"/>: exact name first, then relevance (name &gt; keywords &gt;
/// description), then downloads, then name.
/// </summary>
internal sealed class PostgresPackageSearch(RegistryDbContext db) : IPackageSearch
{
    // ts_rank weights in the order {D, C, B, A}: description (C) 1, keywords (B) 4, name (A) 10, as SQLite's bm25 weights.
    private const string Rank = "ts_rank('{0.0, 0.1, 0.4, 1.0}', s.\"Document\", q)";

    public async Task<(IReadOnlyList<SearchHit> Hits, long Total)> SearchAsync(string query, int page, int perPage, CancellationToken cancellationToken)
    {
        var terms = SearchQuery.Terms(query);
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        var offset = (long)(page - 1) * perPage;
        if (terms.Count == 0)
        {
            var (browsed, all) = await BrowseAsync(connection, perPage, offset, cancellationToken);
            return (await SearchHits.WithLatestVersionsAsync(db, browsed, cancellationToken), all);
        }

        var tsQuery = ToTsQuery(terms);
        await using var count = connection.CreateCommand();
        count.CommandText = """SELECT count(*) FROM "SearchIndex" s WHERE s."Document" @@ to_tsquery('simple', @query)""";
        AddParameter(count, "query", tsQuery);
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT p."Id", p."Name", p."Description", p."Keywords", p."Downloads", {Rank} AS rank,
                   CASE WHEN p."CanonicalName" = @exact THEN 1 ELSE 0 END AS exact
            FROM "SearchIndex" s
            JOIN "Packages" p ON p."Id" = s."PackageId"
            CROSS JOIN to_tsquery('simple', @query) q
            WHERE s."Document" @@ q
            ORDER BY exact DESC, rank DESC, p."Downloads" DESC, p."CanonicalName" ASC
            LIMIT @limit OFFSET @offset
            """;
        AddParameter(command, "query", tsQuery);
        AddParameter(command, "exact", PackageNames.Canonical(query));
        AddParameter(command, "limit", perPage);
        AddParameter(command, "offset", offset);
        var hits = new List<SearchHit>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var score = reader.GetFloat(5) * 10 + (reader.GetInt32(6) == 1 ? 1000 : 0);
                hits.Add(new SearchHit(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.GetString(3), reader.GetInt64(4), Math.Round(score, 4)));
            }
        }

        return (await SearchHits.WithLatestVersionsAsync(db, hits, cancellationToken), total);
    }

    /// <summary>Every term as a literal lexeme (they are letters and digits only), the last one also as a prefix.</summary>
    internal static string ToTsQuery(IReadOnlyList<string> terms) =>
        string.Join(" & ", terms.Select((t, i) => i == terms.Count - 1 ? $"'{t}':*" : $"'{t}'"));

    private static async Task<(IReadOnlyList<SearchHit>, long)> BrowseAsync(DbConnection connection, int perPage, long offset, CancellationToken cancellationToken)
    {
        await using var count = connection.CreateCommand();
        count.CommandText = """SELECT count(*) FROM "SearchIndex" """;
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p."Id", p."Name", p."Description", p."Keywords", p."Downloads"
            FROM "SearchIndex" s JOIN "Packages" p ON p."Id" = s."PackageId"
            ORDER BY p."Downloads" DESC, p."CanonicalName" ASC
            LIMIT @limit OFFSET @offset
            """;
        AddParameter(command, "limit", perPage);
        AddParameter(command, "offset", offset);
        var hits = new List<SearchHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new SearchHit(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetInt64(4), 0));
        }

        return (hits, total);
    }

    private static void AddParameter(DbCommand command, string name, object value) =>
        command.Parameters.Add(new NpgsqlParameter(name, value));
}
