using Synapse.Resolver.Solving;

namespace Synapse.Resolver;

/// <summary>Chooses one version per package satisfying every dependency (PubGrub), or explains why none exists.</summary>
public sealed class DependencyResolver
{
    private readonly IPackageSource _source;

    /// <summary>Creates a resolver reading package metadata from <paramref name="source"/>.</summary>
    public DependencyResolver(IPackageSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    /// <summary>
    /// Resolves <paramref name="request"/>. Throws <see cref="VersionSolvingException"/> with a numbered
    /// explanation when no solution exists; errors of the source propagate unchanged.
    /// </summary>
    public async Task<Resolution> ResolveAsync(ResolveRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(request.RootName);
        using var fetches = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var catalog = new PackageCatalog(
            _source,
            name => !request.Unlock.Contains(name) && request.Locked.TryGetValue(name, out var locked) ? locked : null,
            fetches.Token);
        var solver = new PubGrubSolver(request, catalog);
        try
        {
            return await solver.SolveAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SolveFailure failure)
        {
            var (explanation, derivation, missing) = Explain(failure.Incompatibility, request.RootName, catalog);
            throw new VersionSolvingException(explanation, derivation, solver.Statistics) { MissingPackages = missing };
        }
        finally
        {
            // Stop speculative prefetches nobody is waiting for any more.
            await fetches.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Derivations can be as deep as the dependency graph (thousands of steps) and the reporter
    /// walks them recursively, so it runs on a thread with a generous stack.
    /// </summary>
    private static (string Explanation, DerivationNode Derivation, IReadOnlyList<string> Missing) Explain(Incompatibility failure, string rootName, PackageCatalog catalog)
    {
        (string, DerivationNode, IReadOnlyList<string>)? result = null;
        Exception? error = null;
        var thread = new Thread(
            () =>
            {
                try
                {
                    var reporter = new FailureReporter(failure, rootName, catalog);
                    result = (reporter.Write(), reporter.Tree(), reporter.MissingPackages());
                }
                catch (Exception exception)
                {
                    error = exception;
                }
            },
            maxStackSize: 256 * 1024 * 1024);
        thread.Start();
        thread.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
        return result!.Value;
    }
}
