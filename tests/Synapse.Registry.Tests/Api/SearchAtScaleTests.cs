using Microsoft.Extensions.DependencyInjection;
using Synapse.Registry.Data;
using Synapse.Registry.Search;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

/// <summary>
/// More matches than <see cref="SearchLimits.TotalCap"/>, written straight into the database (publishing that many
/// over HTTP would take minutes): every package mentions "widget"; the exact name "widget" is the oldest row, so it
/// lies outside the ranked pool of newest matches and must still come first.
/// </summary>
public sealed class SearchAtScaleFixture : IAsyncLifetime
{
    public const int Packages = SearchLimits.TotalCap + 2_000;

    public RegistryFactory Factory { get; } = new();

    public async Task InitializeAsync()
    {
        using (Factory.Client())
        {
        }
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<RegistryDbContext>();
        var now = DateTimeOffset.UnixEpoch;
        Add(db, "widget", "The widget", 0, now);
        for (var i = 0; i < Packages - 3; i++)
        {
            // Names hold "widget" for one package in ten; the rest only say it in the description.
            var name = i % 10 == 0 ? $"widget-kit-{i:D5}" : $"gadget-{i:D5}-tools";
            Add(db, name, $"Helpers for widget number {i:D5} and friends", i % 7, now);
        }
        // The newest two: identical relevance, so downloads decide.
        Add(db, "widget-tie-low", "Tie", 1, now);
        Add(db, "widget-tie-high", "Tie", 50, now);
        await db.SaveChangesAsync();
    }

    private static void Add(RegistryDbContext db, string name, string description, long downloads, DateTimeOffset now)
    {
        var package = new Package { Name = name, CanonicalName = name, Description = description, Downloads = downloads, CreatedAt = now, UpdatedAt = now };
        db.Packages.Add(package);
        db.SearchIndex.Add(new SearchIndex { Package = package, Name = name, Description = description });
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SearchAtScaleTests(SearchAtScaleFixture fixture) : IClassFixture<SearchAtScaleFixture>
{
    private async Task<System.Text.Json.JsonElement> SearchAsync(string query)
    {
        using var client = fixture.Factory.Client();
        return await Expect.JsonAsync(await client.GetAsync($"/api/v1/search?{query}"));
    }

    private static List<string> Names(System.Text.Json.JsonElement json) =>
        json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList();

    [Fact]
    public async Task The_total_is_capped_when_more_packages_match()
    {
        var json = await SearchAsync("q=widget");
        Assert.Equal(SearchLimits.TotalCap, json.GetProperty("total").GetInt64());
        var rare = await SearchAsync("q=00042");
        Assert.Equal(1, rare.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_exact_name_comes_first_even_outside_the_ranked_pool()
    {
        var names = Names(await SearchAsync("q=Widget&per_page=5"));
        Assert.Equal("widget", names[0]);
        Assert.Equal(5, names.Count);
        Assert.Equal("gadget-00042-tools", Names(await SearchAsync("q=gadget_00042_tools"))[0]);
    }

    [Fact]
    public async Task Name_matches_outrank_description_matches_and_downloads_break_ties_at_scale()
    {
        var names = Names(await SearchAsync("q=widget&per_page=20"));
        Assert.Equal("widget", names[0]);
        Assert.All(names, n => Assert.StartsWith("widget", n, StringComparison.Ordinal));
        var ties = Names(await SearchAsync("q=tie"));
        Assert.Equal(["widget-tie-high", "widget-tie-low"], ties);
    }

    [Fact]
    public async Task Pages_do_not_repeat_or_skip_and_deep_pages_still_answer()
    {
        var seen = new List<string>();
        var counts = new List<int>();
        for (var page = 1; page <= 4; page++)
        {
            var names = Names(await SearchAsync($"q=widget&per_page=100&page={page}"));
            counts.Add(names.Count);
            seen.AddRange(names);
        }
        Assert.True(counts.All(c => c == 100), string.Join(", ", counts));
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Equal("widget", seen[0]);

        var deep = await SearchAsync("q=widget&per_page=100&page=110");
        Assert.Equal(100, Names(deep).Count);
    }
}
