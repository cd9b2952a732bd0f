namespace Synapse.Packaging.Tests;

public class UnicodeFoldTests
{
    [Theory]
    [InlineData("caf\u00e9", "cafe\u0301")]
    [InlineData("\u00c5ngstr\u00f6m", "A\u030angstro\u0308m")]
    [InlineData("\u212b", "A\u030a")]
    [InlineData("\ud55c\uae00", "\u1112\u1161\u11ab\u1100\u1173\u11af")]
    [InlineData("a\u0323\u0301", "a\u0301\u0323")]
    [InlineData("\u1e69", "s\u0323\u0307")]
    public void Canonically_equivalent_strings_decompose_alike(string left, string right)
    {
        Assert.Equal(UnicodeFold.Decompose(left), UnicodeFold.Decompose(right));
    }

    [Theory]
    [InlineData("cafe", "caf\u00e9")]
    [InlineData("\ufb01", "fi")]
    [InlineData("a\u0301", "a\u0300")]
    public void Different_strings_stay_different(string left, string right)
    {
        Assert.NotEqual(UnicodeFold.Decompose(left), UnicodeFold.Decompose(right));
    }

    [Fact]
    public void Ascii_is_returned_as_is()
    {
        const string path = "src/lib/main.syn";
        Assert.Same(path, UnicodeFold.Decompose(path));
    }
}
