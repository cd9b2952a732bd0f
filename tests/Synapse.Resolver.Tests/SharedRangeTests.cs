namespace Synapse.Resolver.Tests;

/// <summary>A range text is parsed once per cache, whatever package it is written for, and a package name is kept once.</summary>
public sealed class SharedRangeTests
{
    [Fact]
    public void Requirements_on_different_packages_spelled_alike_share_the_parsed_range_and_spelling()
    {
        var cache = new RequirementCache();

        var left = cache.Parse("left-pad", new string("^1.2.0".AsSpan()));
        var right = cache.Parse("right-pad", new string("^1.2.0".AsSpan()));
        Assert.True(cache.TryParse("center-pad", new string("^1.2.0".AsSpan()), out var center));

        Assert.NotSame(left, right);
        Assert.Same(left.Range, right.Range);
        Assert.Same(left.Range, center.Range);
        Assert.Same(left.Text, right.Text);
        Assert.Equal(Requirement.Parse("right-pad", "^1.2.0"), right);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void A_spelling_with_surrounding_spaces_shares_its_range_but_is_kept_trimmed()
    {
        var cache = new RequirementCache();

        var spaced = cache.Parse("a", " ~1.2 ");
        var again = cache.Parse("b", " ~1.2 ");
        var plain = cache.Parse("c", "~1.2");

        Assert.Same(spaced.Range, again.Range);
        Assert.Equal("~1.2", spaced.Text);
        Assert.Equal(plain.Range.ToString(), spaced.Range.ToString());
    }

    [Fact]
    public void An_invalid_range_fails_for_every_package_and_Parse_still_says_why()
    {
        var cache = new RequirementCache();

        Assert.False(cache.TryParse("a", ">=banana", out _));
        Assert.False(cache.TryParse("b", ">=banana", out _));
        var error = Assert.Throws<FormatException>(() => cache.Parse("c", ">=banana"));
        Assert.Contains("banana", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Requirements_on_one_package_share_its_name_whatever_their_spelling()
    {
        var cache = new RequirementCache();

        var caret = cache.Parse(new string("left-pad".AsSpan()), "^1.0.0");
        var range = cache.Parse(new string("left-pad".AsSpan()), ">=1.0.0 <2.0.0");
        Assert.True(cache.TryParse(new string("left-pad".AsSpan()), "1.x", out var wildcard));

        Assert.Same(caret.Name, range.Name);
        Assert.Same(caret.Name, wildcard.Name);
        Assert.Equal("left-pad", caret.Name);
    }
}
