namespace Synapse.Resolver;

/// <summary>One step of the proof that no solution exists.</summary>
/// <param name="Text">The fact, in words ("a 1.0.0 depends on b ^2.0.0").</param>
/// <param name="Causes">The two facts it was derived from; empty for external facts.</param>
public sealed record DerivationNode(string Text, IReadOnlyList<DerivationNode> Causes)
{
    /// <summary>True for facts given by the package metadata or the root (not derived).</summary>
    public bool IsExternal => Causes.Count == 0;
}

/// <summary>Thrown when no set of versions satisfies every constraint; the message explains why.</summary>
public sealed class VersionSolvingException : Exception
{
    /// <summary>Creates the exception with an explanation.</summary>
    public VersionSolvingException(string explanation, DerivationNode derivation, ResolverStatistics statistics)
        : base(explanation)
    {
        Explanation = explanation;
        Derivation = derivation;
        Statistics = statistics;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public VersionSolvingException() : this("Version solving failed.", new DerivationNode("version solving failed", []), new ResolverStatistics(0, 0, 0, 0, 0))
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public VersionSolvingException(string message) : this(message, new DerivationNode(message, []), new ResolverStatistics(0, 0, 0, 0, 0))
    {
    }

    /// <summary>Creates the exception with a message and inner exception.</summary>
    public VersionSolvingException(string message, Exception innerException) : base(message, innerException)
    {
        Explanation = message;
        Derivation = new DerivationNode(message, []);
        Statistics = new ResolverStatistics(0, 0, 0, 0, 0);
    }

    /// <summary>The numbered, human-readable explanation (pub's reporting format), one step per line.</summary>
    public string Explanation { get; }

    /// <summary>The derivation tree whose root is "version solving failed".</summary>
    public DerivationNode Derivation { get; }

    /// <summary>How far the solver got.</summary>
    public ResolverStatistics Statistics { get; }

    /// <summary>
    /// The packages the explanation says do not exist (the source knew no package by that name), sorted
    /// ordinally; empty when none took part in the failure.
    /// </summary>
    public IReadOnlyList<string> MissingPackages { get; init; } = [];
}
