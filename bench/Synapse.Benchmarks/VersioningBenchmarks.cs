using BenchmarkDotNet.Attributes;
using Synapse.Versioning;

namespace Synapse.Benchmarks;

[MemoryDiagnoser]
public class VersioningBenchmarks
{
    private readonly SemanticVersion _left = SemanticVersion.Parse("1.2.3-beta.4");
    private readonly SemanticVersion _right = SemanticVersion.Parse("1.2.3-beta.11");
    private readonly VersionRange _caret = VersionRange.Parse("^1.2.3");
    private readonly VersionRange _union = VersionRange.Parse(">=1.2.3-alpha <1.5.0 || ~2.4 || 3.x");
    private SemanticVersion[] _versions = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _versions = Enumerable.Range(0, 1000)
            .Select(i => SemanticVersion.Create(random.Next(0, 4), random.Next(0, 10), random.Next(0, 20), i % 10 == 0 ? ["beta", (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture)] : null))
            .ToArray();
    }

    [Benchmark]
    public SemanticVersion ParseVersion() => SemanticVersion.Parse("1.22.333-rc.1+build.5");

    [Benchmark]
    public int CompareVersions() => _left.CompareTo(_right);

    private int _distinct;

    /// <summary>Repeated text: served from the parse cache after the first call.</summary>
    [Benchmark]
    public VersionRange ParseCaretRangeRepeated() => VersionRange.Parse("^1.2.3");

    /// <summary>A new text every call (cycling through more texts than the cache holds): the full desugaring.</summary>
    [Benchmark]
    public VersionRange ParseCaretRangeDistinct() => VersionRange.Parse(DistinctText("^1.2."));

    /// <summary>A new text every call with a union, prereleases, tilde, x-range and a hyphen range.</summary>
    [Benchmark]
    public VersionRange ParseComplexRangeDistinct() => VersionRange.Parse(DistinctText(">=1.2.3-alpha <1.5.0 || ~2.4 || 3.x || 4.1.2 - 4.3."));

    private string DistinctText(string prefix)
    {
        _distinct = (_distinct + 1) % 1_000_000;
        return prefix + _distinct.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    [Benchmark]
    public int SatisfiesCaretOver1000Versions()
    {
        var count = 0;
        foreach (var version in _versions)
        {
            if (_caret.IsSatisfiedBy(version))
            {
                count++;
            }
        }

        return count;
    }

    [Benchmark]
    public int SatisfiesUnionOver1000Versions()
    {
        var count = 0;
        foreach (var version in _versions)
        {
            if (_union.IsSatisfiedBy(version))
            {
                count++;
            }
        }

        return count;
    }

    [Benchmark]
    public VersionRange Intersect() => _union.Intersect(_caret);
}
