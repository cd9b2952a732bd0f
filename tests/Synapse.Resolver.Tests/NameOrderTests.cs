using Synapse.Resolver.Solving;

namespace Synapse.Resolver.Tests;

public sealed class NameOrderTests
{
    private static readonly char[] Alphabet = ['a', 'b', 'z', '-', '.', '0', '9', '@', '/', '\u007f', '\u0080', '\u00e9', '\u4e2d', '\0'];

    [Fact]
    public void Keys_order_names_exactly_as_ordinal_comparison_does()
    {
        var random = new Random(4);
        var names = new List<string> { "a", "ab", "abc", "pkg-00001", "pkg-00002", "pkg-000010", "pkg-000011", "a\u007f", "a\u00e9", "a\u007f\u007f\u007f\u007f\u007f\u007f\u007f\u007f" };
        for (var i = 0; i < 400; i++)
        {
            var length = random.Next(1, 13);
            // Mostly a shared prefix, so many pairs differ only late (or past the packed characters).
            var prefix = random.Next(3) == 0 ? "" : "pkg-0";
            var chars = new char[length];
            for (var c = 0; c < length; c++) chars[c] = Alphabet[random.Next(Alphabet.Length)];
            names.Add(prefix + new string(chars));
        }

        foreach (var name in names)
        {
            foreach (var other in names)
            {
                var expected = Math.Sign(string.CompareOrdinal(name, other));
                var actual = Math.Sign(NameOrder.Compare(NameOrder.Key(name), name, NameOrder.Key(other), other));
                Assert.True(expected == actual, $"'{name}' vs '{other}': ordinal {expected}, key order {actual}");
            }
        }
    }

    [Fact]
    public void Names_differing_within_nine_characters_get_different_keys()
    {
        Assert.NotEqual(NameOrder.Key("pkg-00001"), NameOrder.Key("pkg-00002"));
        Assert.True(NameOrder.Key("lodash") < NameOrder.Key("lodash.merge"));
        Assert.Equal(NameOrder.Key("pkg-000010"), NameOrder.Key("pkg-000011"));
    }

    [Fact]
    public async Task Resolved_packages_are_in_ordinal_name_order_even_when_names_share_their_first_nine_characters()
    {
        // Names alike in the packed characters tie on their keys and must still come out in full
        // order. Different version counts make the decision order differ from the name order.
        var random = new Random(9);
        var names = new List<string> { "a", "long-nam", "long-name-\u00e9", "pkg-00002", "pkg-00001" };
        while (names.Count < 60) names.Add("long-name-" + random.Next(100_000));
        names = [.. names.Distinct()];
        var registry = new TestRegistry();
        for (var i = 0; i < names.Count; i++)
        {
            for (var minor = 0; minor <= i % 4; minor++) registry.Add(names[i], $"1.{minor}.0", names[i] == "a" ? [] : [("a", "^1.0.0")]);
        }
        var resolution = await registry.ResolveAsync([.. names.Select(name => (name, "^1.0.0"))]);

        Assert.Equal(names.Order(StringComparer.Ordinal), resolution.Packages.Select(package => package.Name));
        Assert.All(resolution.Packages.Where(package => package.Name != "a"),
            package => Assert.Equal("a", Assert.Single(package.Dependencies).Key));
    }
}
