using Synapse.Packaging;

namespace Synapse.Cli.Infrastructure;

/// <summary>A command-line package reference: <c>NAME</c> or <c>NAME@VERSION-OR-RANGE</c>.</summary>
internal sealed record PackageSpec(string Name, string? Version)
{
    public static PackageSpec Parse(string text, bool versionRequired = false)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var name = at < 0 ? text : text[..at];
        var version = at < 0 ? null : text[(at + 1)..];
        ValidateName(name);
        if (version is not null && version.Length == 0)
        {
            throw CliException.Usage($"'{text}' has nothing after '@'. Write NAME@VERSION, e.g. {name}@1.0.0.");
        }
        if (versionRequired && version is null)
        {
            throw CliException.Usage($"'{text}' names no version. Write NAME@VERSION, e.g. {name}@1.0.0.");
        }
        return new PackageSpec(name, version);
    }

    public static void ValidateName(string name)
    {
        if (PackageName.Validate(name) is { } problem)
        {
            throw CliException.Usage($"'{name}' is not a valid package name: {problem}.");
        }
    }

    public static string Canonical(string name) => PackageName.Canonicalize(name);
}
