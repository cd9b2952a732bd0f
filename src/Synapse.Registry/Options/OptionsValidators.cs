using Microsoft.Extensions.Options;

namespace Synapse.Registry.Options;

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (options.Provider is not ("Sqlite" or "Postgres"))
        {
            return ValidateOptionsResult.Fail(
                $"Synapse:Database:Provider must be 'Sqlite' or 'Postgres' (got '{options.Provider}').");
        }
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? ValidateOptionsResult.Fail("Synapse:Database:ConnectionString must not be empty.")
            : ValidateOptionsResult.Success;
    }
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Provider is not ("FileSystem" or "S3"))
        {
            return ValidateOptionsResult.Fail(
                $"Synapse:Storage:Provider must be 'FileSystem' or 'S3' (got '{options.Provider}').");
        }
        if (options.Provider == "FileSystem" && string.IsNullOrWhiteSpace(options.Path))
        {
            return ValidateOptionsResult.Fail("Synapse:Storage:Path must name a folder when Synapse:Storage:Provider is 'FileSystem'.");
        }
        return options.OrphanAge < TimeSpan.FromMinutes(1) || options.SweepInterval < TimeSpan.FromSeconds(1)
            ? ValidateOptionsResult.Fail("Synapse:Storage:OrphanAge must be at least 00:01:00 and Synapse:Storage:SweepInterval at least 00:00:01.")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>Production needs a real key; elsewhere a missing key is replaced by a generated development key.</summary>
internal sealed class JwtOptionsValidator(IHostEnvironment environment) : IValidateOptions<JwtOptions>
{
    public const int MinimumKeyBytes = 32;

    public ValidateOptionsResult Validate(string? name, JwtOptions options)
    {
        if (options.Lifetime <= TimeSpan.Zero || options.Lifetime > TimeSpan.FromDays(366))
        {
            return ValidateOptionsResult.Fail("Synapse:Jwt:Lifetime must be between 00:00:01 and 366.00:00:00.");
        }
        if (!environment.IsProduction())
        {
            return ValidateOptionsResult.Success;
        }
        var key = options.SigningKey;
        if (string.IsNullOrWhiteSpace(key))
        {
            return ValidateOptionsResult.Fail(
                "Synapse:Jwt:SigningKey is missing; set it to a random secret of at least 32 bytes (e.g. `openssl rand -base64 48`).");
        }
        if (key == JwtOptions.DevelopmentDefaultKey)
        {
            return ValidateOptionsResult.Fail("Synapse:Jwt:SigningKey still has its default value; set a random secret of at least 32 bytes.");
        }
        return System.Text.Encoding.UTF8.GetByteCount(key) < MinimumKeyBytes
            ? ValidateOptionsResult.Fail($"Synapse:Jwt:SigningKey is too short ({System.Text.Encoding.UTF8.GetByteCount(key)} bytes); it must be at least {MinimumKeyBytes} bytes (256 bits).")
            : ValidateOptionsResult.Success;
    }
}

internal sealed class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitingOptions options)
    {
        if (options.Store is not ("Memory" or "Redis"))
        {
            return ValidateOptionsResult.Fail($"Synapse:RateLimiting:Store must be 'Memory' or 'Redis' (got '{options.Store}').");
        }
        if (options.Store == "Redis" && string.IsNullOrWhiteSpace(options.Redis))
        {
            return ValidateOptionsResult.Fail("Synapse:RateLimiting:Redis must hold a connection string when Synapse:RateLimiting:Store is 'Redis'.");
        }
        foreach (var (policy, limits) in options.Policies)
        {
            foreach (var (window, value) in new[] { ("PerMinute", limits.PerMinute), ("PerHour", limits.PerHour), ("PerDay", limits.PerDay) })
            {
                if (value is <= 0)
                {
                    return ValidateOptionsResult.Fail($"Synapse:RateLimiting:Policies:{policy}:{window} must be a positive number (got {value}).");
                }
            }
        }
        return ValidateOptionsResult.Success;
    }
}

internal sealed class SearchOptionsValidator : IValidateOptions<SearchOptions>
{
    public ValidateOptionsResult Validate(string? name, SearchOptions options) =>
        options.MaxConcurrent is <= 0
            ? ValidateOptionsResult.Fail($"Synapse:Search:MaxConcurrent must be a positive number (got {options.MaxConcurrent}); leave it unset for twice the processor count.")
            : ValidateOptionsResult.Success;
}

internal sealed class DownloadsOptionsValidator : IValidateOptions<DownloadsOptions>
{
    public ValidateOptionsResult Validate(string? name, DownloadsOptions options) =>
        options.FlushInterval < TimeSpan.FromMilliseconds(10) || options.FlushInterval > TimeSpan.FromMinutes(1)
            ? ValidateOptionsResult.Fail("Synapse:Downloads:FlushInterval must be between 00:00:00.010 and 00:01:00 so counts show within a minute.")
            : ValidateOptionsResult.Success;
}

internal sealed class LimitsOptionsValidator : IValidateOptions<LimitsOptions>
{
    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        if (options.MaxTarballBytes < 1024)
        {
            return ValidateOptionsResult.Fail($"Synapse:Limits:MaxTarballBytes must be at least 1024 (got {options.MaxTarballBytes}).");
        }
        if (options.MaxUnpackedBytes < 1024)
        {
            return ValidateOptionsResult.Fail($"Synapse:Limits:MaxUnpackedBytes must be at least 1024 (got {options.MaxUnpackedBytes}).");
        }
        if (options.MaxEntries < 1)
        {
            return ValidateOptionsResult.Fail($"Synapse:Limits:MaxEntries must be at least 1 (got {options.MaxEntries}).");
        }
        return options.MaxCompressionRatio < 1
            ? ValidateOptionsResult.Fail($"Synapse:Limits:MaxCompressionRatio must be at least 1 (got {options.MaxCompressionRatio}).")
            : ValidateOptionsResult.Success;
    }
}

internal sealed class AuthOptionsValidator : IValidateOptions<AuthOptions>
{
    public ValidateOptionsResult Validate(string? name, AuthOptions options) =>
        options.PasswordIterations is < 1_000 or > 10_000_000
            ? ValidateOptionsResult.Fail($"Synapse:Auth:PasswordIterations must be between 1000 and 10000000 (got {options.PasswordIterations}).")
            : ValidateOptionsResult.Success;
}

internal sealed class JwtIssuerValidator : IValidateOptions<JwtOptions>
{
    public ValidateOptionsResult Validate(string? name, JwtOptions options) =>
        string.IsNullOrWhiteSpace(options.Issuer)
            ? ValidateOptionsResult.Fail("Synapse:Jwt:Issuer must not be empty.")
            : ValidateOptionsResult.Success;
}
