namespace Synapse.Registry.Options;

internal sealed class DatabaseOptions
{
    public const string Section = "Synapse:Database";
    public string Provider { get; set; } = "Sqlite";
    public string ConnectionString { get; set; } = "Data Source=data/registry.db";
}

internal sealed class StorageOptions
{
    public const string Section = "Synapse:Storage";
    public string Provider { get; set; } = "FileSystem";
    public string Path { get; set; } = "data/packages";
    /// <summary>Answer tarball downloads with a redirect to a presigned address when the store offers one.</summary>
    public bool PresignedDownloads { get; set; }
    /// <summary>How old an unreferenced blob must be before the sweep removes it.</summary>
    public TimeSpan OrphanAge { get; set; } = TimeSpan.FromHours(1);
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(1);
}

internal sealed class JwtOptions
{
    public const string Section = "Synapse:Jwt";
    public const string DevelopmentDefaultKey = "change-me";
    public string? SigningKey { get; set; }
    public string Issuer { get; set; } = "synapse-registry";
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);
}

internal sealed class AuthOptions
{
    public const string Section = "Synapse:Auth";
    public int PasswordIterations { get; set; } = Auth.PasswordHasher.DefaultIterations;
}

internal sealed class LimitsOptions
{
    public const string Section = "Synapse:Limits";
    public long MaxTarballBytes { get; set; } = 10 * 1024 * 1024;
    public long MaxUnpackedBytes { get; set; } = 50 * 1024 * 1024;
    public int MaxEntries { get; set; } = 10_000;
    public double MaxCompressionRatio { get; set; } = 100;
}

internal sealed class CorsOptions
{
    public const string Section = "Synapse:Cors";
    public string[] Origins { get; set; } = [];
}

internal sealed class DownloadsOptions
{
    public const string Section = "Synapse:Downloads";
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Key of the HMAC over client addresses; derived from the JWT key when empty.</summary>
    public string? IpHashKey { get; set; }
}

internal sealed class SearchOptions
{
    public const string Section = "Synapse:Search";
    /// <summary>How many searches run at once on this instance (the others wait); twice the processor count when unset.</summary>
    public int? MaxConcurrent { get; set; }

    public int EffectiveMaxConcurrent => MaxConcurrent ?? 2 * Environment.ProcessorCount;
}

internal sealed class MemoryOptions
{
    public const string Section = "Synapse:Memory";
    /// <summary>How often free native heap pages go back to the system (glibc only); zero turns it off.</summary>
    public TimeSpan NativeHeapTrimInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Whether pages of mapped files that only warm-up touched go back to the system (Linux only).</summary>
    public bool ReleaseWarmUpPages { get; set; } = true;
}

internal sealed class RateLimitingOptions
{
    public const string Section = "Synapse:RateLimiting";
    public bool Enabled { get; set; } = true;
    public string Store { get; set; } = "Memory";
    public string? Redis { get; set; }
    public Dictionary<string, RateLimitPolicyOptions> Policies { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

internal sealed class RateLimitPolicyOptions
{
    public int? PerMinute { get; set; }
    public int? PerHour { get; set; }
    public int? PerDay { get; set; }
}
