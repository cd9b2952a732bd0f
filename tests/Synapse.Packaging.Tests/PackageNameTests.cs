namespace Synapse.Packaging.Tests;

public class PackageNameTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("http-client")]
    [InlineData("http_client")]
    [InlineData("json5")]
    [InlineData("a-b_c-9")]
    public void Valid_names_pass(string name)
    {
        Assert.Null(PackageName.Validate(name));
        Assert.True(PackageName.IsValid(name));
    }

    [Fact]
    public void Sixty_four_characters_is_the_limit()
    {
        Assert.True(PackageName.IsValid(new string('a', 64)));
        Assert.Contains("at most 64", PackageName.Validate(new string('a', 65)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("1abc", "start with a lowercase letter")]
    [InlineData("-abc", "start with a lowercase letter")]
    [InlineData("_abc", "start with a lowercase letter")]
    [InlineData("Abc", "start with a lowercase letter (a-z), not 'A' (try \"abc\")")]
    [InlineData("abC", "uppercase")]
    [InlineData("a.b", "'.' at position 2")]
    [InlineData("a b", "U+0020")]
    [InlineData("caf\u00e9", "not allowed")]
    [InlineData("a/b", "not allowed")]
    public void Invalid_names_say_why(string? name, string reason)
    {
        var error = PackageName.Validate(name);

        Assert.NotNull(error);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.False(PackageName.IsValid(name));
    }

    [Theory]
    [InlineData("synapse")]
    [InlineData("std")]
    [InlineData("core")]
    [InlineData("self")]
    [InlineData("con")]
    [InlineData("lpt1")]
    public void Reserved_names_are_refused(string name)
    {
        Assert.Contains("reserved", PackageName.Validate(name), StringComparison.Ordinal);
        Assert.True(PackageName.IsReserved(name));
    }

    [Fact]
    public void Names_merely_containing_a_reserved_word_are_allowed()
    {
        Assert.True(PackageName.IsValid("std-extras"));
        Assert.True(PackageName.IsValid("synapse-http"));
        Assert.False(PackageName.IsReserved("std-extras"));
    }

    [Theory]
    [InlineData("http_client", "http-client")]
    [InlineData("HTTP_Client", "http-client")]
    [InlineData("plain", "plain")]
    public void Canonical_form_maps_underscore_and_case(string name, string canonical)
    {
        Assert.Equal(canonical, PackageName.Canonicalize(name));
    }

    [Fact]
    public void Equivalent_spellings_are_detected()
    {
        Assert.True(PackageName.AreEquivalent("http_client", "http-client"));
        Assert.False(PackageName.AreEquivalent("http-client", "httpclient"));
    }
}
