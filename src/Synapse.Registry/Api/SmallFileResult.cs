using System.Buffers;
using Microsoft.Net.Http.Headers;
using Microsoft.Win32.SafeHandles;

namespace Synapse.Registry.Api;

/// <summary>
/// Sends a small file read in one synchronous <c>pread</c> into a pooled buffer: for files of a few tens of KB this
/// costs less than streaming (no async file I/O hops through the thread pool, no second <c>stat</c>). Conditional
/// and Range requests are answered by the framework's byte-array result, exactly as for any file.
/// </summary>
internal sealed class SmallFileResult(SafeFileHandle file, int length, string contentType, DateTimeOffset lastModified, EntityTagHeaderValue entityTag)
    : IResult
{
    /// <summary>Larger files are streamed instead, so a request never holds more than this in memory.</summary>
    public const int MaxLength = 256 * 1024;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            using (file)
            {
                ReadExactly(buffer.AsSpan(0, length));
            }
            await TypedResults.Bytes(buffer.AsMemory(0, length), contentType, lastModified: lastModified, entityTag: entityTag,
                enableRangeProcessing: true).ExecuteAsync(httpContext);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void ReadExactly(Span<byte> destination)
    {
        var total = 0;
        while (total < destination.Length)
        {
            var read = RandomAccess.Read(file, destination[total..], total);
            if (read == 0)
            {
                throw new IOException($"The stored file is shorter ({total} bytes) than recorded ({destination.Length} bytes).");
            }
            total += read;
        }
    }
}
