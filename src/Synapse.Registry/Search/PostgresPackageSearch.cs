using System.Data.Common;
using System.Globalization;
using Synapse.Registry.Data;

namespace Synapse.Registry.Search;

/// <summary>
/// PostgreSQL full-text search over the generated, weighted <c>tsvector</c> column of <c>SearchIndex</c> (GIN index),
/// ranked by <c>ts_rank</c> with the same column weights as <see cref="SqliteFtsPackageSearch"/>; the page planning is
/// <see cref="PackageSearch"/>'s.
/// </summary>
internal sealed class PostgresPackageSearch(RegistryDbContext db) : PackageSearch(db)
{
    // ts_rank weights in the order {D, C, B, A}: description (C) 1, keywords (B) 4, name (A) 10, as SQLite's bm25 weights.
    private const string Rank = "ts_rank('{0.0, 0.1, 0.4, 1.0}', s.\"Document\", to_tsquery('simple', @query))";

    // Computed only for the rows returned (in the outermost SELECT), never for rows a sort or limit throws away.
    private static string LiveVersionsOf(string packageId) =>
        $"""(SELECT string_agg(v."Version", ' ') FROM "PackageVersions" v WHERE v."PackageId" = {packageId} AND NOT v."IsDeleted" AND NOT v."Yanked")""";

    protected override async Task<ExactMatch?> FindExactAsync(DbConnection connection, string canonical, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT p."Id", p."Name", p."Description", p."Keywords", p."Downloads", {LiveVersionsOf("p.\"Id\"")}, s."Id"
            FROM "Packages" p JOIN "SearchIndex" s ON s."PackageId" = p."Id"
            WHERE p."CanonicalName" = @exact
            LIMIT 1
            """;
        SearchRows.AddParameter(command, "exact", canonical);
        return await SearchRows.ReadExactAsync(command, cancellationToken);
    }

    protected override async Task<(IReadOnlyList<SearchHit> Hits, long Matches)> RankAsync(
        DbConnection connection, IReadOnlyList<string> terms, RankedWindow window, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        // The pool is the newest matches by row id (ranked after the limit, so that only they are ranked); matches are
        // counted again only when the pool is full. One row even for an empty page (the LEFT JOIN), so that the total
        // always comes back. The tsquery is written out wherever it filters, so that the planner sees its value.
        command.CommandText = $"""
            WITH newest AS MATERIALIZED (
                SELECT s."Id", s."PackageId", s."Document"
                FROM "SearchIndex" s
                WHERE s."Document" @@ to_tsquery('simple', @query)
                ORDER BY s."Id" DESC LIMIT @pool),
            page AS (
                SELECT p."Id", p."Name", p."Description", p."Keywords", p."Downloads", {Rank} AS rank, p."CanonicalName"
                FROM newest s JOIN "Packages" p ON p."Id" = s."PackageId"
                WHERE s."Id" <> @excludedRow
                ORDER BY rank DESC, p."Downloads" DESC, p."CanonicalName" ASC
                LIMIT @limit OFFSET @offset),
            matches AS (
                SELECT CASE WHEN (SELECT count(*) FROM newest) < @pool THEN (SELECT count(*) FROM newest)
                    ELSE (SELECT count(*) FROM (
                        SELECT 1 FROM "SearchIndex" s WHERE s."Document" @@ to_tsquery('simple', @query) LIMIT @countUpTo) m) END AS n)
            SELECT page."Id", page."Name", page."Description", page."Keywords", page."Downloads", {LiveVersionsOf("page.\"Id\"")}, page.rank, matches.n
            FROM matches LEFT JOIN page ON true
            ORDER BY page.rank DESC, page."Downloads" DESC, page."CanonicalName" ASC
            """;
        SearchRows.AddParameter(command, "query", ToTsQuery(terms));
        SearchRows.AddParameter(command, "pool", window.Pool);
        SearchRows.AddParameter(command, "excludedRow", window.ExcludedRow);
        SearchRows.AddParameter(command, "limit", window.Limit);
        SearchRows.AddParameter(command, "offset", window.Offset);
        SearchRows.AddParameter(command, "countUpTo", SearchLimits.TotalCap + 1);
        return await SearchRows.ReadRankedAsync(command, (reader, column) => Math.Round(reader.GetFloat(column) * 10, 4), cancellationToken);
    }

    protected override async Task<(IReadOnlyList<SearchHit> Hits, long Total)> BrowseAsync(DbConnection connection, long offset, int limit, CancellationToken cancellationToken)
    {
        await using var count = connection.CreateCommand();
        count.CommandText = """SELECT count(*) FROM "SearchIndex" """;
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT page."Id", page."Name", page."Description", page."Keywords", page."Downloads", {LiveVersionsOf("page.\"Id\"")}
            FROM (
                SELECT p."Id", p."Name", p."Description", p."Keywords", p."Downloads", p."CanonicalName"
                FROM "SearchIndex" s JOIN "Packages" p ON p."Id" = s."PackageId"
                ORDER BY p."Downloads" DESC, p."CanonicalName" ASC
                LIMIT @limit OFFSET @offset) page
            ORDER BY page."Downloads" DESC, page."CanonicalName" ASC
            """;
        SearchRows.AddParameter(command, "limit", limit);
        SearchRows.AddParameter(command, "offset", offset);
        return (await SearchRows.ReadAsync(command, cancellationToken), total);
    }

    /// <summary>Every term as a literal lexeme (they are letters and digits only), the last one also as a prefix.</summary>
    internal static string ToTsQuery(IReadOnlyList<string> terms) =>
        string.Join(" & ", terms.Select((t, i) => i == terms.Count - 1 ? $"'{t}':*" : $"'{t}'"));
}
