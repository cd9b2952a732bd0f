using System.Text.Json;

namespace Synapse.Registry.Tests.Unit;

/// <summary>
/// The runtime settings the registry ships with (its <c>runtimeconfig.json</c>, built next to these tests). Each was
/// measured (docs/BENCHMARKS.md); the runtime ignores misspelled keys silently, so the exact names are checked here.
/// </summary>
public sealed class RuntimeConfigTests
{
    private static JsonElement ConfigProperties()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "synapse-registry.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void Server_gc_with_the_gen0_budget_capped_at_4_MiB()
    {
        var properties = ConfigProperties();
        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(4 * 1024 * 1024, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
    }

    [Fact]
    public void Dynamic_pgo_and_quick_jit_are_off()
    {
        var properties = ConfigProperties();
        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        Assert.False(properties.GetProperty("System.Runtime.TieredCompilation.QuickJit").GetBoolean());
    }
}
