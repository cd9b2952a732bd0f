using Synapse.Resolver.Solving;

namespace Synapse.Resolver.Tests;

public sealed class PackageTableTests
{
    [Fact]
    public void Entries_start_empty_and_keep_their_values_as_the_table_grows()
    {
        var table = new PackageTable<int>();

        Assert.Equal(0, table[5]);
        for (var id = 0; id < 5_000; id++) table[id] = id * 3;

        Assert.Equal(0, table[4_999 + 70_000]);
        for (var id = 0; id < 5_000; id++) Assert.Equal(id * 3, table[id]);
    }

    [Fact]
    public void A_ref_to_an_entry_stays_valid_while_later_ids_are_added()
    {
        var table = new PackageTable<string?>();
        ref var first = ref table[0];

        for (var id = 1; id < 10_000; id++) table[id] = "later";
        first = "written through the old ref";

        Assert.Equal("written through the old ref", table[0]);
    }
}
