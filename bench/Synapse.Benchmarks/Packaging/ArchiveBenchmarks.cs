using BenchmarkDotNet.Attributes;
using Synapse.Packaging;

namespace Synapse.Benchmarks.Packaging;

/// <summary>
/// Archive throughput: a typical package (200 source files, ~2 MiB) and a large one (2,000 files, ~20 MiB),
/// inspected from memory, extracted to disk, and packed from disk.
/// </summary>
[MemoryDiagnoser]
public class ArchiveBenchmarks
{
    private readonly ArchiveLimits _limits = new();
    private string _root = "";
    private string _source = "";
    private byte[] _tgz = [];

    [Params(200, 2000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), $"synapse-bench-{Guid.NewGuid():N}");
        _source = Path.Combine(_root, "source");
        Directory.CreateDirectory(_source);
        File.WriteAllText(Path.Combine(_source, "synapse.toml"),
            "[package]\nname = \"bench\"\nversion = \"1.0.0\"\nlicense = \"MIT\"\n\n[dependencies]\njson = \"^2.1.0\"\n");
        File.WriteAllText(Path.Combine(_source, "README.md"), "# Bench\n" + new string('x', 4000));
        var random = new Random(42);
        // Source-like text: keywords and a few thousand identifiers compress about 4:1, like real code.
        var vocabulary = Keywords.Concat(Enumerable.Range(0, 3000).Select(_ =>
            new string(Enumerable.Range(0, random.Next(3, 12)).Select(_ => (char)('a' + random.Next(26))).ToArray()))).ToArray();
        for (var i = 0; i < Files; i++)
        {
            var folder = Path.Combine(_source, "src", $"module{i % 20:D2}");
            Directory.CreateDirectory(folder);
            var words = Enumerable.Range(0, 1500).Select(_ => vocabulary[random.Next(vocabulary.Length)]);
            File.WriteAllText(Path.Combine(folder, $"file{i:D4}.syn"), string.Join(' ', words));
        }
        using var output = new MemoryStream();
        PackageArchive.PackAsync(_source, output).GetAwaiter().GetResult();
        _tgz = output.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark]
    public Task<ArchiveInspection> Inspect() => PackageArchive.InspectAsync(new MemoryStream(_tgz, writable: false), _limits);

    [Benchmark]
    public Task<ArchiveInspection> Extract() =>
        PackageArchive.ExtractAsync(new MemoryStream(_tgz, writable: false), Path.Combine(_root, "installed"), _limits);

    [Benchmark]
    public Task<PackResult> Pack() => PackageArchive.PackAsync(_source, Stream.Null);

    private static readonly string[] Keywords =
        ["let", "fn", "return", "if", "else", "match", "value", "result", "error", "string", "count", "index",
         "buffer", "request", "response", "client", "header", "body", "async", "await", "{", "}", "(", ")", ";"];
}
