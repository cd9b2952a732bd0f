using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synapse.Registry.Api;
using Synapse.Registry.Auth;
using Synapse.Registry.Data;
using Synapse.Registry.Packages;
using Synapse.Registry.Search;
using Synapse.Registry.Storage;
using Synapse.Versioning;

namespace Synapse.Registry.Tests.Specifications;

/// <summary>
/// What every database backend must do for packages: uniqueness, ownership, yank, delete, owners and search,
/// through <see cref="PackageStore"/>. A backend inherits this and supplies a fresh migrated database.
/// </summary>
public abstract class PackageStoreSpecification
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MetadataCache _cache = new();

    /// <summary>A new context on this test's database (already migrated).</summary>
    internal abstract RegistryDbContext CreateDbContext();

    /// <summary>The backend's search over a context.</summary>
    internal abstract IPackageSearch CreateSearch(RegistryDbContext db);

    internal abstract IBlobStore Blobs { get; }

    private PackageStore Store(RegistryDbContext db) =>
        new(db, Blobs, new LocalPackageChangeNotifier(_cache), _clock, NullLogger<PackageStore>.Instance);

    private protected Caller AddUser(string name)
    {
        using var db = CreateDbContext();
        var user = new User { Username = name, Email = $"{name}@example.org", PasswordHash = "x", CreatedAt = _clock.GetUtcNow() };
        db.Users.Add(user);
        db.SaveChanges();
        return new Caller(user.Id, name, CallerKind.Session, Caller.AllScopes.ToHashSet(), null, null);
    }

    private protected static NewVersion Version(string name, string version, string? description = null, string[]? keywords = null, params (string Name, string Range)[] dependencies) =>
        new(name, SemanticVersion.Parse(version), description, "MIT", keywords ?? [], ["Ada"], null, null, "readme",
            dependencies.Select(d => new NewDependency(d.Name, d.Range, DependencyKind.Runtime)).ToList(),
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name + version))), 123);

    private protected async Task<PackageVersion> PublishAsync(Caller caller, NewVersion version)
    {
        await using var db = CreateDbContext();
        return await Store(db).PublishAsync(version, caller, CancellationToken.None);
    }

    private async Task<ApiProblemException> FailsAsync(Func<PackageStore, Task> action)
    {
        await using var db = CreateDbContext();
        return await Assert.ThrowsAsync<ApiProblemException>(() => action(Store(db)));
    }

    [Fact]
    public async Task Publishing_creates_the_package_with_its_first_publisher_as_owner()
    {
        var ada = AddUser("ada");
        await PublishAsync(ada, Version("first", "1.0.0", "Hello"));
        await using var db = CreateDbContext();
        var owners = await Store(db).GetOwnersAsync("first", CancellationToken.None);
        Assert.Equal(["ada"], owners);
        var package = await Store(db).FindPackageAsync("first", CancellationToken.None);
        Assert.Equal("Hello", package.Description);
    }

    [Fact]
    public async Task Version_numbers_are_unique_ignoring_build_metadata()
    {
        var ada = AddUser("ada");
        await PublishAsync(ada, Version("unique", "1.0.0"));
        var again = await FailsAsync(s => s.PublishAsync(Version("unique", "1.0.0+other"), ada, CancellationToken.None));
        Assert.Equal(ErrorCodes.VersionExists, again.Code);
    }

    [Fact]
    public async Task Another_spelling_of_a_name_is_taken_and_others_are_not_owners()
    {
        var ada = AddUser("ada");
        var bob = AddUser("bob");
        await PublishAsync(ada, Version("my-lib", "1.0.0"));
        Assert.Equal(ErrorCodes.NameTaken, (await FailsAsync(s => s.PublishAsync(Version("my_lib", "2.0.0"), ada, CancellationToken.None))).Code);
        Assert.Equal(ErrorCodes.NotOwner, (await FailsAsync(s => s.PublishAsync(Version("my-lib", "2.0.0"), bob, CancellationToken.None))).Code);
    }

    [Fact]
    public async Task Concurrent_publishes_of_one_version_have_exactly_one_winner()
    {
        var ada = AddUser("ada");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            try
            {
                await PublishAsync(ada, Version("contended", "1.0.0"));
                return true;
            }
            catch (ApiProblemException ex) when (ex.Code == ErrorCodes.VersionExists)
            {
                return false;
            }
        }));
        Assert.Single(attempts, won => won);
    }

    [Fact]
    public async Task Yank_and_unyank_change_latest()
    {
        var ada = AddUser("ada");
        await PublishAsync(ada, Version("yanky", "1.0.0"));
        await PublishAsync(ada, Version("yanky", "1.1.0"));
        await using var db = CreateDbContext();
        var row = await Store(db).SetYankedAsync("yanky", "1.1.0", true, "bad", ada, CancellationToken.None);
        Assert.True(row.Yanked);
        Assert.Equal("bad", row.YankedReason);
        await using var read = CreateDbContext();
        Assert.Equal("1.0.0", PackageStore.LatestOf(read.PackageVersions.Where(v => v.Package!.CanonicalName == "yanky").ToList())?.Version);
    }

    [Fact]
    public async Task Deleting_keeps_the_number_taken_and_respects_dependents_and_the_window()
    {
        var ada = AddUser("ada");
        await PublishAsync(ada, Version("lib", "1.0.0"));
        await PublishAsync(ada, Version("lib", "2.0.0"));
        await PublishAsync(ada, Version("app", "1.0.0", null, null, ("lib", "^1.0.0")));

        Assert.Equal(ErrorCodes.DeleteNotAllowed, (await FailsAsync(s => s.DeleteAsync("lib", "1.0.0", ada, CancellationToken.None))).Code);
        await using (var db = CreateDbContext())
        {
            await Store(db).DeleteAsync("lib", "2.0.0", ada, CancellationToken.None);
        }
        Assert.Equal(ErrorCodes.VersionExists, (await FailsAsync(s => s.PublishAsync(Version("lib", "2.0.0"), ada, CancellationToken.None))).Code);
        Assert.Equal(ErrorCodes.VersionNotFound, (await FailsAsync(s => s.SetYankedAsync("lib", "2.0.0", true, null, ada, CancellationToken.None))).Code);

        _clock.Advance(TimeSpan.FromHours(73));
        Assert.Equal(ErrorCodes.DeleteNotAllowed, (await FailsAsync(s => s.DeleteAsync("app", "1.0.0", ada, CancellationToken.None))).Code);
    }

    [Fact]
    public async Task Owners_can_be_added_and_removed_but_never_the_last()
    {
        var ada = AddUser("ada");
        AddUser("bob");
        await PublishAsync(ada, Version("owned", "1.0.0"));
        await using (var db = CreateDbContext())
        {
            Assert.Equal(["ada", "bob"], await Store(db).AddOwnersAsync("owned", ["bob"], ada, CancellationToken.None));
        }
        await using (var db = CreateDbContext())
        {
            Assert.Equal(["bob"], await Store(db).RemoveOwnersAsync("owned", ["ada"], ada, CancellationToken.None));
        }
        var bob = new Caller(ada.UserId + 1, "bob", CallerKind.Session, Caller.AllScopes.ToHashSet(), null, null);
        Assert.Equal(ErrorCodes.LastOwner, (await FailsAsync(s => s.RemoveOwnersAsync("owned", ["bob"], bob, CancellationToken.None))).Code);
        Assert.Equal(ErrorCodes.UserNotFound, (await FailsAsync(s => s.AddOwnersAsync("owned", ["nobody"], bob, CancellationToken.None))).Code);
    }

    [Fact]
    public async Task Search_ranks_exact_name_then_name_then_keywords_then_description()
    {
        var ada = AddUser("ada");
        await PublishAsync(ada, Version("mentions", "1.0.0", "works with parser output"));
        await PublishAsync(ada, Version("tagged", "1.0.0", "something", ["parser"]));
        await PublishAsync(ada, Version("parser-kit", "1.0.0", "kit"));
        await PublishAsync(ada, Version("parser", "1.0.0", "the one"));
        await using var db = CreateDbContext();
        var (hits, total) = await CreateSearch(db).SearchAsync("parser", 1, 10, CancellationToken.None);
        Assert.Equal(4, total);
        Assert.Equal(["parser", "parser-kit", "tagged", "mentions"], hits.Select(h => h.Name));
        Assert.Equal("1.0.0", hits[0].LatestVersion);
    }

    [Fact]
    public async Task Search_returns_the_connection_it_opened_and_keeps_one_already_open()
    {
        var owner = AddUser("ada");
        await PublishAsync(owner, Version("conn-pkg", "1.0.0", "connections"));
        await using var db = CreateDbContext();
        var connection = db.Database.GetDbConnection();
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);

        var (closedHits, _) = await CreateSearch(db).SearchAsync("conn-pkg", 1, 10, CancellationToken.None);
        Assert.Equal("conn-pkg", closedHits[0].Name);
        Assert.Equal(System.Data.ConnectionState.Closed, connection.State);

        await db.Database.OpenConnectionAsync();
        var (openHits, _) = await CreateSearch(db).SearchAsync("conn-pkg", 1, 10, CancellationToken.None);
        Assert.Equal("conn-pkg", openHits[0].Name);
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }

    [Fact]
    public async Task Search_treats_operators_as_text()
    {
        var ada = AddUser("ada");
        await PublishAsync(ada, Version("plain", "1.0.0", "a plain package"));
        await using var db = CreateDbContext();
        foreach (var query in new[] { "\"", "plain OR", "NEAR(plain", "pla*", "*", ")(", "plain\" OR \"x" })
        {
            await CreateSearch(db).SearchAsync(query, 1, 10, CancellationToken.None);
        }
        var (hits, _) = await CreateSearch(db).SearchAsync("pla", 1, 10, CancellationToken.None);
        Assert.Equal(["plain"], hits.Select(h => h.Name));
    }
}
