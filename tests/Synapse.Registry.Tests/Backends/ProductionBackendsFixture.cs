namespace Synapse.Registry.Tests.Backends;

/// <summary>
/// Two registry instances sharing one PostgreSQL database, one S3 bucket and one Redis (under a key prefix of
/// their own), as behind a load balancer.
/// </summary>
public sealed class ProductionBackendsFixture : IAsyncLifetime
{
    private PostgresTestDatabase database = null!;
    private RegistryInstance first = null!;
    private RegistryInstance second = null!;

    public string Bucket { get; } = TestServices.UniqueName("multi");

    public HttpClient First { get; private set; } = null!;

    public HttpClient Second { get; private set; } = null!;

    internal PostgresTestDatabase Database => database;

    public async Task InitializeAsync()
    {
        database = await PostgresTestDatabase.CreateAsync();
        var settings = RegistryInstance.ProductionSettings(database.ConnectionString, Bucket,
            overrides: [("Synapse:RateLimiting:Policies:auth:PerHour", "100000"), ("Synapse:RateLimiting:Policies:auth:PerDay", "100000")]);
        first = new RegistryInstance(settings);
        First = first.CreateClient();
        second = new RegistryInstance(settings);
        Second = second.CreateClient();
    }

    public async Task DisposeAsync()
    {
        await first.DisposeAsync();
        await second.DisposeAsync();
        await database.DisposeAsync();
    }
}
