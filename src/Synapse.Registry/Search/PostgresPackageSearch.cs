using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Synapse.Registry.Data;
using Synapse.Registry.Packages;

namespace Synapse.Registry.Search;

/// <summary>
/// PostgreSQL full-text search over the generated, weighted <c>tsvector</c> column of <c>SearchIndex</c> (GIN index).
/// Ranks like <see cref="SqliteFtsPackageSearch"/>: exact name first (an index lookup), then relevance (name &gt;
/// keywords &gt; description), then downloads, then name, within the bounds of <see cref="SearchLimits"/>.
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
        var (exactRow, exact) = await FindExactAsync(connection, PackageNames.Canonical(query), cancellationToken);
        var hits = new List<SearchHit>();
        if (exact is not null && offset == 0)
        {
            hits.Add(exact);
        }
        var rankedOffset = Math.Max(0, offset - (exact is null ? 0 : 1));
        var rankedLimit = perPage - hits.Count;

        await using var count = connection.CreateCommand();
        count.CommandText = """
            SELECT count(*) FROM (SELECT 1 FROM "SearchIndex" s WHERE s."Document" @@ to_tsquery('simple', @query) LIMIT @cap) m
            """;
        AddParameter(count, "query", tsQuery);
        AddParameter(count, "cap", SearchLimits.TotalCap + 1);
        var matches = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        var pool = SearchLimits.PoolFor(rankedOffset + rankedLimit);
        var floor = matches > Math.Min(pool, SearchLimits.TotalCap) ? await PoolFloorAsync(connection, tsQuery, pool, cancellationToken) : long.MinValue;

        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT p."Id", p."Name", p."Description", p."Keywords", p."Downloads", {Rank} AS rank
            FROM "SearchIndex" s
            JOIN "Packages" p ON p."Id" = s."PackageId"
            CROSS JOIN to_tsquery('simple', @query) q
            WHERE s."Document" @@ q AND s."Id" >= @floor AND s."Id" <> @exactRow
            ORDER BY rank DESC, p."Downloads" DESC, p."CanonicalName" ASC
            LIMIT @limit OFFSET @offset
            """;
        AddParameter(command, "query", tsQuery);
        AddParameter(command, "floor", floor);
        AddParameter(command, "exactRow", exactRow);
        AddParameter(command, "limit", rankedLimit);
        AddParameter(command, "offset", rankedOffset);
        await SearchHits.ReadAsync(command, hits, reader => Math.Round(reader.GetFloat(5) * 10, 4), cancellationToken);

        var total = Math.Min(SearchLimits.TotalCap, Math.Max(matches, exact is null ? 0 : 1));
        return (await SearchHits.WithLatestVersionsAsync(db, hits, cancellationToken), total);
    }

    /// <summary>The package whose canonical name is the whole query, through the unique index, with its search row id.</summary>
    private static async Task<(long Row, SearchHit? Hit)> FindExactAsync(DbConnection connection, string canonical, CancellationToken cancellationToken)
    {
        if (!PackageNames.LooksValid(canonical))
        {
            return (0, null);
        }
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s."Id", p."Id", p."Name", p."Description", p."Keywords", p."Downloads"
            FROM "Packages" p JOIN "SearchIndex" s ON s."PackageId" = p."Id"
            WHERE p."CanonicalName" = @exact
            LIMIT 1
            """;
        AddParameter(command, "exact", canonical);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (0, null);
        }
        return (reader.GetInt64(0), new SearchHit(reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetString(4), reader.GetInt64(5), 1000));
    }

    /// <summary>The smallest row id among the newest <paramref name="pool"/> matches (walks the primary key backwards).</summary>
    private static async Task<long> PoolFloorAsync(DbConnection connection, string tsQuery, long pool, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s."Id" FROM "SearchIndex" s WHERE s."Document" @@ to_tsquery('simple', @query)
            ORDER BY s."Id" DESC OFFSET @skip LIMIT 1
            """;
        AddParameter(command, "query", tsQuery);
        AddParameter(command, "skip", pool - 1);
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull
            ? Convert.ToInt64(value, CultureInfo.InvariantCulture)
            : long.MinValue;
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
        await SearchHits.ReadAsync(command, hits, _ => 0, cancellationToken);
        return (hits, total);
    }

    private static void AddParameter(DbCommand command, string name, object value) => SearchHits.AddParameter(command, name, value);
}
