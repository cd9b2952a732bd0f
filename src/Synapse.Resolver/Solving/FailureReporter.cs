using System.Text;

namespace Synapse.Resolver.Solving;

/// <summary>
/// Renders a failed derivation as numbered sentences, following pub's error-reporting algorithm
/// (doc/solver.md, "Error Reporting"): derived facts used more than once get a line number and
/// are referred back to instead of being explained again.
/// </summary>
internal sealed class FailureReporter
{
    private readonly Incompatibility _root;
    private readonly string _rootPackage;
    private readonly PackageCatalog _catalog;
    private readonly Dictionary<Incompatibility, int> _derivations = new(ReferenceEqualityComparer.Instance);
    private readonly List<(string Message, int? Number)> _lines = [];
    private readonly Dictionary<Incompatibility, int> _lineNumbers = new(ReferenceEqualityComparer.Instance);

    public FailureReporter(Incompatibility root, string rootPackage, PackageCatalog catalog)
    {
        _root = root;
        _rootPackage = rootPackage;
        _catalog = catalog;
        CountDerivations(root);
    }

    public string Write()
    {
        if (_root.IsDerived) Visit(_root);
        else WriteLine(_root, $"Because {Describe(_root)}, version solving failed.");

        var padding = _lineNumbers.Count == 0 ? 0 : $"({_lineNumbers.Values.Max()}) ".Length;
        var builder = new StringBuilder();
        var lastWasEmpty = false;
        foreach (var (message, number) in _lines)
        {
            if (message.Length == 0)
            {
                if (!lastWasEmpty) builder.Append('\n');
                lastWasEmpty = true;
                continue;
            }
            lastWasEmpty = false;
            var prefix = number is null ? new string(' ', padding) : $"({number})".PadRight(padding);
            builder.Append(prefix).Append(message).Append('\n');
        }
        return builder.ToString().TrimEnd('\n');
    }

    /// <summary>Packages that a "doesn't exist" fact of the derivation names.</summary>
    public IReadOnlyList<string> MissingPackages()
    {
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<Incompatibility>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<Incompatibility>([_root]);
        while (pending.TryPop(out var incompatibility))
        {
            if (!seen.Add(incompatibility)) continue;
            if (incompatibility.Kind == IncompatibilityKind.PackageNotFound) missing.Add(incompatibility.Terms[0].Package);
            if (incompatibility.IsDerived)
            {
                pending.Push(incompatibility.Conflict!);
                pending.Push(incompatibility.Other!);
            }
        }
        return [.. missing];
    }

    public DerivationNode Tree()
    {
        var nodes = new Dictionary<Incompatibility, DerivationNode>(ReferenceEqualityComparer.Instance);
        DerivationNode Build(Incompatibility incompatibility)
        {
            if (nodes.TryGetValue(incompatibility, out var existing)) return existing;
            var causes = incompatibility.IsDerived ? new[] { Build(incompatibility.Conflict!), Build(incompatibility.Other!) } : [];
            var node = new DerivationNode(Describe(incompatibility), causes);
            nodes[incompatibility] = node;
            return node;
        }
        return Build(_root);
    }

    private void CountDerivations(Incompatibility incompatibility)
    {
        if (_derivations.TryGetValue(incompatibility, out var count))
        {
            _derivations[incompatibility] = count + 1;
            return;
        }
        _derivations[incompatibility] = 1;
        if (incompatibility.IsDerived)
        {
            CountDerivations(incompatibility.Conflict!);
            CountDerivations(incompatibility.Other!);
        }
    }

    private void WriteLine(Incompatibility incompatibility, string message, bool numbered = false)
    {
        if (numbered)
        {
            var number = _lineNumbers.Count + 1;
            _lineNumbers[incompatibility] = number;
            _lines.Add((message, number));
        }
        else
        {
            _lines.Add((message, null));
        }
    }

    private void Visit(Incompatibility incompatibility, bool conclusion = false)
    {
        var numbered = conclusion || _derivations[incompatibility] > 1;
        var conjunction = conclusion || ReferenceEquals(incompatibility, _root) ? "So," : "And";
        var text = Describe(incompatibility);
        var conflict = incompatibility.Conflict!;
        var other = incompatibility.Other!;

        if (conflict.IsDerived && other.IsDerived)
        {
            var conflictLine = LineOf(conflict);
            var otherLine = LineOf(other);
            if (conflictLine is not null && otherLine is not null)
            {
                WriteLine(incompatibility, $"Because {And(conflict, other, conflictLine, otherLine)}, {text}.", numbered);
            }
            else if (conflictLine is not null || otherLine is not null)
            {
                var (withLine, withoutLine, line) = conflictLine is not null
                    ? (conflict, other, conflictLine.Value)
                    : (other, conflict, otherLine!.Value);
                Visit(withoutLine);
                WriteLine(incompatibility, $"{conjunction} because {Describe(withLine)} ({line}), {text}.", numbered);
            }
            else
            {
                var singleLineConflict = IsSingleLine(conflict);
                var singleLineOther = IsSingleLine(other);
                if (singleLineOther || singleLineConflict)
                {
                    var first = singleLineOther ? conflict : other;
                    var second = singleLineOther ? other : conflict;
                    Visit(first);
                    Visit(second);
                    WriteLine(incompatibility, $"Thus, {text}.", numbered);
                }
                else
                {
                    Visit(conflict, conclusion: true);
                    _lines.Add((string.Empty, null));
                    Visit(other);
                    WriteLine(incompatibility, $"{conjunction} because {Describe(conflict)} ({_lineNumbers[conflict]}), {text}.", numbered);
                }
            }
        }
        else if (conflict.IsDerived || other.IsDerived)
        {
            var derived = conflict.IsDerived ? conflict : other;
            var external = conflict.IsDerived ? other : conflict;
            var derivedLine = LineOf(derived);
            if (derivedLine is not null)
            {
                WriteLine(incompatibility, $"Because {And(external, derived, null, derivedLine)}, {text}.", numbered);
            }
            else if (IsCollapsible(derived))
            {
                var collapsedDerived = derived.Conflict!.IsDerived ? derived.Conflict : derived.Other!;
                var collapsedExternal = derived.Conflict!.IsDerived ? derived.Other! : derived.Conflict;
                Visit(collapsedDerived);
                WriteLine(incompatibility, $"{conjunction} because {And(collapsedExternal, external, null, null)}, {text}.", numbered);
            }
            else
            {
                Visit(derived);
                WriteLine(incompatibility, $"{conjunction} because {Describe(external)}, {text}.", numbered);
            }
        }
        else
        {
            WriteLine(incompatibility, $"Because {And(conflict, other, null, null)}, {text}.", numbered);
        }
    }

    private int? LineOf(Incompatibility incompatibility) =>
        _lineNumbers.TryGetValue(incompatibility, out var line) ? line : null;

    private static bool IsSingleLine(Incompatibility incompatibility) =>
        !incompatibility.Conflict!.IsDerived && !incompatibility.Other!.IsDerived;

    private bool IsCollapsible(Incompatibility incompatibility)
    {
        if (_derivations[incompatibility] > 1) return false;
        var conflict = incompatibility.Conflict!;
        var other = incompatibility.Other!;
        if (conflict.IsDerived && other.IsDerived) return false;
        if (!conflict.IsDerived && !other.IsDerived) return false;
        var complex = conflict.IsDerived ? conflict : other;
        return !_lineNumbers.ContainsKey(complex);
    }

    // ---- Sentences for single incompatibilities (pub's Incompatibility.toString) ----

    private string Describe(Incompatibility incompatibility)
    {
        var terms = incompatibility.Terms.ToArray();
        switch (incompatibility.Kind)
        {
            case IncompatibilityKind.Dependency:
                return $"{Terse(terms[0], allowEvery: true)} depends on {Terse(terms[1])}";
            case IncompatibilityKind.NoVersions:
                return $"no versions of {terms[0].Package} match {Constraint(terms[0]) ?? "any"}";
            case IncompatibilityKind.PackageNotFound:
                return $"{terms[0].Package} doesn't exist";
            case IncompatibilityKind.Root:
                return $"{_rootPackage} is required";
        }
        if (incompatibility.IsFailure(_rootPackage)) return "version solving failed";

        if (terms.Length == 1)
        {
            var term = terms[0];
            var name = IsAny(term) ? term.Package : Terse(term);
            return $"{name} is {(term.IsPositive ? "forbidden" : "required")}";
        }

        if (terms.Length == 2 && terms[0].IsPositive == terms[1].IsPositive)
        {
            if (terms[0].IsPositive)
            {
                return $"{Terse(terms[0])} is incompatible with {Terse(terms[1])}";
            }
            return $"either {Terse(terms[0])} or {Terse(terms[1])}";
        }

        var positive = terms.Where(t => t.IsPositive).ToList();
        var negative = terms.Where(t => !t.IsPositive).ToList();
        if (positive.Count > 0 && negative.Count > 0)
        {
            var negatives = string.Join(" or ", negative.Select(t => Terse(t)));
            if (positive.Count == 1) return $"{Terse(positive[0], allowEvery: true)} requires {negatives}";
            return $"if {string.Join(" and ", positive.Select(t => Terse(t)))} then {negatives}";
        }
        if (positive.Count > 0) return $"one of {string.Join(" or ", positive.Select(t => Terse(t)))} must be false";
        return $"one of {string.Join(" or ", negative.Select(t => Terse(t)))} must be true";
    }

    private string And(Incompatibility first, Incompatibility second, int? firstLine, int? secondLine) =>
        RequiresBoth(first, second, firstLine, secondLine)
        ?? RequiresThrough(first, second, firstLine, secondLine)
        ?? RequiresForbidden(first, second, firstLine, secondLine)
        ?? $"{Describe(first)}{(firstLine is null ? "" : $" ({firstLine})")} and {Describe(second)}{(secondLine is null ? "" : $" ({secondLine})")}";

    private string? RequiresBoth(Incompatibility first, Incompatibility second, int? firstLine, int? secondLine)
    {
        if (first.Terms.Length == 1 || second.Terms.Length == 1) return null;
        var firstPositive = SingleTerm(first, positive: true);
        var secondPositive = SingleTerm(second, positive: true);
        if (firstPositive is null || secondPositive is null || firstPositive.Package != secondPositive.Package) return null;

        var firstNegatives = string.Join(" or ", first.Terms.ToArray().Where(t => !t.IsPositive).Select(t => Terse(t)));
        var secondNegatives = string.Join(" or ", second.Terms.ToArray().Where(t => !t.IsPositive).Select(t => Terse(t)));
        var verb = first.Kind == IncompatibilityKind.Dependency && second.Kind == IncompatibilityKind.Dependency ? "depends on" : "requires";
        var builder = new StringBuilder($"{Terse(firstPositive, allowEvery: true)} {verb} both {firstNegatives}");
        if (firstLine is not null) builder.Append($" ({firstLine})");
        builder.Append($" and {secondNegatives}");
        if (secondLine is not null) builder.Append($" ({secondLine})");
        return builder.ToString();
    }

    private string? RequiresThrough(Incompatibility first, Incompatibility second, int? firstLine, int? secondLine)
    {
        if (first.Terms.Length == 1 || second.Terms.Length == 1) return null;
        var firstNegative = SingleTerm(first, positive: false);
        var secondNegative = SingleTerm(second, positive: false);
        if (firstNegative is null && secondNegative is null) return null;
        var firstPositive = SingleTerm(first, positive: true);
        var secondPositive = SingleTerm(second, positive: true);

        Incompatibility prior, latter;
        Term priorNegative;
        int? priorLine, latterLine;
        if (firstNegative is not null && secondPositive is not null && firstNegative.Package == secondPositive.Package
            && firstNegative.Inverse.Satisfies(secondPositive))
        {
            (prior, priorNegative, priorLine, latter, latterLine) = (first, firstNegative, firstLine, second, secondLine);
        }
        else if (secondNegative is not null && firstPositive is not null && secondNegative.Package == firstPositive.Package
            && secondNegative.Inverse.Satisfies(firstPositive))
        {
            (prior, priorNegative, priorLine, latter, latterLine) = (second, secondNegative, secondLine, first, firstLine);
        }
        else
        {
            return null;
        }

        var priorPositives = prior.Terms.ToArray().Where(t => t.IsPositive).ToList();
        var builder = new StringBuilder();
        if (priorPositives.Count > 1)
        {
            builder.Append($"if {string.Join(" or ", priorPositives.Select(t => Terse(t)))} then ");
        }
        else
        {
            var verb = prior.Kind == IncompatibilityKind.Dependency ? "depends on" : "requires";
            builder.Append($"{Terse(priorPositives[0], allowEvery: true)} {verb} ");
        }
        builder.Append(Terse(priorNegative));
        if (priorLine is not null) builder.Append($" ({priorLine})");
        builder.Append(" which ");
        builder.Append(latter.Kind == IncompatibilityKind.Dependency ? "depends on " : "requires ");
        builder.Append(string.Join(" or ", latter.Terms.ToArray().Where(t => !t.IsPositive).Select(t => Terse(t))));
        if (latterLine is not null) builder.Append($" ({latterLine})");
        return builder.ToString();
    }

    private string? RequiresForbidden(Incompatibility first, Incompatibility second, int? firstLine, int? secondLine)
    {
        if (first.Terms.Length != 1 && second.Terms.Length != 1) return null;
        var (prior, latter, priorLine, latterLine) = first.Terms.Length == 1
            ? (second, first, secondLine, firstLine)
            : (first, second, firstLine, secondLine);

        var negative = SingleTerm(prior, positive: false);
        if (negative is null || !negative.Inverse.Satisfies(latter.Terms[0])) return null;

        var positives = prior.Terms.ToArray().Where(t => t.IsPositive).ToList();
        var builder = new StringBuilder();
        if (positives.Count > 1)
        {
            builder.Append($"if {string.Join(" or ", positives.Select(t => Terse(t)))} then ");
        }
        else if (positives.Count == 1)
        {
            builder.Append(Terse(positives[0], allowEvery: true));
            builder.Append(prior.Kind == IncompatibilityKind.Dependency ? " depends on " : " requires ");
        }
        else
        {
            return null;
        }
        builder.Append(Terse(negative)).Append(' ');
        if (priorLine is not null) builder.Append($"({priorLine}) ");
        builder.Append(latter.Kind switch
        {
            IncompatibilityKind.NoVersions => "which doesn't match any versions",
            IncompatibilityKind.PackageNotFound => "which doesn't exist",
            _ => "which is forbidden",
        });
        if (latterLine is not null) builder.Append($" ({latterLine})");
        return builder.ToString();
    }

    private static Term? SingleTerm(Incompatibility incompatibility, bool positive)
    {
        Term? found = null;
        foreach (var term in incompatibility.Terms)
        {
            if (term.IsPositive != positive) continue;
            if (found is not null) return null;
            found = term;
        }
        return found;
    }

    private string? Constraint(Term term) =>
        term.Package == _rootPackage ? null : _catalog.Get(term.Package).Describe(term.Set);

    private bool IsAny(Term term) => term.Package != _rootPackage && Constraint(term) is null;

    private string Terse(Term term, bool allowEvery = false)
    {
        if (allowEvery && IsAny(term)) return $"every version of {term.Package}";
        var constraint = Constraint(term);
        return constraint is null ? term.Package : $"{term.Package} {constraint}";
    }
}
