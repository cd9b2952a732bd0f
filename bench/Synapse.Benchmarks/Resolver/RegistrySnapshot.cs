using System.Text;
using System.Text.Json;
using Synapse.Resolver;
using Synapse.Versioning;

namespace Synapse.Benchmarks.Resolver;

/// <summary>
/// A resolution problem: <c>{"root": [[name, range], ...], "packages": {name: {version: {dependency: range}}}}</c>.
/// </summary>
public sealed class RegistrySnapshot
{
    public List<(string Name, string Range)> Root { get; } = [];

    public SortedDictionary<string, List<(string Version, List<(string Name, string Range)> Dependencies)>> Packages { get; } = new(StringComparer.Ordinal);

    public void Add(string name, string version, params (string Name, string Range)[] dependencies)
    {
        if (!Packages.TryGetValue(name, out var versions))
        {
            versions = [];
            Packages[name] = versions;
        }
        versions.Add((version, [.. dependencies]));
    }

    public int VersionCount => Packages.Values.Sum(v => v.Count);

    public InMemoryPackageSource ToSource()
    {
        var source = new InMemoryPackageSource();
        // As a registry client would: every version that repeats a dependency and range shares one parsed requirement.
        var requirements = new RequirementCache();
        foreach (var (name, versions) in Packages)
        {
            foreach (var (version, dependencies) in versions)
            {
                try
                {
                    source.Add(name, new PackageVersionInfo(SemanticVersion.Parse(version), dependencies.Select(d => requirements.Parse(d.Name, d.Range))));
                }
                catch (FormatException error)
                {
                    throw new InvalidDataException($"package '{name}' version '{version}': {error.Message}", error);
                }
            }
        }
        return source;
    }

    public ResolveRequest ToRequest()
    {
        try
        {
            return new ResolveRequest { Dependencies = [.. Root.Select(r => Requirement.Parse(r.Name, r.Range))] };
        }
        catch (FormatException error)
        {
            throw new InvalidDataException($"root: {error.Message}", error);
        }
    }

    public static RegistrySnapshot Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var snapshot = new RegistrySnapshot();
        var top = document.RootElement;
        if (top.ValueKind != JsonValueKind.Object) throw new InvalidDataException("expected a JSON object with \"root\" and \"packages\"");
        if (!top.TryGetProperty("root", out var root) || root.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("\"root\" must be an array of [name, range] pairs");
        }
        foreach (var pair in root.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException($"\"root\" entries must be [name, range] string pairs, found {pair.GetRawText()}");
            }
            snapshot.Root.Add((pair[0].GetString()!, pair[1].GetString()!));
        }
        if (!top.TryGetProperty("packages", out var packages) || packages.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException("\"packages\" must be an object {name: {version: {dependency: range}}}");
        }
        foreach (var package in packages.EnumerateObject())
        {
            if (package.Value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"package '{package.Name}' must map versions to dependency objects");
            foreach (var version in package.Value.EnumerateObject())
            {
                if (version.Value.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"package '{package.Name}' version '{version.Name}' must be an object {{dependency: range}}");
                var dependencies = version.Value.EnumerateObject().Select(d => d.Value.ValueKind == JsonValueKind.String
                    ? (d.Name, d.Value.GetString()!)
                    : throw new InvalidDataException($"package '{package.Name}' version '{version.Name}': range of '{d.Name}' must be a string")).ToArray();
                snapshot.Add(package.Name, version.Name, dependencies);
            }
        }
        return snapshot;
    }

    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("root");
            foreach (var (name, range) in Root)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(name);
                writer.WriteStringValue(range);
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
            writer.WriteStartObject("packages");
            foreach (var (name, versions) in Packages)
            {
                writer.WriteStartObject(name);
                foreach (var (version, dependencies) in versions)
                {
                    writer.WriteStartObject(version);
                    foreach (var (dependency, range) in dependencies) writer.WriteString(dependency, range);
                    writer.WriteEndObject();
                }
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
