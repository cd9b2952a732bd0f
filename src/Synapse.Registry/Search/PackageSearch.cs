using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Synapse.Registry.Data;
using Synapse.Registry.Packages;

namespace Synapse.Registry.Search;

internal sealed record SearchHit(long PackageId, string Name, string? Description, string Keywords, long Downloads, double Score)
{
    public string? LatestVersion { get; init; }
}

internal static class SearchHits
{
    /// <summary>Fills <see cref="SearchHit.LatestVersion"/> for one page of hits.</summary>
    public static async Task<IReadOnlyList<SearchHit>> WithLatestVersionsAsync(RegistryDbContext db, IReadOnlyList<SearchHit> hits, CancellationToken cancellationToken)
    {
        var ids = hits.Select(h => h.PackageId).ToList();
        var versions = await db.PackageVersions.AsNoTracking().Where(v => ids.Contains(v.PackageId) && !v.IsDeleted)
            .ToListAsync(cancellationToken);
        var byPackage = versions.ToLookup(v => v.PackageId);
        return hits.Select(h => h with { LatestVersion = PackageStore.LatestOf(byPackage[h.PackageId])?.Version }).ToList();
    }

    /// <summary>
    /// Runs a query whose columns are <c>Id, Name, Description, Keywords, Downloads</c> (then whatever
    /// <paramref name="score"/> reads) and appends its rows to <paramref name="hits"/>; both providers share this shape.
    /// </summary>
    public static async Task ReadAsync(DbCommand command, List<SearchHit> hits, Func<DbDataReader, double> score, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new SearchHit(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetInt64(4), score(reader)));
        }
    }

    public static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>Relevance-ranked full-text search in the database; each provider supplies its own implementation.</summary>
internal interface IPackageSearch
{
    Task<(IReadOnlyList<SearchHit> Hits, long Total)> SearchAsync(string query, int page, int perPage, CancellationToken cancellationToken);
}

/// <summary>
/// Turns any user text into safe full-text terms: words of letters and digits only, so FTS operators, quotes,
/// <c>*</c>, <c>NEAR</c> or unbalanced quotes are plain words or dropped, never syntax.
/// </summary>
internal static class SearchQuery
{
    public const int MaxTerms = 16;

    public static IReadOnlyList<string> Terms(string query)
    {
        var terms = new List<string>();
        var current = new StringBuilder();
        foreach (var c in query)
        {
            if (char.IsLetterOrDigit(c))
            {
                current.Append(char.ToLowerInvariant(c));
            }
            else if (current.Length > 0)
            {
                terms.Add(current.ToString());
                current.Clear();
            }
        }
        if (current.Length > 0)
        {
            terms.Add(current.ToString());
        }
        return terms.Where(t => t.Length <= 64).Distinct().Take(MaxTerms).ToList();
    }

    /// <summary>FTS5 MATCH text: every term quoted (so it is a literal), the last one also as a prefix.</summary>
    public static string ToFts5(IReadOnlyList<string> terms) =>
        string.Join(' ', terms.Select((t, i) => i == terms.Count - 1 ? $"\"{t}\"*" : $"\"{t}\""));
}

/// <summary>
/// Bounds on the work one search does, whatever the catalog size. <see cref="TotalCap"/>: matches are counted up to
/// this many (the response's <c>total</c> is then "at least this many"). <see cref="RankedPool"/>: when more packages
/// match than this (a common word, a short prefix), relevance is computed over the most recently indexed
/// <see cref="RankedPool"/> matches (more when a deeper page needs them) instead of every match, so the cost of a
/// query stays flat as the catalog grows; an exact name match is always found and first.
/// </summary>
internal static class SearchLimits
{
    public const int TotalCap = 10_000;
    public const int RankedPool = 1_000;

    /// <summary>Headroom of the pool past the deepest row a page needs.</summary>
    public const int TieMargin = 50;

    /// <summary>How many of the newest matches to rank for a page that ends at <paramref name="depth"/>.</summary>
    public static long PoolFor(long depth) => Math.Max(RankedPool, depth + TieMargin);
}

/// <summary>
/// SQLite FTS5 over <see cref="SearchIndex"/> (table <c>search_fts</c>, created by the SQLite migration). The exact
/// name is an index lookup; FTS5 ranks inside the virtual table (<c>ORDER BY rank LIMIT</c>) and only the page's rows
/// are joined to <c>Packages</c>; see <see cref="SearchLimits"/> for the bounds.
/// </summary>
internal sealed class SqliteFtsPackageSearch(RegistryDbContext db) : IPackageSearch
{
    // bm25 weights for the columns name, keywords, description: names outweigh keywords, which outweigh descriptions.
    private const string Rank = "bm25(10.0, 4.0, 1.0)";

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
        var match = SearchQuery.ToFts5(terms);

        var (exactRow, exact) = await FindExactAsync(connection, PackageNames.Canonical(query), cancellationToken);
        var hits = new List<SearchHit>();
        if (exact is not null && offset == 0)
        {
            hits.Add(exact);
        }
        var rankedOffset = Math.Max(0, offset - (exact is null ? 0 : 1));
        var rankedLimit = perPage - hits.Count;

        var pool = SearchLimits.PoolFor(rankedOffset + rankedLimit);
        var (matches, floor) = await ScanAsync(connection, match, pool, cancellationToken);

        await using var command = connection.CreateCommand();
        // FTS5 ranks the pool inside the virtual table; only rows up to the page's last rank (ties included, so that
        // downloads can order them the same way on every page) are joined to Packages.
        command.CommandText = $"""
            WITH pool AS MATERIALIZED (
                SELECT rowid AS id, rank FROM search_fts
                WHERE search_fts MATCH $match AND rank MATCH '{Rank}' AND rowid >= $floor AND rowid <> $exactRow),
            cutoff AS (SELECT rank FROM pool ORDER BY rank LIMIT 1 OFFSET $depth)
            SELECT p.Id, p.Name, p.Description, p.Keywords, p.Downloads, pool.rank
            FROM pool
            JOIN SearchIndex s ON s.Id = pool.id
            JOIN Packages p ON p.Id = s.PackageId
            WHERE pool.rank <= coalesce((SELECT rank FROM cutoff), 1e308)
            ORDER BY pool.rank ASC, p.Downloads DESC, p.CanonicalName ASC
            LIMIT $limit OFFSET $offset
            """;
        AddParameter(command, "$match", match);
        AddParameter(command, "$floor", floor ?? long.MinValue);
        AddParameter(command, "$exactRow", exactRow);
        AddParameter(command, "$depth", rankedOffset + rankedLimit - 1);
        AddParameter(command, "$limit", rankedLimit);
        AddParameter(command, "$offset", rankedOffset);
        await SearchHits.ReadAsync(command, hits, reader => Math.Round(-reader.GetDouble(5), 4), cancellationToken);
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
            SELECT s.Id, p.Id, p.Name, p.Description, p.Keywords, p.Downloads
            FROM Packages p JOIN SearchIndex s ON s.PackageId = p.Id
            WHERE p.CanonicalName = $exact
            LIMIT 1
            """;
        AddParameter(command, "$exact", canonical);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return (0, null);
        }
        return (reader.GetInt64(0), new SearchHit(reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3),
            reader.GetString(4), reader.GetInt64(5), 1000));
    }

    /// <summary>
    /// In one statement, without returning the rows: the number of matches up to
    /// <see cref="SearchLimits.TotalCap"/> + 1, and the row id at which the newest <paramref name="pool"/> matches end
    /// (null when there are no more than that; FTS5 walks row ids in order, cheaply).
    /// </summary>
    private static async Task<(long Matches, long? Floor)> ScanAsync(DbConnection connection, string match, long pool, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        // One evaluation of the MATCH (materializing a prefix term's matches is what costs), kept in a temporary b-tree.
        command.CommandText = """
            WITH scan AS MATERIALIZED (
                SELECT rowid AS id FROM search_fts WHERE search_fts MATCH $match ORDER BY rowid DESC LIMIT $scan)
            SELECT min((SELECT count(*) FROM scan), $cap), (SELECT id FROM scan ORDER BY id DESC LIMIT 1 OFFSET $pool)
            """;
        AddParameter(command, "$match", match);
        AddParameter(command, "$cap", SearchLimits.TotalCap + 1);
        AddParameter(command, "$scan", Math.Max(SearchLimits.TotalCap + 1, pool + 1));
        AddParameter(command, "$pool", pool);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        // The row just past the pool exists: the pool starts one row id above it at the earliest.
        return (reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetInt64(1) + 1);
    }

    private static async Task<(IReadOnlyList<SearchHit>, long)> BrowseAsync(DbConnection connection, int perPage, long offset, CancellationToken cancellationToken)
    {
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM SearchIndex";
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT p.Id, p.Name, p.Description, p.Keywords, p.Downloads
            FROM SearchIndex s JOIN Packages p ON p.Id = s.PackageId
            ORDER BY p.Downloads DESC, p.CanonicalName ASC
            LIMIT $limit OFFSET $offset
            """;
        AddParameter(command, "$limit", perPage);
        AddParameter(command, "$offset", offset);
        var hits = new List<SearchHit>();
        await SearchHits.ReadAsync(command, hits, _ => 0, cancellationToken);
        return (hits, total);
    }

    private static void AddParameter(DbCommand command, string name, object value) => SearchHits.AddParameter(command, name, value);
}
