using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Synapse.Registry.Infrastructure;

namespace Synapse.Registry.Storage.S3;

/// <summary>
/// Tarballs in an S3 bucket (AWS or any S3-compatible server). Uploads and downloads are streamed: a non-seekable
/// upload is spooled to a temporary file, never to memory; downloads are a seekable stream served by ranged GETs.
/// Any failure to reach the store surfaces as <see cref="BackendUnavailableException"/> (503).
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    private const string Backend = "storage";
    private static readonly TimeSpan MaxPresignLifetime = TimeSpan.FromDays(7);

    private readonly IAmazonS3 client;
    private readonly S3StorageOptions options;
    private readonly bool ownsClient;
    private readonly SemaphoreSlim bucketLock = new(1, 1);
    private volatile bool bucketReady;

    /// <summary>Creates the store with a client built from <paramref name="options"/>.</summary>
    public S3BlobStore(S3StorageOptions options)
        : this(CreateClient(options), options, ownsClient: true)
    {
    }

    /// <summary>Creates the store over an existing client.</summary>
    public S3BlobStore(IAmazonS3 client, S3StorageOptions options, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options);
        this.client = client;
        this.options = options;
        this.ownsClient = ownsClient;
        bucketReady = !options.CreateBucket;
    }

    /// <summary>Objects asked for per listing request; lowered by tests to exercise paging.</summary>
    internal int ListPageSize { get; set; } = 1000;

    /// <summary>Builds the SDK client: custom endpoint, path style, explicit keys or the default credential chain.</summary>
    public static IAmazonS3 CreateClient(S3StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ThrowIfInvalid(options);
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            MaxErrorRetry = options.MaxErrorRetry,
            Timeout = options.Timeout,
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(5, options.Timeout.TotalSeconds)),
            // S3-compatible servers rarely support the newer flexible checksums; ask for them only when S3 requires.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = string.IsNullOrEmpty(options.Region) ? "us-east-1" : options.Region;
        }
        else if (!string.IsNullOrEmpty(options.Region))
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        return string.IsNullOrEmpty(options.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config);
    }

    /// <summary>Creates the bucket when it is missing and <see cref="S3StorageOptions.CreateBucket"/> is set; once.</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (bucketReady)
        {
            return;
        }

        await bucketLock.WaitAsync(cancellationToken);
        try
        {
            if (bucketReady)
            {
                return;
            }

            await Call("create the bucket", async () =>
            {
                try
                {
                    await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = options.Bucket, MaxKeys = 1 }, cancellationToken);
                }
                catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
                {
                    try
                    {
                        await client.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket }, cancellationToken);
                    }
                    catch (AmazonS3Exception created) when (created.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
                    {
                        // Another instance created it first.
                    }
                }

                return true;
            }, cancellationToken);
            bucketReady = true;
        }
        finally
        {
            bucketLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task PutAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var objectKey = ObjectKey(key);
        await EnsureBucketAsync(cancellationToken);
        if (content.CanSeek)
        {
            await Upload(objectKey, content, cancellationToken);
            return;
        }

        // The SDK must know the length up front; a temporary file keeps a large tarball out of memory.
        var spool = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await using (spool)
        {
            await content.CopyToAsync(spool, cancellationToken);
            spool.Position = 0;
            await Upload(objectKey, spool, cancellationToken);
        }
    }

    private async Task Upload(string objectKey, Stream content, CancellationToken cancellationToken)
    {
        var source = new UploadSourceStream(content);
        try
        {
            await Call("upload a tarball", () => client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = options.Bucket,
                Key = objectKey,
                InputStream = source,
                AutoCloseStream = false,
                AutoResetStreamPosition = false,
                ContentType = "application/octet-stream",
                // Many S3-compatible servers store aws-chunked bodies verbatim; sign the whole payload instead.
                UseChunkEncoding = false,
            }, cancellationToken), cancellationToken);
        }
        catch (BackendUnavailableException) when (source.Failure is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <inheritdoc />
    public async Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        var response = await Call("download a tarball", async () =>
        {
            try
            {
                return await client.GetObjectAsync(new GetObjectRequest { BucketName = options.Bucket, Key = objectKey }, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        }, cancellationToken);
        return response is null ? null : new S3RangedReadStream(this, objectKey, response);
    }

    internal Task<GetObjectResponse> GetRangeAsync(string objectKey, long from, long to, CancellationToken cancellationToken) =>
        Call("download a tarball", () => client.GetObjectAsync(new GetObjectRequest
        {
            BucketName = options.Bucket,
            Key = objectKey,
            ByteRange = new ByteRange(from, to),
        }, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<BlobInfo?> GetInfoAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        return Call("read a tarball's metadata", async () =>
        {
            try
            {
                var metadata = await client.GetObjectMetadataAsync(options.Bucket, objectKey, cancellationToken);
                return new BlobInfo(key, metadata.ContentLength, ToOffset(metadata.LastModified));
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                return (BlobInfo?)null;
            }
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        return Call("delete a tarball", async () =>
        {
            try
            {
                await client.DeleteObjectAsync(options.Bucket, objectKey, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                // Already gone.
            }

            return true;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<BlobInfo> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? continuation = null;
        do
        {
            var request = new ListObjectsV2Request
            {
                BucketName = options.Bucket,
                Prefix = options.KeyPrefix.Length == 0 ? null : options.KeyPrefix,
                MaxKeys = ListPageSize,
                ContinuationToken = continuation,
            };
            var page = await Call("list tarballs", () => client.ListObjectsV2Async(request, cancellationToken), cancellationToken);
            foreach (var item in page.S3Objects ?? [])
            {
                yield return new BlobInfo(item.Key[options.KeyPrefix.Length..], item.Size ?? 0, ToOffset(item.LastModified));
            }

            continuation = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (continuation is not null);
    }

    /// <inheritdoc />
    public async Task<Uri?> GetDownloadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        var objectKey = ObjectKey(key);
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "A download address must live for a positive time.");
        }

        var request = new GetPreSignedUrlRequest
        {
            BucketName = options.Bucket,
            Key = objectKey,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow + (lifetime < MaxPresignLifetime ? lifetime : MaxPresignLifetime),
            Protocol = options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Amazon.S3.Protocol.HTTP : Amazon.S3.Protocol.HTTPS,
        };
        var url = await Call("sign a download address", () => client.GetPreSignedURLAsync(request), cancellationToken);
        return new Uri(url);
    }

    /// <inheritdoc />
    public async Task CheckHealthAsync(CancellationToken cancellationToken)
    {
        // A bucket that could not be created at startup (store down then) is created once the store answers.
        await EnsureBucketAsync(cancellationToken);
        await Call("reach the bucket", () => client.ListObjectsV2Async(
            new ListObjectsV2Request { BucketName = options.Bucket, MaxKeys = 1 }, cancellationToken), cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        bucketLock.Dispose();
        if (ownsClient)
        {
            client.Dispose();
        }
    }

    private static void ThrowIfInvalid(S3StorageOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, errors));
        }
    }

    private string ObjectKey(string key)
    {
        if (string.IsNullOrEmpty(key) || key.Length > 512 || key.StartsWith('/') || key.Contains("..", StringComparison.Ordinal) ||
            key.Any(c => char.IsControl(c) || c == '\\'))
        {
            throw new ArgumentException($"'{key}' is not a valid blob key.", nameof(key));
        }

        return options.KeyPrefix + key;
    }

    private static DateTimeOffset ToOffset(DateTime? time) =>
        time is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc)) : DateTimeOffset.UnixEpoch;

    private async Task<T> Call<T>(string action, Func<Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            return await operation();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException or OperationCanceledException)
        {
            throw new BackendUnavailableException(Backend, $"Could not {action} in bucket '{options.Bucket}': {e.Message}", e);
        }
    }
}
