using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Unit;

public sealed class SmokeStartupTests
{
    [Fact]
    public async Task Health_is_ok_on_a_fresh_registry()
    {
        using var factory = new RegistryFactory();
        var json = await Expect.JsonAsync(await factory.Client().GetAsync("/api/v1/health"));
        Assert.Equal("healthy", json.GetProperty("status").GetString());
    }
}
