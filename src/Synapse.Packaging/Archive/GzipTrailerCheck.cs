using System.Buffers.Binary;

namespace Synapse.Packaging;

/// <summary>
/// Verifies the gzip trailer (CRC-32 and length of the inflated data, the last 8 bytes of the stream). The BCL's
/// GZipStream does not, so an archive cut inside its trailer would otherwise pass.
/// </summary>
internal sealed class GzipTrailerCheck
{
    private readonly byte[] _tail = new byte[8];
    private long _compressedLength;
    private uint _crc = Crc32.Initial;
    private long _inflatedLength;

    public void ObserveCompressed(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 8)
        {
            data[^8..].CopyTo(_tail);
        }
        else if (data.Length > 0)
        {
            _tail.AsSpan(data.Length).CopyTo(_tail);
            data.CopyTo(_tail.AsSpan(8 - data.Length));
        }
        _compressedLength += data.Length;
    }

    public void ObserveInflated(ReadOnlySpan<byte> data)
    {
        _crc = Crc32.Append(_crc, data);
        _inflatedLength += data.Length;
    }

    public bool Matches() =>
        _compressedLength >= 18
        && BinaryPrimitives.ReadUInt32LittleEndian(_tail) == Crc32.Finish(_crc)
        && BinaryPrimitives.ReadUInt32LittleEndian(_tail.AsSpan(4)) == unchecked((uint)_inflatedLength);
}
