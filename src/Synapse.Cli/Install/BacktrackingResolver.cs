using Synapse.Cli.Infrastructure;
using Synapse.Protocol.Client;
using Synapse.Protocol.Contracts;
using Synapse.Versioning;

namespace Synapse.Cli.Install;

/// <summary>
/// A depth-first backtracking resolver: highest acceptable version first, locked versions preferred while they still
/// satisfy, yanked versions skipped unless locked. Stands in until the PubGrub resolver is wired in.
/// </summary>
internal sealed class BacktrackingResolver : IDependencyResolver
{
    public async Task<IReadOnlyDictionary<string, ResolvedPackage>> ResolveAsync(
        ResolutionRequest request, Func<string, CancellationToken, Task<VersionsDocument>> versions, CancellationToken cancellationToken)
    {
        var candidates = new Dictionary<string, List<Candidate>>(StringComparer.Ordinal);
        async Task<List<Candidate>> CandidatesOf(string name)
        {
            var key = PackageSpec.Canonical(name);
            if (!candidates.TryGetValue(key, out var list))
            {
                var document = await versions(name, cancellationToken);
                list = [];
                foreach (var entry in document.Versions)
                {
                    if (!SemanticVersion.TryParse(entry.Version, out var version))
                    {
                        continue;
                    }
                    var requirements = new Dictionary<string, VersionRange>(StringComparer.Ordinal);
                    foreach (var (dependency, range) in entry.Dependencies)
                    {
                        requirements[dependency] = VersionRange.TryParse(range, out var parsed) ? parsed : VersionRange.Parse("<0.0.0-0");
                    }
                    list.Add(new Candidate(new ResolvedPackage(document.Name.Length > 0 ? document.Name : name, version, entry.Sha256, requirements), entry.Yanked));
                }
                list.Sort((a, b) => b.Package.Version.CompareTo(a.Package.Version));
                candidates[key] = list;
            }
            return list;
        }

        var decisions = new Dictionary<string, ResolvedPackage>(StringComparer.Ordinal);
        var constraints = request.Root.Select(r => new Constraint("your project", r.Key, r.Value)).ToList();
        var failures = new List<string>();

        async Task<bool> Solve()
        {
            cancellationToken.ThrowIfCancellationRequested();
            var open = constraints.FirstOrDefault(c => !decisions.ContainsKey(PackageSpec.Canonical(c.Name)));
            if (open is null)
            {
                return true;
            }
            var key = PackageSpec.Canonical(open.Name);
            var ranges = constraints.Where(c => PackageSpec.Canonical(c.Name) == key).ToList();
            var all = await CandidatesOf(open.Name);
            request.Locked.TryGetValue(key, out var locked);
            if (request.Unlock.Contains(key))
            {
                locked = null;
            }
            var viable = all
                .Where(c => ranges.All(r => r.Range.IsSatisfiedBy(c.Package.Version)))
                .Where(c => !c.Yanked || c.Package.Version == locked)
                .OrderByDescending(c => c.Package.Version == locked)
                .ToList();
            if (viable.Count == 0)
            {
                failures.Add(Explain(open.Name, ranges, all));
                return false;
            }
            foreach (var candidate in viable)
            {
                var added = candidate.Package.Requirements
                    .Select(r => new Constraint($"{candidate.Package.Name} {candidate.Package.Version}", r.Key, r.Value)).ToList();
                if (added.Any(c => decisions.TryGetValue(PackageSpec.Canonical(c.Name), out var chosen) && !c.Range.IsSatisfiedBy(chosen.Version)))
                {
                    var clash = added.First(c => decisions.TryGetValue(PackageSpec.Canonical(c.Name), out var chosen) && !c.Range.IsSatisfiedBy(chosen.Version));
                    failures.Add($"{clash.Dependent} depends on {clash.Name} {clash.Range}, but {decisions[PackageSpec.Canonical(clash.Name)].Version} was already chosen.");
                    continue;
                }
                decisions[key] = candidate.Package;
                constraints.AddRange(added);
                if (await Solve())
                {
                    return true;
                }
                decisions.Remove(key);
                constraints.RemoveRange(constraints.Count - added.Count, added.Count);
            }
            return false;
        }

        if (!await Solve())
        {
            var steps = failures.Distinct().Select((f, i) => $"  {i + 1}. {f}");
            throw new ResolutionFailedException("No set of versions satisfies every requirement:\n" + string.Join('\n', steps));
        }
        return decisions;
    }

    private static string Explain(string name, List<Constraint> ranges, List<Candidate> all)
    {
        var required = string.Join(" and ", ranges.Select(r => $"{r.Dependent} requires {r.Range}"));
        var available = all.Count == 0
            ? "it has no versions"
            : "available: " + string.Join(", ", all.Select(c => c.Yanked ? c.Package.Version + " (yanked)" : c.Package.Version.ToString()));
        return $"No version of {name} matches: {required} ({available}).";
    }

    private sealed record Candidate(ResolvedPackage Package, bool Yanked);

    private sealed record Constraint(string Dependent, string Name, VersionRange Range);
}
