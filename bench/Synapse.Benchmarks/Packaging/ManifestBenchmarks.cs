using BenchmarkDotNet.Attributes;
using Synapse.Packaging;

namespace Synapse.Benchmarks.Packaging;

/// <summary>Parsing a realistic manifest with 20 dependencies.</summary>
[MemoryDiagnoser]
public class ManifestBenchmarks
{
    private readonly string _manifest =
        "[package]\nname = \"http-client\"\nversion = \"1.4.0\"\ndescription = \"An HTTP client\"\nlicense = \"MIT OR Apache-2.0\"\n" +
        "authors = [\"Ada Lovelace <ada@example.org>\"]\nkeywords = [\"http\", \"network\"]\n" +
        "repository = \"https://example.org/http-client\"\nreadme = \"README.md\"\n\n[dependencies]\n" +
        string.Concat(Enumerable.Range(0, 20).Select(i => $"dep-{i} = \"^{i}.2.0\"\n"));

    [Benchmark]
    public PackageManifest Parse() => ManifestParser.Parse(_manifest, "synapse.toml", ManifestMode.Publish);
}
