using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Synapse.Registry.Data;
using Synapse.Registry.Packages;

namespace Synapse.Registry.Search;

internal sealed record SearchHit(long PackageId, string Name, string? Description, string Keywords, long Downloads, double Score)
{
    public string? LatestVersion { get; init; }
}

/// <summary>Relevance-ranked full-text search in the database; each provider supplies its own implementation.</summary>
internal interface IPackageSearch
{
    Task<(IReadOnlyList<SearchHit> Hits, long Total)> SearchAsync(string query, int page, int perPage, CancellationToken cancellationToken);
}

/// <summary>
/// Plans one page of results the same way on every database: the package whose name is the whole query comes first,
/// then the other matches by relevance, then downloads, then name, within the bounds of <see cref="SearchLimits"/>.
/// A provider only supplies the SQL: <see cref="BrowseAsync"/>, <see cref="FindExactAsync"/> and
/// <see cref="RankAsync"/>, so a search is two statements (the exact name, then the ranked page with its total).
/// </summary>
internal abstract class PackageSearch(RegistryDbContext db) : IPackageSearch
{
    public async Task<(IReadOnlyList<SearchHit> Hits, long Total)> SearchAsync(string query, int page, int perPage, CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State == System.Data.ConnectionState.Open)
        {
            return await SearchAsync(connection, query, page, perPage, cancellationToken);
        }
        // Closed again as soon as the rows are read, not when the request ends: back in the pool while the response is
        // written, so connections (each with its own page cache) are no more than the searches running at once.
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            return await SearchAsync(connection, query, page, perPage, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task<(IReadOnlyList<SearchHit> Hits, long Total)> SearchAsync(DbConnection connection, string query, int page, int perPage, CancellationToken cancellationToken)
    {
        var offset = (long)(page - 1) * perPage;
        var terms = SearchQuery.Terms(query);
        if (terms.Count == 0)
        {
            return await BrowseAsync(connection, offset, perPage, cancellationToken);
        }

        var canonical = PackageNames.Canonical(query);
        var exact = PackageNames.LooksValid(canonical) ? await FindExactAsync(connection, canonical, cancellationToken) : null;
        var exactOnPage = exact is not null && offset == 0;
        var window = new RankedWindow(
            Offset: Math.Max(0, offset - (exact is null ? 0 : 1)),
            Limit: perPage - (exactOnPage ? 1 : 0),
            ExcludedRow: exact?.SearchRow ?? 0);
        var (ranked, matches) = await RankAsync(connection, terms, window, cancellationToken);

        var hits = exactOnPage ? [exact!.Hit, .. ranked] : ranked;
        return (hits, Math.Min(SearchLimits.TotalCap, Math.Max(matches, exact is null ? 0 : 1)));
    }

    /// <summary>A page of every package, most downloaded first (the query has no terms), and how many there are.</summary>
    protected abstract Task<(IReadOnlyList<SearchHit> Hits, long Total)> BrowseAsync(DbConnection connection, long offset, int limit, CancellationToken cancellationToken);

    /// <summary>The package whose canonical name is <paramref name="canonical"/> (an index lookup), with its search row id.</summary>
    protected abstract Task<ExactMatch?> FindExactAsync(DbConnection connection, string canonical, CancellationToken cancellationToken);

    /// <summary>
    /// One statement: the rows of <paramref name="window"/> among the full-text matches of <paramref name="terms"/>, by
    /// relevance, then downloads, then canonical name, ranking only <see cref="RankedWindow.Pool"/> (the newest matches by
    /// search row id; <see cref="RankedWindow.ExcludedRow"/> left out after choosing them), and the number of matches
    /// counted up to <see cref="SearchLimits.TotalCap"/> + 1.
    /// </summary>
    protected abstract Task<(IReadOnlyList<SearchHit> Hits, long Matches)> RankAsync(DbConnection connection, IReadOnlyList<string> terms, RankedWindow window, CancellationToken cancellationToken);

    protected internal sealed record ExactMatch(long SearchRow, SearchHit Hit);

    /// <summary>Which ranked matches a page shows, once the exact name (if any) has taken its place.</summary>
    protected internal sealed record RankedWindow(long Offset, int Limit, long ExcludedRow)
    {
        /// <summary>How many of the newest matches are ranked: enough for this page, and at least <see cref="SearchLimits.RankedPool"/>.</summary>
        public long Pool => SearchLimits.PoolFor(Offset + Limit);

        /// <summary>Zero-based position of the page's last row among the ranked matches.</summary>
        public long LastRow => Math.Max(0, Offset + Limit - 1);
    }
}

/// <summary>
/// Reads the rows every provider's statements return. Their first columns are always
/// <c>Id, Name, Description, Keywords, Downloads, Versions</c>, where <c>Versions</c> lists the package's versions that
/// are neither yanked nor deleted, separated by spaces, so that a page needs no query for its latest versions.
/// </summary>
internal static class SearchRows
{
    private const int Versions = 5;

    /// <summary>Browsing: the package columns only.</summary>
    public static async Task<IReadOnlyList<SearchHit>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var hits = new List<SearchHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(Read(reader, 0));
        }
        return hits;
    }

    /// <summary>The exact name: the package columns, then the search row id.</summary>
    public static async Task<PackageSearch.ExactMatch?> ReadExactAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new PackageSearch.ExactMatch(reader.GetInt64(Versions + 1), Read(reader, 1000)) : null;
    }

    /// <summary>
    /// A ranked page: the package columns, then the provider's rank (turned into a score by <paramref name="score"/>),
    /// then the number of matches. A row whose <c>Id</c> is null only carries the number (the page is empty).
    /// </summary>
    public static async Task<(IReadOnlyList<SearchHit> Hits, long Matches)> ReadRankedAsync(
        DbCommand command, Func<DbDataReader, int, double> score, CancellationToken cancellationToken)
    {
        var hits = new List<SearchHit>();
        long matches = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            matches = reader.GetInt64(Versions + 2);
            if (!reader.IsDBNull(0))
            {
                hits.Add(Read(reader, score(reader, Versions + 1)));
            }
        }
        return (hits, matches);
    }

    public static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static SearchHit Read(DbDataReader reader, double score) =>
        new(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetInt64(4), score)
        {
            LatestVersion = reader.IsDBNull(Versions) ? null : PackageStore.LatestOf(reader.GetString(Versions).Split(' ', StringSplitOptions.RemoveEmptyEntries)),
        };
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
    public static string ToFts5(IReadOnlyList<string> terms) => string.Join(' ', Fts5Phrases(terms));

    /// <summary>The phrases of <see cref="ToFts5"/>, in order: each is also a MATCH text of its own.</summary>
    public static IReadOnlyList<string> Fts5Phrases(IReadOnlyList<string> terms) =>
        terms.Select((t, i) => i == terms.Count - 1 ? $"\"{t}\"*" : $"\"{t}\"").ToList();
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
