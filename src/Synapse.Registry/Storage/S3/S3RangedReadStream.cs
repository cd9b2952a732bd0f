using Amazon.S3.Model;

namespace Synapse.Registry.Storage.S3;

/// <summary>
/// A seekable read-only view of one S3 object. Reading goes on through one open GET; after a seek the next read
/// opens a ranged GET from the new position, so a Range request costs one round trip and no buffering.
/// </summary>
internal sealed class S3RangedReadStream : Stream
{
    private readonly S3BlobStore store;
    private readonly string objectKey;
    private GetObjectResponse? response;
    private Stream? body;
    private long bodyPosition;
    private long position;
    private bool disposed;

    public S3RangedReadStream(S3BlobStore store, string objectKey, GetObjectResponse firstResponse)
    {
        this.store = store;
        this.objectKey = objectKey;
        response = firstResponse;
        body = firstResponse.ResponseStream;
        Length = firstResponse.ContentLength;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length { get; }

    public override long Position
    {
        get => position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => position + offset,
            SeekOrigin.End => Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
        {
            throw new IOException("Cannot seek before the start of the blob.");
        }

        position = target;
        return position;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (position >= Length || buffer.Length == 0)
        {
            return 0;
        }

        if (body is null || bodyPosition != position)
        {
            CloseBody();
            response = await store.GetRangeAsync(objectKey, position, Length - 1, cancellationToken);
            body = response.ResponseStream;
            bodyPosition = position;
        }

        var wanted = (int)Math.Min(buffer.Length, Length - position);
        var read = await body.ReadAsync(buffer[..wanted], cancellationToken);
        if (read == 0)
        {
            throw new IOException($"The blob '{objectKey}' ended at {position} bytes, before its length of {Length}.");
        }

        position += read;
        bodyPosition = position;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
            disposed = true;
        }

        base.Dispose(disposing);
    }

    private void CloseBody()
    {
        body?.Dispose();
        response?.Dispose();
        body = null;
        response = null;
    }
}
