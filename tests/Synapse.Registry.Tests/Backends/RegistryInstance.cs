using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace Synapse.Registry.Tests.Backends;

/// <summary>One registry instance in process, configured for the real backends; several may share them.</summary>
internal sealed class RegistryInstance(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
{
    public const string JwtKey = "production-backend-tests-signing-key-0123456789abcdef";

    /// <summary>Settings for PostgreSQL + S3 + Redis; override single keys with <paramref name="overrides"/>.</summary>
    public static Dictionary<string, string?> ProductionSettings(
        string postgres, string bucket, string? s3Url = null, string? redis = null, params (string Key, string? Value)[] overrides)
    {
        var s3 = TestServices.S3Options(bucket);
        var settings = new Dictionary<string, string?>
        {
            ["Synapse:Database:Provider"] = "Postgres",
            ["Synapse:Database:ConnectionString"] = postgres,
            ["Synapse:Storage:Provider"] = "S3",
            ["Synapse:Storage:S3:Bucket"] = bucket,
            ["Synapse:Storage:S3:ServiceUrl"] = s3Url ?? s3.ServiceUrl,
            ["Synapse:Storage:S3:AccessKey"] = s3.AccessKey,
            ["Synapse:Storage:S3:SecretKey"] = s3.SecretKey,
            ["Synapse:Storage:S3:ForcePathStyle"] = "true",
            ["Synapse:Storage:S3:MaxErrorRetry"] = "0",
            ["Synapse:Storage:S3:Timeout"] = "00:00:05",
            ["Synapse:RateLimiting:Store"] = "Redis",
            ["Synapse:RateLimiting:Redis"] = redis ?? TestServices.Redis,
            ["Synapse:RateLimiting:RedisKeyPrefix"] = "synapse-test:" + bucket,
            ["Synapse:Jwt:SigningKey"] = JwtKey,
            ["Synapse:Auth:PasswordIterations"] = "1000",
            ["Synapse:Downloads:FlushInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        return settings;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration(configuration => configuration.AddInMemoryCollection(settings));
    }
}
