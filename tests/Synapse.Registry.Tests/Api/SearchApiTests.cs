using System.Text.Json;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

/// <summary>The search corpus on a registry; the default is SQLite, database backends subclass it.</summary>
public class SearchFixture : IAsyncLifetime
{
    public SearchFixture()
        : this(new RegistryFactory())
    {
    }

    protected SearchFixture(RegistryFactory factory)
    {
        Factory = factory;
    }

    public RegistryFactory Factory { get; }

    /// <summary>A fresh, empty registry on the same kind of database.</summary>
    public virtual RegistryFactory CreateEmptyRegistry() => new();

    public async Task InitializeAsync()
    {
        var token = await Factory.RegisterAsync("searcher");
        await Factory.PublishOkAsync(token, TestPackages.Build("http", "1.0.0", "The plain one"));
        await Factory.PublishOkAsync(token, TestPackages.Build("http-client", "1.4.0", "An HTTP client for Synapse", ["http", "network"]));
        await Factory.PublishOkAsync(token, TestPackages.Build("fetcher", "2.0.0", "Downloads things", ["http"]));
        await Factory.PublishOkAsync(token, TestPackages.Build("mailer", "0.3.0", "Sends mail over smtp, not http"));
        await Factory.PublishOkAsync(token, TestPackages.Build("json", "2.1.0", "JSON parsing", ["json", "serde"]));
        await Factory.PublishOkAsync(token, TestPackages.Build("json-fast", "1.0.0", "Fast JSON parsing", ["json"]));
        await Factory.PublishOkAsync(token, TestPackages.Build("json-slow", "1.0.0", "Slow JSON parsing", ["json"]));
        using var client = Factory.Client();
        for (var i = 0; i < 4; i++)
        {
            await Expect.StatusAsync(await client.GetAsync("/api/v1/packages/json-slow/1.0.0/tarball"), 200);
        }
        await Factory.FlushDownloadsAsync();
    }

    public virtual Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SearchApiTests(SearchFixture fixture) : SearchApiSpecification(fixture), IClassFixture<SearchFixture>;

/// <summary>What search must do on every database backend (SQLite FTS5 here, PostgreSQL tsvector in Backends/).</summary>
public abstract class SearchApiSpecification(SearchFixture fixture)
{
    private readonly RegistryFactory _registry = fixture.Factory;

    private async Task<List<string>> NamesAsync(string query)
    {
        using var client = _registry.Client();
        var json = await Expect.JsonAsync(await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(query)}"));
        return json.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToList();
    }

    [Fact]
    public async Task Exact_name_first_then_name_matches_then_keywords_then_descriptions()
    {
        var names = await NamesAsync("http");
        Assert.Equal(["http", "http-client", "fetcher", "mailer"], names);
    }

    [Fact]
    public async Task Downloads_break_ties()
    {
        // json-fast and json-slow match equally well; json-slow has the downloads.
        var names = await NamesAsync("parsing");
        Assert.True(names.IndexOf("json-slow") < names.IndexOf("json-fast"), string.Join(", ", names));
    }

    [Fact]
    public async Task Results_have_the_documented_shape_and_paging()
    {
        using var client = _registry.Client();
        var json = await Expect.JsonAsync(await client.GetAsync("/api/v1/search?q=json&page=2&per_page=1"));
        Assert.Equal(3, json.GetProperty("total").GetInt64());
        Assert.Equal(2, json.GetProperty("page").GetInt32());
        Assert.Equal(1, json.GetProperty("per_page").GetInt32());
        var hit = Assert.Single(json.GetProperty("results").EnumerateArray());
        foreach (var field in new[] { "name", "version", "description", "keywords", "downloads", "score" })
        {
            Assert.True(hit.TryGetProperty(field, out _), field);
        }
        var first = await Expect.JsonAsync(await client.GetAsync("/api/v1/search?q=json"));
        Assert.Equal("json", first.GetProperty("results")[0].GetProperty("name").GetString());
        Assert.Equal("2.1.0", first.GetProperty("results")[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task A_page_past_the_last_result_is_empty_and_still_has_the_total()
    {
        using var client = _registry.Client();
        var json = await Expect.JsonAsync(await client.GetAsync("/api/v1/search?q=json&page=4&per_page=1"));
        Assert.Empty(json.GetProperty("results").EnumerateArray());
        Assert.Equal(3, json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task The_exact_name_alone_fills_a_page_of_one_and_the_ranked_matches_follow()
    {
        using var client = _registry.Client();
        var names = new List<string>();
        for (var page = 1; page <= 3; page++)
        {
            var json = await Expect.JsonAsync(await client.GetAsync($"/api/v1/search?q=json&page={page}&per_page=1"));
            Assert.Equal(3, json.GetProperty("total").GetInt64());
            names.Add(Assert.Single(json.GetProperty("results").EnumerateArray()).GetProperty("name").GetString()!);
        }
        Assert.Equal(["json", "json-slow", "json-fast"], names);
    }

    [Fact]
    public async Task The_version_shown_is_the_highest_release_that_is_not_yanked()
    {
        using var factory = fixture.CreateEmptyRegistry();
        var token = await factory.RegisterAsync("versions");
        foreach (var version in new[] { "1.0.0", "1.2.0", "1.10.0", "2.0.0-beta.1" })
        {
            await factory.PublishOkAsync(token, TestPackages.Build("versioned-thing", version, "Quokka"));
        }
        await factory.PublishOkAsync(token, TestPackages.Build("early-thing", "0.1.0-alpha.2", "Quokka too"));
        using (var owner = factory.Client(token))
        {
            await Expect.StatusAsync(await owner.PutAsync("/api/v1/packages/versioned-thing/1.10.0/yank", null), 200);
        }
        using var client = factory.Client();
        var results = (await Expect.JsonAsync(await client.GetAsync("/api/v1/search?q=quokka"))).GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("version").GetString());
        Assert.Equal("1.2.0", results["versioned-thing"]);
        Assert.Equal("0.1.0-alpha.2", results["early-thing"]);
        var exact = await Expect.JsonAsync(await client.GetAsync("/api/v1/search?q=versioned-thing"));
        Assert.Equal("1.2.0", exact.GetProperty("results")[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task A_new_package_is_searchable_as_soon_as_publish_returns()
    {
        using var factory = fixture.CreateEmptyRegistry();
        var token = await factory.RegisterAsync("instant");
        await factory.PublishOkAsync(token, TestPackages.Build("brand-new-thing", "0.1.0", "Zebra"));
        using var client = factory.Client();
        var json = await Expect.JsonAsync(await client.GetAsync("/api/v1/search?q=zebra"));
        Assert.Equal("brand-new-thing", json.GetProperty("results")[0].GetProperty("name").GetString());
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("\"unbalanced")]
    [InlineData("*")]
    [InlineData("json*")]
    [InlineData("NEAR(json http)")]
    [InlineData("json AND OR NOT")]
    [InlineData("name:json")]
    [InlineData("{json}")]
    [InlineData("^json")]
    [InlineData("-json")]
    [InlineData("json -- drop table")]
    [InlineData("'; DROP TABLE Packages; --")]
    [InlineData("\u0000\u0001")]
    [InlineData("ü ß 日本")]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Any_query_text_answers_200(string query)
    {
        using var client = _registry.Client();
        var response = await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(query)}");
        await Expect.StatusAsync(response, 200);
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=-1")]
    [InlineData("page=abc")]
    [InlineData("per_page=0")]
    [InlineData("per_page=1e3")]
    public async Task Bad_paging_is_400_invalid_query(string paging)
    {
        using var client = _registry.Client();
        await Expect.ProblemAsync(await client.GetAsync($"/api/v1/search?q=json&{paging}"), 400, "invalid_query");
    }

    [Theory]
    [InlineData("101")]
    [InlineData("5000")]
    [InlineData("99999999999")]
    public async Task Per_page_above_100_is_capped_at_100(string perPage)
    {
        using var client = _registry.Client();
        var response = await client.GetAsync($"/api/v1/search?q=json&per_page={perPage}");
        await Expect.StatusAsync(response, 200);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(100, body.RootElement.GetProperty("per_page").GetInt32());
    }

    [Fact]
    public async Task Overlong_queries_are_400()
    {
        using var client = _registry.Client();
        await Expect.ProblemAsync(await client.GetAsync($"/api/v1/search?q={new string('a', 300)}"), 400, "invalid_query");
    }
}
