namespace Synapse.Packaging;

/// <summary>Counts bytes read and lets a check throw as soon as a limit is crossed, mid-stream.</summary>
internal sealed class MeteredReadStream(Stream inner, Action<long> afterRead, MeteredReadStream.DataObserver? observe = null) : Stream
{
    public delegate void DataObserver(ReadOnlySpan<byte> data);

    public long BytesRead { get; private set; }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        observe?.Invoke(buffer[..read]);
        Account(read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        observe?.Invoke(buffer.Span[..read]);
        Account(read);
        return read;
    }

    private void Account(int read)
    {
        BytesRead += read;
        afterRead(BytesRead);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
