using Synapse.Registry.Storage.S3;

namespace Synapse.Registry.Tests.Backends;

/// <summary>
/// Connection details of the real servers started by scripts/services.sh. A test that needs one which is not
/// configured fails, saying how to run it, rather than passing without testing anything.
/// </summary>
internal static class TestServices
{
    public static string Postgres => Require("SYNAPSE_TEST_POSTGRES");

    public static string Redis => Require("SYNAPSE_TEST_REDIS");

    public static Uri S3Url => new(Require("SYNAPSE_TEST_S3_URL"));

    /// <summary>S3 settings for a bucket of the test's own, so test classes never see each other's objects.</summary>
    public static S3StorageOptions S3Options(string bucket) => new()
    {
        Bucket = bucket,
        ServiceUrl = Require("SYNAPSE_TEST_S3_URL"),
        AccessKey = Require("SYNAPSE_TEST_S3_ACCESS_KEY"),
        SecretKey = Require("SYNAPSE_TEST_S3_SECRET_KEY"),
        ForcePathStyle = true,
        MaxErrorRetry = 0,
        Timeout = TimeSpan.FromSeconds(10),
    };

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 63)];

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set: this test needs a real server. Run the tests through scripts/test, or run " +
                "'scripts/services.sh up' and 'source .test-services/env' before 'dotnet test'.");
}
