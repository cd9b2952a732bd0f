namespace Synapse.Resolver.Solving;

/// <summary>
/// The incompatibilities that mention each package, newest first: one linked list per package
/// threaded through two shared growing arrays, instead of a list object and its buffers per package.
/// </summary>
internal sealed class IncompatibilityIndex
{
    /// <summary>Per package id: its newest entry plus one (0, the default, means none).</summary>
    private readonly PackageTable<int> _newest = new();
    private Incompatibility[] _incompatibilities = new Incompatibility[256];
    private int[] _older = new int[256];
    private int _count;

    /// <summary>Files <paramref name="incompatibility"/> under each package its terms name.</summary>
    public void Add(Incompatibility incompatibility)
    {
        foreach (var term in incompatibility.Terms)
        {
            if (_count == _incompatibilities.Length)
            {
                Array.Resize(ref _incompatibilities, _count * 2);
                Array.Resize(ref _older, _count * 2);
            }
            ref var newest = ref _newest[term.PackageId];
            _incompatibilities[_count] = incompatibility;
            _older[_count] = newest - 1;
            newest = ++_count;
        }
    }

    /// <summary>The newest entry for <paramref name="package"/>, or -1; walk on with <see cref="Older"/>.</summary>
    public int Newest(int package) => _newest[package] - 1;

    /// <summary>The entry filed before <paramref name="entry"/> for the same package, or -1.</summary>
    public int Older(int entry) => _older[entry];

    /// <summary>The incompatibility of an entry.</summary>
    public Incompatibility this[int entry] => _incompatibilities[entry];
}
