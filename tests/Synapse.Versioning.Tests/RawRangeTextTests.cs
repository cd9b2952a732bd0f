using Synapse.Versioning;

namespace Synapse.Versioning.Tests;

public class RawRangeTextTests
{
    [Theory]
    [InlineData("^2.1.0", "^2.1.0")]
    [InlineData("  >=1.0.0    <2.0.0 ", ">=1.0.0 <2.0.0")]
    [InlineData("1.2.3 - 2.3 || ~4.1", "1.2.3 - 2.3 || ~4.1")]
    [InlineData("*", "*")]
    public void Raw_is_the_text_as_written_with_whitespace_collapsed(string text, string raw)
    {
        var range = VersionRange.Parse(text);

        Assert.Equal(raw, range.Raw);
    }

    [Fact]
    public void Raw_differs_from_the_normalized_form_for_sugar()
    {
        var range = VersionRange.Parse("^2.1.0");

        Assert.Equal("^2.1.0", range.Raw);
        Assert.Equal(">=2.1.0 <3.0.0-0", range.ToString());
    }

    [Fact]
    public void Ranges_not_made_by_parsing_give_their_normalized_form()
    {
        var intersection = VersionRange.Parse("^1.2.0").Intersect(VersionRange.Parse("<1.5.0"));

        Assert.Equal(intersection.ToString(), intersection.Raw);
        Assert.Equal(">=1.2.0 <1.5.0", intersection.Raw);
    }
}
