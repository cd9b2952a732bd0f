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

/// <summary>SQLite FTS5 over <see cref="SearchIndex"/> (table <c>search_fts</c>, created by the SQLite migration).</summary>
internal sealed class SqliteFtsPackageSearch(RegistryDbContext db) : IPackageSearch
{
    // bm25 weights for the columns name, keywords, description: names outweigh keywords, which outweigh descriptions.
    private const string Rank = "bm25(search_fts, 10.0, 4.0, 1.0)";

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
        var exact = PackageNames.Canonical(query);

        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM search_fts WHERE search_fts MATCH $match";
        AddParameter(count, "$match", match);
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT p.Id, p.Name, p.Description, p.Keywords, p.Downloads, {Rank} AS rank,
                   CASE WHEN p.CanonicalName = $exact THEN 1 ELSE 0 END AS exact
            FROM search_fts
            JOIN SearchIndex s ON s.Id = search_fts.rowid
            JOIN Packages p ON p.Id = s.PackageId
            WHERE search_fts MATCH $match
            ORDER BY exact DESC, rank ASC, p.Downloads DESC, p.CanonicalName ASC
            LIMIT $limit OFFSET $offset
            """;
        AddParameter(command, "$match", match);
        AddParameter(command, "$exact", exact);
        AddParameter(command, "$limit", perPage);
        AddParameter(command, "$offset", offset);
        var hits = new List<SearchHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var score = -reader.GetDouble(5) + (reader.GetInt32(6) == 1 ? 1000 : 0);
            hits.Add(new SearchHit(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetInt64(4), Math.Round(score, 4)));
        }
        await reader.DisposeAsync();
        return (await SearchHits.WithLatestVersionsAsync(db, hits, cancellationToken), total);
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
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            hits.Add(new SearchHit(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetInt64(4), 0));
        }
        return (hits, total);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
