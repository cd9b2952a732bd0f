using Microsoft.Extensions.Options;

namespace Synapse.Registry.Tests.Backends;

/// <summary>Bad production settings stop the startup with a message naming the key.</summary>
public sealed class ProductionConfigurationTests
{
    private static Exception StartupError(params (string Key, string? Value)[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("synapse-config-").FullName;
        var all = new Dictionary<string, string?>
        {
            ["Synapse:Database:ConnectionString"] = $"Data Source={folder}/registry.db",
            ["Synapse:Storage:Path"] = $"{folder}/packages",
            ["Synapse:Jwt:SigningKey"] = RegistryInstance.JwtKey,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        using var instance = new RegistryInstance(all);
        return Record.Exception(() => instance.CreateClient())!;
    }

    [Fact]
    public void S3_storage_without_a_bucket_names_the_bucket_key()
    {
        var error = StartupError(("Synapse:Storage:Provider", "S3"), ("Synapse:Storage:S3:ServiceUrl", "http://127.0.0.1:1"));
        var validation = Assert.IsType<OptionsValidationException>(error);
        Assert.Contains(validation.Failures, f => f.Contains("Synapse:Storage:S3:Bucket", StringComparison.Ordinal));
    }

    [Fact]
    public void S3_keys_must_come_in_pairs()
    {
        var error = StartupError(("Synapse:Storage:Provider", "S3"), ("Synapse:Storage:S3:Bucket", "packages"), ("Synapse:Storage:S3:AccessKey", "id-only"));
        Assert.Contains("Synapse:Storage:S3:SecretKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_proxy_network_names_its_key()
    {
        var error = StartupError(("Synapse:Proxy:KnownNetworks:0", "10.0.0.0/99"));
        Assert.Contains("Synapse:Proxy:KnownNetworks", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_rate_limits_without_a_connection_string_name_the_key()
    {
        var error = StartupError(("Synapse:RateLimiting:Store", "Redis"));
        Assert.Contains("Synapse:RateLimiting:Redis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void S3_settings_are_ignored_when_storage_is_the_file_system()
    {
        Assert.Null(StartupError(("Synapse:Storage:S3:Bucket", "Not A Valid Bucket")));
    }
}
