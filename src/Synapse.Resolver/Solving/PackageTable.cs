namespace Synapse.Resolver.Solving;

/// <summary>
/// Per-package values indexed by <see cref="PackageUniverse.Id"/>, growing as packages are
/// mentioned: the solver's hot loops read their state without hashing package names.
/// </summary>
/// <remarks>
/// Entries live in fixed-size pages that never move: growing allocates one more page instead of
/// copying the table (which, doubling, allocated about twice its final size), and a
/// <c>ref</c> to an entry stays valid while later ids are added.
/// </remarks>
internal sealed class PackageTable<T>
{
    private const int PageBits = 8;
    private const int PageSize = 1 << PageBits;
    private T[]?[] _pages = new T[]?[16];

    public ref T this[int id]
    {
        get
        {
            var page = id >> PageBits;
            if (page >= _pages.Length) Array.Resize(ref _pages, Math.Max(page + 1, _pages.Length * 2));
            var items = _pages[page] ??= new T[PageSize];
            return ref items[id & (PageSize - 1)];
        }
    }
}
