using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Auth;
using Synapse.Registry.Data;
using Synapse.Registry.Data.CompiledModels.Sqlite;
using Synapse.Registry.Downloads;
using Synapse.Registry.Options;
using Synapse.Registry.Packages;
using Synapse.Registry.RateLimiting;
using Synapse.Registry.Search;
using Synapse.Registry.Storage;

namespace Synapse.Registry.Hosting;

internal static class RegistryServices
{
    public static IServiceCollection AddRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.Section).ValidateOnStart();
        services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateOnStart();
        services.AddOptions<CorsOptions>().BindConfiguration(CorsOptions.Section);
        services.AddOptions<DownloadsOptions>().BindConfiguration(DownloadsOptions.Section).ValidateOnStart();
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.Section).ValidateOnStart();
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateOnStart();
        services.AddOptions<MemoryOptions>().BindConfiguration(MemoryOptions.Section);
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtOptionsValidator>();
        services.AddSingleton<IValidateOptions<JwtOptions>, JwtIssuerValidator>();
        services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidator>();
        services.AddSingleton<IValidateOptions<LimitsOptions>, LimitsOptionsValidator>();
        services.AddSingleton<IValidateOptions<DownloadsOptions>, DownloadsOptionsValidator>();
        services.AddSingleton<IValidateOptions<SearchOptions>, SearchOptionsValidator>();
        services.AddSingleton<IValidateOptions<RateLimitingOptions>, RateLimitingOptionsValidator>();

        services.TryAddSingletonTimeProvider();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull;
            json.SerializerOptions.TypeInfoResolverChain.Insert(0, RegistryJsonContext.Default);
        });
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsCustomizer.Customize);
        services.AddExceptionHandler<RegistryExceptionHandler>();
        services.AddOpenApi();
        services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            var origins = configuration.GetSection(CorsOptions.Section).Get<CorsOptions>()?.Origins ?? [];
            policy.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("ETag", "Retry-After", "RateLimit", "RateLimit-Policy");
        }));

        AddDatabase(services);
        AddStorage(services);
        AddRateLimiting(services);

        services.AddSingleton(sp => new PasswordHasher(sp.GetRequiredService<IOptions<AuthOptions>>().Value.PasswordIterations));
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<SessionTokens>();
        services.AddScoped<CallerAuthenticator>();
        services.AddSingleton<MetadataCache>();
        services.AddScoped<PackageStore>();
        services.AddScoped<PackageDocuments>();
        services.AddSingleton<BlobKeyLocks>();
        services.AddSingleton<DownloadRecorder>();
        services.AddSingleton<DownloadFlusher>();
        services.AddHostedService(sp => sp.GetRequiredService<DownloadFlusher>());
        services.AddSingleton<OrphanBlobSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<OrphanBlobSweeper>());
        services.AddSingleton<NativeHeapTrimmer>();
        services.AddHostedService(sp => sp.GetRequiredService<NativeHeapTrimmer>());
        services.AddHostedService<WarmUpPageReleaser>();
        services.AddProductionBackends(configuration);
        return services;
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (services.All(s => s.ServiceType != typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }

    private static void AddDatabase(IServiceCollection services)
    {
        // Options built once (singleton), not per request: rebuilding them resolved the path and created the data
        // folder on every DbContext a request asked for.
        services.AddDbContext<SqliteRegistryDbContext>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var environment = sp.GetRequiredService<IHostEnvironment>();
            options.UseSqlite(SqliteConnectionStrings.Prepare(database.ConnectionString, environment.ContentRootPath));
            options.UseCompiledModel(SqliteRegistryDbContextModel.Instance);
            options.AddInterceptors(SqlitePragmas.Instance);
        }, optionsLifetime: ServiceLifetime.Singleton);
        services.AddScoped<RegistryDbContext>(sp =>
        {
            var provider = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider;
            return provider switch
            {
                "Sqlite" => sp.GetRequiredService<SqliteRegistryDbContext>(),
                "Postgres" => sp.GetRequiredService<PostgresRegistryDbContext>(),
                _ => throw new OptionsValidationException(DatabaseOptions.Section, typeof(DatabaseOptions),
                    [$"Synapse:Database:Provider '{provider}' is not available in this build; use 'Sqlite' or 'Postgres'."]),
            };
        });
        services.AddSingleton(sp => new SearchConcurrency(sp.GetRequiredService<IOptions<SearchOptions>>().Value.EffectiveMaxConcurrent));
        services.AddSingleton<TermFrequencies>();
        services.AddScoped<IPackageSearch>(sp =>
        {
            var provider = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider;
            return provider switch
            {
                "Sqlite" => new SqliteFtsPackageSearch(sp.GetRequiredService<RegistryDbContext>(), sp.GetRequiredService<TermFrequencies>()),
                "Postgres" => new PostgresPackageSearch(sp.GetRequiredService<RegistryDbContext>()),
                _ => throw new InvalidOperationException($"No search for database provider '{provider}'."),
            };
        });
    }

    private static void AddStorage(IServiceCollection services)
    {
        services.AddSingleton<IBlobStore>(sp =>
        {
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var environment = sp.GetRequiredService<IHostEnvironment>();
            return storage.Provider switch
            {
                "FileSystem" => new FileSystemBlobStore(Path.GetFullPath(storage.Path, environment.ContentRootPath)),
                "S3" => sp.GetRequiredService<Storage.S3.S3BlobStore>(),
                _ => throw new OptionsValidationException(StorageOptions.Section, typeof(StorageOptions),
                    [$"Synapse:Storage:Provider '{storage.Provider}' is not available in this build; use 'FileSystem' or 'S3'."]),
            };
        });
    }

    private static void AddRateLimiting(IServiceCollection services)
    {
        services.AddSingleton<RateLimitPolicies>();
        services.AddSingleton<IRateLimitStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RateLimitingOptions>>().Value;
            return options.Store switch
            {
                "Memory" => new MemoryRateLimitStore(sp.GetRequiredService<TimeProvider>()),
                "Redis" => sp.GetRequiredService<RedisRateLimitStore>(),
                _ => throw new OptionsValidationException(RateLimitingOptions.Section, typeof(RateLimitingOptions),
                    [$"Synapse:RateLimiting:Store '{options.Store}' is not available in this build; use 'Memory'."]),
            };
        });
    }
}

internal static class SqliteConnectionStrings
{
    /// <summary>Resolves a relative data source against the content root and creates its folder.</summary>
    public static string Prepare(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(builder.DataSource) && builder.DataSource != ":memory:")
        {
            builder.DataSource = Path.GetFullPath(builder.DataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(builder.DataSource)!);
        }
        return builder.ToString();
    }
}

/// <summary>Per-connection SQLite settings: wait on locks rather than fail, and make commits durable.</summary>
internal sealed class SqlitePragmas : Microsoft.EntityFrameworkCore.Diagnostics.DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    public override void ConnectionOpened(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData)
    {
        Apply(connection);
    }

    public override Task ConnectionOpenedAsync(System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(System.Data.Common.DbConnection connection)
    {
        SqliteBm25.Register((SqliteConnection)connection);
        using var command = connection.CreateCommand();
        // A 512 KiB page cache per connection instead of 2 MiB: every pooled connection keeps its own, pages it misses
        // are still in the OS's cache, and search p50 at 100,000 packages did not change (docs/BENCHMARKS.md).
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA cache_size = -512;";
        command.ExecuteNonQuery();
    }
}
