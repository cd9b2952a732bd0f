using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Synapse.Registry.Search;

namespace Synapse.Registry.Tests.Unit;

/// <summary><see cref="SqliteBm25"/> against FTS5's own bm25() on a real SQLite file, and the counts it is given.</summary>
public sealed class SqliteBm25Tests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"synapse-bm25-{Guid.NewGuid():N}.db");
    private readonly SqliteConnection _connection;

    public SqliteBm25Tests()
    {
        _connection = new SqliteConnection($"Data Source={_path};Pooling=False");
        _connection.Open();
        Execute("CREATE VIRTUAL TABLE search_fts USING fts5(Name, Keywords, Description, tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')");
        var words = new[] { "http", "json", "web", "client", "server", "cache", "parser", "async", "stream", "retry" };
        var random = new Random(7);
        for (var i = 0; i < 300; i++)
        {
            string Pick(int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => words[random.Next(words.Length)]));
            Execute($"INSERT INTO search_fts (Name, Keywords, Description) VALUES ('{Pick(2)}-{i}', '{Pick(random.Next(0, 4))}', 'A {Pick(random.Next(3, 12))} library')");
        }
        SqliteBm25.Register(_connection);
    }

    [Theory]
    [InlineData("\"http\"")]
    [InlineData("\"web\" \"json\"*")]
    [InlineData("\"client\" \"cache\" \"se\"*")]
    [InlineData("\"parser\" \"parser\"")]
    public void With_exact_counts_it_ranks_every_row_as_fts5_bm25_does(string match)
    {
        var phrases = match.Split(' ');
        var counts = phrases.Select(phrase => Scalar<long>("SELECT count(*) FROM search_fts WHERE search_fts MATCH $p", ("$p", phrase))).ToList();
        var arguments = string.Concat(counts.Select(c => ", " + c.ToString(CultureInfo.InvariantCulture)));
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT rowid, bm25(search_fts, 10.0, 4.0, 1.0), synapse_bm25(search_fts, 10.0, 4.0, 1.0{arguments}) FROM search_fts WHERE search_fts MATCH $m";
        command.Parameters.AddWithValue("$m", match);
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
            Assert.Equal(reader.GetDouble(1), reader.GetDouble(2), 1e-12);
        }
        Assert.True(rows > 5, $"'{match}' matched only {rows} rows");
    }

    [Fact]
    public void Stale_counts_change_the_scores_not_the_matches()
    {
        var exact = Scalar<long>("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'json'");
        List<double> Scores(long count)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = $"SELECT synapse_bm25(search_fts, 10.0, 4.0, 1.0, {count}) FROM search_fts WHERE search_fts MATCH 'json'";
            using var reader = command.ExecuteReader();
            var scores = new List<double>();
            while (reader.Read())
            {
                scores.Add(reader.GetDouble(0));
            }
            return scores;
        }
        var fresh = Scores(exact);
        var stale = Scores(exact / 2);
        Assert.Equal(exact, fresh.Count);
        Assert.Equal(exact, stale.Count);
        Assert.NotEqual(fresh.Sum(), stale.Sum());
    }

    [Fact]
    public void Missing_counts_are_an_error_that_says_what_the_function_takes()
    {
        var error = Assert.Throws<SqliteException>(() =>
            Scalar<double>("SELECT synapse_bm25(search_fts, 10.0, 4.0, 1.0) FROM search_fts WHERE search_fts MATCH 'json' LIMIT 1"));
        Assert.Contains("a document count per phrase", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_term_most_rows_contain_weighs_almost_nothing_as_in_fts5()
    {
        Assert.Equal(1e-6, SqliteBm25.Idf(100, 80));
        Assert.Equal(Math.Log(90.5 / 10.5), SqliteBm25.Idf(100, 10), 1e-12);
        Assert.Equal(Math.Log(100.5 / 0.5), SqliteBm25.Idf(100, 0), 1e-12);
    }

    [Theory]
    [InlineData(100_000)]
    [InlineData(-5)]
    [InlineData(0)]
    public void A_count_out_of_date_still_ranks_every_matching_row(long count)
    {
        Assert.True(double.IsFinite(SqliteBm25.Idf(300, count)));
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT synapse_bm25(search_fts, 10.0, 4.0, 1.0, {count}) FROM search_fts WHERE search_fts MATCH 'json'";
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            rows++;
            Assert.False(reader.IsDBNull(0), "a NULL rank drops the row from a page");
            Assert.True(double.IsFinite(reader.GetDouble(0)));
        }
        Assert.Equal(Scalar<long>("SELECT count(*) FROM search_fts WHERE search_fts MATCH 'json'"), rows);
    }

    [Fact]
    public async Task Term_counts_are_reused_for_a_minute_then_counted_again()
    {
        var clock = new FakeTimeProvider();
        var frequencies = new TermFrequencies(clock);
        var counted = 0;
        Task<long> Count(string phrase, CancellationToken _) => Task.FromResult((long)(++counted * 10 + phrase.Length));

        Assert.Equal(16, await frequencies.GetAsync("\"http\"", Count, CancellationToken.None));
        clock.Advance(TermFrequencies.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(16, await frequencies.GetAsync("\"http\"", Count, CancellationToken.None));
        Assert.Equal(1, counted);
        Assert.Equal(27, await frequencies.GetAsync("\"json\"*", Count, CancellationToken.None));
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(36, await frequencies.GetAsync("\"http\"", Count, CancellationToken.None));
        Assert.Equal(3, counted);
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private T Scalar<T>(string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _connection.Dispose();
        File.Delete(_path);
    }
}
