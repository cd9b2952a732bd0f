namespace Synapse.Packaging;

/// <summary>
/// The file paths of one archive, catching paths that would land on the same file on some OS: exact, letter-case
/// and Unicode-normalization duplicates, and a path used both as a file and as a folder.
/// </summary>
internal sealed class ArchivePathSet
{
    private readonly HashSet<string> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _foldedFiles = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _foldedFolders = new(StringComparer.Ordinal);

    public int Count => _files.Count;

    public bool Contains(string path) => _files.Contains(path);

    /// <summary>Adds a validated path; returns null, or why it collides with a path already added.</summary>
    public string? Add(string path)
    {
        if (!_files.Add(path))
            return "it appears twice in the archive (duplicate path)";
        var folded = Fold(path);
        if (_foldedFiles.TryGetValue(folded, out var other))
        {
            return string.Equals(other.ToUpperInvariant(), path.ToUpperInvariant(), StringComparison.Ordinal)
                ? $"it differs from '{other}' only in letter case; both would be the same file on Windows and macOS"
                : $"it is the same as '{other}' after Unicode normalization; both would be the same file on macOS";
        }
        if (_foldedFolders.TryGetValue(folded, out var folder))
            return $"'{folder}' is already a folder in the archive, so it cannot also be a file";

        for (var slash = path.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var parent = path[..slash];
            var foldedParent = Fold(parent);
            if (_foldedFiles.TryGetValue(foldedParent, out var file))
                return $"'{file}' is a file in the archive, so it cannot also be a folder";
            _foldedFolders.TryAdd(foldedParent, parent);
        }
        _foldedFiles[folded] = path;
        return null;
    }

    private static string Fold(string path) => UnicodeFold.Decompose(path).ToUpperInvariant();
}
