namespace Synapse.Resolver.Solving;

/// <summary>
/// Per-package values in one array indexed by <see cref="PackageUniverse.Id"/>, growing as packages
/// arrive: the solver's hot loops read their state without hashing package names.
/// </summary>
internal sealed class PackageTable<T>
{
    private T[] _items = new T[64];

    public ref T this[int id]
    {
        get
        {
            if (id >= _items.Length) Array.Resize(ref _items, Math.Max(id + 1, _items.Length * 2));
            return ref _items[id];
        }
    }
}
