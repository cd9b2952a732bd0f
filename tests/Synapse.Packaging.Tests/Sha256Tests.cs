using System.Text;

namespace Synapse.Packaging.Tests;

public class Sha256Tests
{
    private const string AbcDigest = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    [Fact]
    public void Hashes_bytes_to_lowercase_hex()
    {
        Assert.Equal(AbcDigest, Sha256.HashHex("abc"u8));
    }

    [Fact]
    public async Task Hashes_streams_and_files()
    {
        Assert.Equal(AbcDigest, await Sha256.HashHexAsync(new MemoryStream("abc"u8.ToArray())));
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "abc");
            Assert.Equal(AbcDigest, await Sha256.HashFileHexAsync(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Formats_and_parses_the_checksum_form()
    {
        var checksum = Sha256.FormatChecksum(AbcDigest.ToUpperInvariant());

        Assert.Equal("sha256:" + AbcDigest, checksum);
        Assert.True(Sha256.TryParseChecksum(checksum, out var hex));
        Assert.Equal(AbcDigest, hex);
        Assert.True(Sha256.TryParseChecksum(AbcDigest, out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256:")]
    [InlineData("sha256:xyz")]
    [InlineData("md5:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a")]
    public void Rejects_malformed_checksums(string? checksum)
    {
        Assert.False(Sha256.TryParseChecksum(checksum, out _));
    }

    [Fact]
    public void Formatting_a_non_digest_throws_a_clear_error()
    {
        var error = Assert.Throws<FormatException>(() => Sha256.FormatChecksum("abc"));
        Assert.Contains("64 hex characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Digests_compare_across_forms()
    {
        Assert.True(Sha256.DigestsEqual("sha256:" + AbcDigest, AbcDigest.ToUpperInvariant()));
        Assert.False(Sha256.DigestsEqual(AbcDigest, Sha256.HashHex("abd"u8)));
        Assert.False(Sha256.DigestsEqual(AbcDigest, "garbage"));
    }

    [Fact]
    public async Task The_hashing_stream_hashes_what_passes_through()
    {
        var data = Encoding.UTF8.GetBytes(new string('z', 100_000));
        using var hashing = new HashingReadStream(new MemoryStream(data));

        var copy = new MemoryStream();
        await hashing.CopyToAsync(copy);

        Assert.Equal(data, copy.ToArray());
        Assert.Equal(data.Length, hashing.BytesRead);
        Assert.Equal(Sha256.HashHex(data), hashing.GetHashHex());
        Assert.Throws<InvalidOperationException>(() => hashing.ReadByte());
    }

    [Fact]
    public async Task The_hashing_stream_can_drain_the_rest()
    {
        using var hashing = new HashingReadStream(new MemoryStream("abc"u8.ToArray()));
        Assert.Equal('a', hashing.ReadByte());
        Assert.Equal(AbcDigest, await hashing.DrainAndGetHashHexAsync());
        Assert.Equal(3, hashing.BytesRead);
    }
}

public class Crc32Tests
{
    [Theory]
    [InlineData("", 0x00000000u)]
    [InlineData("a", 0xE8B7BE43u)]
    [InlineData("123456789", 0xCBF43926u)]
    [InlineData("The quick brown fox jumps over the lazy dog", 0x414FA339u)]
    public void Matches_the_gzip_crc32(string text, uint expected)
    {
        Assert.Equal(expected, Crc32.Finish(Crc32.Append(Crc32.Initial, System.Text.Encoding.ASCII.GetBytes(text))));
    }

    [Fact]
    public void Appending_in_pieces_equals_appending_at_once()
    {
        var data = new byte[1000];
        new Random(3).NextBytes(data);
        var whole = Crc32.Append(Crc32.Initial, data);
        var pieces = Crc32.Append(Crc32.Append(Crc32.Append(Crc32.Initial, data.AsSpan(0, 3)), data.AsSpan(3, 500)), data.AsSpan(503));
        Assert.Equal(whole, pieces);
    }
}
