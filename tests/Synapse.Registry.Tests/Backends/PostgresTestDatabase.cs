using Npgsql;

namespace Synapse.Registry.Tests.Backends;

/// <summary>A database of its own on the test PostgreSQL server, dropped when disposed.</summary>
internal sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly string adminConnectionString;

    private PostgresTestDatabase(string adminConnectionString, string name, string connectionString)
    {
        this.adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The connection string with another host and port, e.g. an <see cref="OutageProxy"/>.</summary>
    public string Via(int port) => new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = port }.ConnectionString;

    public static async Task<PostgresTestDatabase> CreateAsync()
    {
        var admin = TestServices.Postgres;
        var name = TestServices.UniqueName("synapse_test").Replace('-', '_');
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresTestDatabase(admin, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
