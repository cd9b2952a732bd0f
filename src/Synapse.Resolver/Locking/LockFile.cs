using Synapse.Versioning;

namespace Synapse.Resolver.Locking;

/// <summary>One package pinned by <c>synapse.lock</c>.</summary>
/// <param name="Name">Package name.</param>
/// <param name="Version">The exact version.</param>
/// <param name="Source">Where it came from, e.g. <c>registry+http://127.0.0.1:5080</c>.</param>
/// <param name="Checksum">Archive digest, e.g. <c>sha256:9f86d08...</c>.</param>
/// <param name="Dependencies">Its resolved dependencies as <c>"name version"</c> strings.</param>
public sealed record LockedPackage(string Name, SemanticVersion Version, string Source, string Checksum, IReadOnlyList<string> Dependencies)
{
    /// <summary>Structural equality, including the dependency list.</summary>
    public bool Equals(LockedPackage? other) =>
        other is not null && Name == other.Name && Version == other.Version && Version.ToString() == other.Version.ToString()
        && Source == other.Source && Checksum == other.Checksum && Dependencies.SequenceEqual(other.Dependencies);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Version, Source, Checksum, Dependencies.Count);
}

/// <summary>The contents of <c>synapse.lock</c> (DESIGN §4).</summary>
public sealed class LockFile
{
    /// <summary>The format version this build reads and writes.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The conventional file name.</summary>
    public const string FileName = "synapse.lock";

    /// <summary>Creates a lock file; packages are kept in the order given and sorted when written.</summary>
    public LockFile(IEnumerable<LockedPackage> packages, int version = CurrentVersion)
    {
        ArgumentNullException.ThrowIfNull(packages);
        Version = version;
        Packages = [.. packages];
    }

    /// <summary>Format version.</summary>
    public int Version { get; }

    /// <summary>Pinned packages.</summary>
    public IReadOnlyList<LockedPackage> Packages { get; }

    /// <summary>The pinned versions by name, ready for <see cref="ResolveRequest.Locked"/>.</summary>
    public IReadOnlyDictionary<string, SemanticVersion> LockedVersions() =>
        Packages.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Version, StringComparer.Ordinal);

    /// <summary>
    /// Builds the lock file for a resolution; <paramref name="describe"/> supplies each package's
    /// source and checksum.
    /// </summary>
    public static LockFile FromResolution(Resolution resolution, Func<string, SemanticVersion, (string Source, string Checksum)> describe)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        ArgumentNullException.ThrowIfNull(describe);
        return new LockFile(resolution.Packages.Select(p =>
        {
            var (source, checksum) = describe(p.Name, p.Version);
            return new LockedPackage(p.Name, p.Version, source, checksum, [.. p.Dependencies.Select(d => $"{d.Key} {d.Value}")]);
        }));
    }

    /// <summary>The exact bytes of the lock file: header comment, sorted by name, deterministic.</summary>
    public string Write() => LockFileWriter.Write(this);

    /// <summary>Parses lock file text; throws <see cref="LockFileException"/> naming the line that is wrong.</summary>
    public static LockFile Parse(string text) => LockFileReader.Parse(text);

    /// <summary>Reads <paramref name="path"/>; null when it does not exist.</summary>
    public static async Task<LockFile?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) return null;
        return Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Writes the lock file atomically (temporary file, then rename).</summary>
    public async Task WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        var temporary = path + ".tmp";
        await File.WriteAllTextAsync(temporary, Write(), new System.Text.UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        File.Move(temporary, path, overwrite: true);
    }
}

/// <summary>A lock file that cannot be read; the message says where and what to do.</summary>
public sealed class LockFileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LockFileException() : base("synapse.lock is malformed.") { }

    /// <summary>Creates the exception.</summary>
    public LockFileException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public LockFileException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a line (1-based).</summary>
    public LockFileException(string message, int line) : base($"synapse.lock line {line}: {message}")
    {
        Line = line;
    }

    /// <summary>The 1-based line at fault, when there is one.</summary>
    public int? Line { get; }
}
