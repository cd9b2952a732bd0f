namespace Synapse.Registry.Storage.S3;

/// <summary>
/// Passes an upload's source through to the SDK and remembers when reading the source itself failed (a client
/// that went away mid-upload), so that failure is reported as what it is rather than as a storage outage.
/// </summary>
internal sealed class UploadSourceStream(Stream source) : Stream
{
    public Exception? Failure { get; private set; }

    public override bool CanRead => source.CanRead;

    public override bool CanSeek => source.CanSeek;

    public override bool CanWrite => false;

    public override long Length => source.Length;

    public override long Position
    {
        get => source.Position;
        set => source.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        try
        {
            return source.Read(buffer, offset, count);
        }
        catch (Exception e) when (Remember(e))
        {
            throw;
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return await source.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (Remember(e))
        {
            throw;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin) => source.Seek(offset, origin);

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private bool Remember(Exception e)
    {
        Failure ??= e;
        return false;
    }
}
