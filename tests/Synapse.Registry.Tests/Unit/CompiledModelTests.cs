using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Synapse.Registry.Data;
using Synapse.Registry.Data.CompiledModels.Postgres;
using Synapse.Registry.Data.CompiledModels.Sqlite;
using Synapse.Registry.Tests.Infrastructure;
using Xunit;

namespace Synapse.Registry.Tests.Unit;

/// <summary>
/// The registry runs on the models generated into Data/CompiledModels and skips EF Core's startup check for model
/// changes without a migration, so both checks live here. Neither needs a database server.
/// </summary>
public sealed class CompiledModelTests
{
    public static TheoryData<string> Providers => new() { "Sqlite", "Postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Compiled_model_matches_the_entities_and_OnModelCreating(string provider)
    {
        using var db = CreateContext(provider);
        var compiled = db.Model;
        var built = db.GetService<IModelSource>().GetModel(db, db.GetService<ModelCreationDependencies>(), designTime: false);

        Assert.IsAssignableFrom<RuntimeModel>(compiled);
        Assert.IsNotType(compiled.GetType(), built);
        var builtLines = Describe(built);
        var compiledLines = Describe(compiled);
        Assert.NotEmpty(builtLines);
        var onlyInCode = builtLines.Except(compiledLines).ToList();
        var onlyCompiled = compiledLines.Except(builtLines).ToList();
        Assert.True(onlyInCode.Count == 0 && onlyCompiled.Count == 0,
            $"The {provider} compiled model is stale: the entities or OnModelCreating changed since it was generated. " +
            $"Regenerate it from the repository root with:{Environment.NewLine}{RegenerateCommand(provider)}{Environment.NewLine}" +
            $"In the code, not in the compiled model:{Lines(onlyInCode)}{Environment.NewLine}" +
            $"In the compiled model, not in the code:{Lines(onlyCompiled)}");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_cover_every_model_change(string provider)
    {
        using var db = CreateContext(provider);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The model changed since the last {provider} migration. Add one from the repository root with:{Environment.NewLine}" +
            $"dotnet ef migrations add <Name> -p src/Synapse.Registry -s src/Synapse.Registry -c {provider}RegistryDbContext " +
            $"-o Data/Migrations/{provider}{Environment.NewLine}then regenerate the compiled model:{Environment.NewLine}{RegenerateCommand(provider)}");
    }

    [Fact]
    public void The_registry_runs_on_the_compiled_models_without_the_startup_model_check()
    {
        using var factory = new RegistryFactory();
        var sqlite = factory.Services.GetRequiredService<DbContextOptions<SqliteRegistryDbContext>>().FindExtension<CoreOptionsExtension>()!;
        var postgres = factory.Services.GetRequiredService<DbContextOptions<PostgresRegistryDbContext>>().FindExtension<CoreOptionsExtension>()!;

        Assert.Same(SqliteRegistryDbContextModel.Instance, sqlite.Model);
        Assert.Same(PostgresRegistryDbContextModel.Instance, postgres.Model);
        Assert.Equal(WarningBehavior.Ignore, sqlite.WarningsConfiguration.GetBehavior(RelationalEventId.PendingModelChangesWarning));
        Assert.Equal(WarningBehavior.Ignore, postgres.WarningsConfiguration.GetBehavior(RelationalEventId.PendingModelChangesWarning));
        using var scope = factory.Services.CreateScope();
        Assert.IsType<SqliteRegistryDbContextModel>(scope.ServiceProvider.GetRequiredService<RegistryDbContext>().Model);
    }

    private static string RegenerateCommand(string provider) =>
        $"dotnet tool restore && dotnet ef dbcontext optimize -p src/Synapse.Registry -s src/Synapse.Registry " +
        $"-c {provider}RegistryDbContext -o Data/CompiledModels/{provider} -n Synapse.Registry.Data.CompiledModels.{provider}";

    /// <summary>A context as the registry configures it; building models needs no database.</summary>
    private static RegistryDbContext CreateContext(string provider) => provider switch
    {
        "Sqlite" => new SqliteRegistryDbContext(new DbContextOptionsBuilder<SqliteRegistryDbContext>()
            .UseSqlite("Data Source=:memory:").UseCompiledModel(SqliteRegistryDbContextModel.Instance).Options),
        "Postgres" => new PostgresRegistryDbContext(new DbContextOptionsBuilder<PostgresRegistryDbContext>()
            .UseNpgsql("Host=localhost;Database=synapse_model_check").UseCompiledModel(PostgresRegistryDbContextModel.Instance).Options),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "unknown provider"),
    };

    /// <summary>
    /// What the registry relies on at run time, one line each: entity types and their tables, properties with their
    /// columns, store types, nullability, lengths, converters and value generation, keys, foreign keys, navigations and
    /// indexes. Annotations are left out: a compiled model keeps only those needed at run time.
    /// </summary>
    private static List<string> Describe(IModel model)
    {
        var lines = new List<string>();
        foreach (var entity in model.GetEntityTypes())
        {
            var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            lines.Add($"{entity.Name} -> table {entity.GetTableName()}");
            foreach (var property in entity.GetProperties())
            {
                lines.Add($"{entity.Name}.{property.Name}: {property.ClrType.Name} -> column {property.GetColumnName(table)} " +
                    $"{property.GetRelationalTypeMapping().StoreType}, nullable {property.IsColumnNullable(table)}, " +
                    $"max length {property.GetMaxLength()}, converter {property.GetValueConverter()?.GetType().Name}, " +
                    $"generated {property.ValueGenerated}, computed {property.GetComputedColumnSql(table)}, " +
                    $"default {property.GetDefaultValueSql(table)}, concurrency {property.IsConcurrencyToken}");
            }
            foreach (var key in entity.GetKeys())
            {
                lines.Add($"{entity.Name} key ({Names(key.Properties)}) primary {key.IsPrimaryKey()}, name {key.GetName(table)}");
            }
            foreach (var foreignKey in entity.GetForeignKeys())
            {
                lines.Add($"{entity.Name} foreign key ({Names(foreignKey.Properties)}) -> {foreignKey.PrincipalEntityType.Name} " +
                    $"({Names(foreignKey.PrincipalKey.Properties)}), unique {foreignKey.IsUnique}, required {foreignKey.IsRequired}, " +
                    $"on delete {foreignKey.DeleteBehavior}, name {foreignKey.GetConstraintName()}");
            }
            foreach (var navigation in entity.GetNavigations())
            {
                lines.Add($"{entity.Name} navigation {navigation.Name} -> {navigation.TargetEntityType.Name}, " +
                    $"collection {navigation.IsCollection}, on dependent {navigation.IsOnDependent}");
            }
            foreach (var index in entity.GetIndexes())
            {
                lines.Add($"{entity.Name} index ({Names(index.Properties)}) unique {index.IsUnique}, name {index.GetDatabaseName(table)}, " +
                    $"filter {index.GetFilter(table)}");
            }
        }
        return lines;
    }

    private static string Lines(List<string> lines) =>
        lines.Count == 0 ? " none" : string.Concat(lines.Select(line => $"{Environment.NewLine}  {line}"));

    private static string Names(IReadOnlyList<IReadOnlyProperty> properties) => string.Join(", ", properties.Select(p => p.Name));
}
