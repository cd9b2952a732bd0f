using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Synapse.Versioning;

namespace Synapse.Resolver;

/// <summary>
/// Parses dependency requirements, handing out one shared <see cref="Requirement"/> per distinct
/// (name, range text). Registries repeat the same ranges across a package's versions, and a handful
/// of ranges (<c>^1.0.0</c>) across packages, so a source that builds its versions through one cache
/// parses each range text once and keeps one copy of its strings and parsed form, which makes the
/// metadata smaller and the resolver's reading of it cheaper. Requirements on one package share its name string.
/// </summary>
/// <remarks>Not thread-safe: use one cache per package (or per thread) while building its versions.</remarks>
public sealed class RequirementCache
{
    private readonly Dictionary<(string Name, string Range), Requirement?> _parsed = [];
    private readonly Dictionary<string, (VersionRange Range, string Spelling)?> _ranges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    /// <summary>How many distinct (name, range text) pairs were parsed.</summary>
    public int Count => _parsed.Count;

    /// <summary>Like <see cref="Requirement.Parse"/>, but the same pair gives the same instance.</summary>
    /// <exception cref="FormatException"><paramref name="range"/> is not a valid range.</exception>
    public Requirement Parse(string name, string range)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(range);
        if (_parsed.TryGetValue((name, range), out var known) && known is not null) return known;
        // An invalid range is parsed again only to throw its own explanation.
        var (parsed, spelling) = SharedRange(range) ?? (VersionRange.Parse(range), range);
        var requirement = new Requirement(SharedName(name), parsed, spelling);
        _parsed[(name, range)] = requirement;
        return requirement;
    }

    /// <summary>
    /// The shared requirement for the pair, or false when <paramref name="range"/> is not a valid
    /// range (remembered too, so an invalid range repeated across versions is parsed once).
    /// </summary>
    public bool TryParse(string name, string range, [NotNullWhen(true)] out Requirement? requirement)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(range);
        if (!_parsed.TryGetValue((name, range), out requirement))
        {
            requirement = SharedRange(range) is var (parsed, spelling) ? new Requirement(SharedName(name), parsed, spelling) : null;
            _parsed[(name, range)] = requirement;
        }
        return requirement is not null;
    }

    /// <summary>One string per package name, so requirements on a package compare its name by reference.</summary>
    private string SharedName(string name)
    {
        ref var shared = ref CollectionsMarshal.GetValueRefOrAddDefault(_names, name, out var known);
        if (!known) shared = name;
        return shared!;
    }

    /// <summary>The parsed range and its spelling (trimmed, as <see cref="Requirement.Parse"/> keeps it), or null when invalid.</summary>
    private (VersionRange Range, string Spelling)? SharedRange(string text)
    {
        if (!_ranges.TryGetValue(text, out var shared))
        {
            shared = VersionRange.TryParse(text, out var parsed) ? (parsed, text.Trim()) : null;
            _ranges[text] = shared;
        }
        return shared;
    }
}
