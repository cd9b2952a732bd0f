using System.Data.Common;
using System.Globalization;
using Synapse.Registry.Data;

namespace Synapse.Registry.Search;

/// <summary>
/// SQLite FTS5 over <see cref="SearchIndex"/> (table <c>search_fts</c>, created by the SQLite migration), ranked by
/// bm25 (<see cref="SqliteBm25"/>, with the term counts of <see cref="TermFrequencies"/>); the page planning is
/// <see cref="PackageSearch"/>'s.
/// </summary>
internal sealed class SqliteFtsPackageSearch(RegistryDbContext db, TermFrequencies frequencies) : PackageSearch(db)
{
    // bm25 weights for the columns name, keywords, description: names outweigh keywords, which outweigh descriptions.
    private static string Rank(int phrases) =>
        $"{SqliteBm25.FunctionName}(search_fts, 10.0, 4.0, 1.0{string.Concat(Enumerable.Range(0, phrases).Select(i => $", $df{i}"))})";

    // Computed only for the rows returned (in the outermost SELECT), never for rows a sort or limit throws away.
    private static string LiveVersionsOf(string packageId) =>
        $"(SELECT group_concat(v.Version, ' ') FROM PackageVersions v WHERE v.PackageId = {packageId} AND NOT v.IsDeleted AND NOT v.Yanked)";

    protected override async Task<ExactMatch?> FindExactAsync(DbConnection connection, string canonical, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT p.Id, p.Name, p.Description, p.Keywords, p.Downloads, {LiveVersionsOf("p.Id")}, s.Id
            FROM Packages p JOIN SearchIndex s ON s.PackageId = p.Id
            WHERE p.CanonicalName = $exact
            LIMIT 1
            """;
        SearchRows.AddParameter(command, "$exact", canonical);
        return await SearchRows.ReadExactAsync(command, cancellationToken);
    }

    protected override async Task<(IReadOnlyList<SearchHit> Hits, long Matches)> RankAsync(
        DbConnection connection, IReadOnlyList<string> terms, RankedWindow window, CancellationToken cancellationToken)
    {
        var phrases = SearchQuery.Fts5Phrases(terms);
        var counts = new long[phrases.Count];
        for (var i = 0; i < phrases.Count; i++)
        {
            counts[i] = await frequencies.GetAsync(phrases[i], (phrase, ct) => CountAsync(connection, phrase, ct), cancellationToken);
        }
        await using var command = connection.CreateCommand();
        // The pool is read newest first and ranked as it is read: FTS5 stops after $pool rows. bm25 is computed there,
        // inside the virtual table; only rows up to the page's last rank (ties included, so that downloads order them the
        // same way on every page) are joined to Packages. Matches are counted again only when the pool is full.
        // One row even for an empty page (the LEFT JOIN), so that the total always comes back.
        command.CommandText = $"""
            WITH pool AS MATERIALIZED (
                SELECT rowid AS id, {Rank(phrases.Count)} AS rank FROM search_fts
                WHERE search_fts MATCH $match ORDER BY rowid DESC LIMIT $pool),
            ranked AS (SELECT id, rank FROM pool WHERE id <> $excludedRow),
            cutoff AS (SELECT rank FROM ranked ORDER BY rank LIMIT 1 OFFSET $lastRow),
            page AS (
                SELECT p.Id, p.Name, p.Description, p.Keywords, p.Downloads, ranked.rank, p.CanonicalName
                FROM ranked
                JOIN SearchIndex s ON s.Id = ranked.id
                JOIN Packages p ON p.Id = s.PackageId
                WHERE ranked.rank <= coalesce((SELECT rank FROM cutoff), 1e308)
                ORDER BY ranked.rank ASC, p.Downloads DESC, p.CanonicalName ASC
                LIMIT $limit OFFSET $offset),
            matches AS (
                SELECT CASE WHEN (SELECT count(*) FROM pool) < $pool THEN (SELECT count(*) FROM pool)
                    ELSE (SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH $match LIMIT $countUpTo)) END AS n)
            SELECT page.Id, page.Name, page.Description, page.Keywords, page.Downloads, {LiveVersionsOf("page.Id")}, page.rank, matches.n
            FROM matches LEFT JOIN page
            ORDER BY page.rank ASC, page.Downloads DESC, page.CanonicalName ASC
            """;
        SearchRows.AddParameter(command, "$match", SearchQuery.ToFts5(terms));
        SearchRows.AddParameter(command, "$pool", window.Pool);
        SearchRows.AddParameter(command, "$excludedRow", window.ExcludedRow);
        SearchRows.AddParameter(command, "$lastRow", window.LastRow);
        SearchRows.AddParameter(command, "$limit", window.Limit);
        SearchRows.AddParameter(command, "$offset", window.Offset);
        SearchRows.AddParameter(command, "$countUpTo", SearchLimits.TotalCap + 1);
        for (var i = 0; i < counts.Length; i++)
        {
            SearchRows.AddParameter(command, $"$df{i}", counts[i]);
        }
        return await SearchRows.ReadRankedAsync(command, (reader, column) => Math.Round(-reader.GetDouble(column), 4), cancellationToken);
    }

    private static async Task<long> CountAsync(DbConnection connection, string phrase, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM search_fts WHERE search_fts MATCH $phrase";
        SearchRows.AddParameter(command, "$phrase", phrase);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    protected override async Task<(IReadOnlyList<SearchHit> Hits, long Total)> BrowseAsync(DbConnection connection, long offset, int limit, CancellationToken cancellationToken)
    {
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM SearchIndex";
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT page.Id, page.Name, page.Description, page.Keywords, page.Downloads, {LiveVersionsOf("page.Id")}
            FROM (
                SELECT p.Id, p.Name, p.Description, p.Keywords, p.Downloads, p.CanonicalName
                FROM SearchIndex s JOIN Packages p ON p.Id = s.PackageId
                ORDER BY p.Downloads DESC, p.CanonicalName ASC
                LIMIT $limit OFFSET $offset) page
            ORDER BY page.Downloads DESC, page.CanonicalName ASC
            """;
        SearchRows.AddParameter(command, "$limit", limit);
        SearchRows.AddParameter(command, "$offset", offset);
        return (await SearchRows.ReadAsync(command, cancellationToken), total);
    }
}
