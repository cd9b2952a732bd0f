using System.Buffers.Binary;
using System.IO.Compression;

namespace Synapse.Packaging;

/// <summary>
/// Writes gzip (RFC 1952) with a fixed header: no file name, no time stamp, OS "unknown". The BCL's
/// GZipStream writes an OS byte that depends on the platform, which would make archives differ by machine.
/// </summary>
internal sealed class DeterministicGzipStream : Stream
{
    private static readonly byte[] Header = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    private readonly Stream _inner;
    private readonly DeflateStream _deflate;
    private uint _crc = Crc32.Initial;
    private long _length;
    private bool _finished;

    public DeterministicGzipStream(Stream inner)
    {
        _inner = inner;
        _inner.Write(Header);
        _deflate = new DeflateStream(inner, CompressionLevel.Optimal, leaveOpen: true);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _crc = Crc32.Append(_crc, buffer);
        _length += buffer.Length;
        _deflate.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _crc = Crc32.Append(_crc, buffer.Span);
        _length += buffer.Length;
        return _deflate.WriteAsync(buffer, cancellationToken);
    }

    /// <summary>Ends the deflate stream and writes the CRC-32 and length trailer.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (_finished)
            return;
        _finished = true;
        await _deflate.DisposeAsync().ConfigureAwait(false);
        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.Finish(_crc));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), unchecked((uint)_length));
        await _inner.WriteAsync(trailer, cancellationToken).ConfigureAwait(false);
        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _deflate.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>CRC-32 (IEEE 802.3, reflected), as gzip uses; slicing-by-8 for speed on large archives.</summary>
internal static class Crc32
{
    public const uint Initial = 0xFFFFFFFF;
    private static readonly uint[][] Tables = BuildTables();

    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var t0 = Tables[0];
        var t1 = Tables[1];
        var t2 = Tables[2];
        var t3 = Tables[3];
        var t4 = Tables[4];
        var t5 = Tables[5];
        var t6 = Tables[6];
        var t7 = Tables[7];
        while (data.Length >= 8)
        {
            var low = BinaryPrimitives.ReadUInt32LittleEndian(data) ^ crc;
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            crc = t7[low & 0xFF] ^ t6[(low >> 8) & 0xFF] ^ t5[(low >> 16) & 0xFF] ^ t4[low >> 24]
                ^ t3[high & 0xFF] ^ t2[(high >> 8) & 0xFF] ^ t1[(high >> 16) & 0xFF] ^ t0[high >> 24];
            data = data[8..];
        }
        foreach (var b in data)
            crc = t0[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public static uint Finish(uint crc) => ~crc;

    private static uint[][] BuildTables()
    {
        var tables = new uint[8][];
        for (var t = 0; t < 8; t++)
            tables[t] = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++)
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            tables[0][i] = c;
        }
        for (var i = 0; i < 256; i++)
        {
            for (var t = 1; t < 8; t++)
                tables[t][i] = (tables[t - 1][i] >> 8) ^ tables[0][tables[t - 1][i] & 0xFF];
        }
        return tables;
    }
}
