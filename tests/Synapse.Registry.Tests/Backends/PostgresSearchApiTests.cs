using Npgsql;
using Synapse.Registry.Tests.Api;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Backends;

/// <summary>The registry's search specification on PostgreSQL (tsvector + GIN): the same expectations as SQLite FTS5.</summary>
public sealed class PostgresSearchApiTests(PostgresSearchFixture fixture) : SearchApiSpecification(fixture), IClassFixture<PostgresSearchFixture>;

public sealed class PostgresSearchFixture : SearchFixture
{
    private static readonly List<string> Databases = [];

    public PostgresSearchFixture()
        : base(OnNewDatabase())
    {
    }

    public override RegistryFactory CreateEmptyRegistry() => OnNewDatabase();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(TestServices.Postgres);
        await connection.OpenAsync();
        string[] names;
        lock (Databases)
        {
            names = [.. Databases];
            Databases.Clear();
        }

        foreach (var name in names)
        {
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static RegistryFactory OnNewDatabase()
    {
        var name = TestServices.UniqueName("synapse_search").Replace('-', '_');
        using (var connection = new NpgsqlConnection(TestServices.Postgres))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }

        lock (Databases)
        {
            Databases.Add(name);
        }

        return new RegistryFactory()
            .With("Synapse:Database:Provider", "Postgres")
            .With("Synapse:Database:ConnectionString", new NpgsqlConnectionStringBuilder(TestServices.Postgres) { Database = name }.ConnectionString);
    }
}
