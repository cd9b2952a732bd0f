using System.Text.RegularExpressions;

namespace Synapse.Registry.Storage.S3;

/// <summary>Settings of the S3 blob store, bound from <c>Synapse:Storage:S3</c>.</summary>
public sealed partial class S3StorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Synapse:Storage:S3";

    /// <summary>The bucket holding the tarballs (required).</summary>
    public string Bucket { get; set; } = "";

    /// <summary>Endpoint of an S3-compatible server (MinIO, Ceph, R2...); empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>AWS region (e.g. <c>eu-west-1</c>); for a custom <see cref="ServiceUrl"/> the signing region, default <c>us-east-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>Access key id; with <see cref="SecretKey"/>. Without keys the SDK's default credential chain is used.</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret access key.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>), needed by most S3-compatible servers.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>Prefix put before every key, so several registries can share one bucket.</summary>
    public string KeyPrefix { get; set; } = "";

    /// <summary>Create the bucket at startup when it does not exist.</summary>
    public bool CreateBucket { get; set; } = true;

    /// <summary>How often the SDK retries a failed call before the request fails with 503.</summary>
    public int MaxErrorRetry { get; set; } = 2;

    /// <summary>Time limit of one call to the store.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Every problem with these settings, each naming its configuration key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            errors.Add($"{SectionName}:Bucket is required when Synapse:Storage:Provider is S3: set it to the bucket's name.");
        }
        else if (!BucketName().IsMatch(Bucket))
        {
            errors.Add($"{SectionName}:Bucket '{Bucket}' is not a valid bucket name: use 3-63 lowercase letters, digits, dots and hyphens.");
        }

        if (!string.IsNullOrEmpty(ServiceUrl) &&
            (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add($"{SectionName}:ServiceUrl '{ServiceUrl}' is not an absolute http(s) address.");
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            errors.Add($"{SectionName}:AccessKey and {SectionName}:SecretKey go together: set both, or neither to use the SDK's credential chain.");
        }

        if (KeyPrefix.StartsWith('/') || KeyPrefix.Contains("..", StringComparison.Ordinal))
        {
            errors.Add($"{SectionName}:KeyPrefix must not start with '/' or contain '..'.");
        }

        if (MaxErrorRetry is < 0 or > 10)
        {
            errors.Add($"{SectionName}:MaxErrorRetry must be between 0 and 10.");
        }

        if (Timeout <= TimeSpan.Zero)
        {
            errors.Add($"{SectionName}:Timeout must be positive (e.g. 00:00:30).");
        }

        return errors;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
