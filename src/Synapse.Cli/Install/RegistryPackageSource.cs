using System.Collections.Concurrent;
using System.Net;
using Synapse.Cli.Cache;
using Synapse.Cli.Infrastructure;
using Synapse.Packaging;
using Synapse.Protocol.Client;
using Synapse.Protocol.Contracts;

namespace Synapse.Cli.Install;

/// <summary>
/// Versions documents for resolution: one request per package per run, revalidated against the cached copy by
/// ETag; under <c>--offline</c> only the cache is read and missing packages are collected by name. A package the
/// registry does not know reads as one with no versions, so the resolver explains which dependency asked for it.
/// </summary>
internal sealed class RegistryPackageSource(CommandContext context, PackageCache cache)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<VersionsDocument>>> _documents = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, bool> _notFound = new(StringComparer.Ordinal);

    public int NetworkRequests;

    /// <summary>The packages the registry answered 404 for, sorted.</summary>
    public IReadOnlyList<string> NotFound => [.. _notFound.Keys.Order(StringComparer.Ordinal)];

    public string NotFoundMessage(IEnumerable<string> names) =>
        $"Package {string.Join(", ", names)} was not found on {context.Registry}. Check the dependency's spelling (`synapse pkg search {names.First()}`), or publish it first.";

    public Task<VersionsDocument> GetAsync(string name, CancellationToken cancellationToken) =>
        _documents.GetOrAdd(PackageSpec.Canonical(name), key => new Lazy<Task<VersionsDocument>>(() => FetchAndPrefetchAsync(key, cancellationToken))).Value;

    /// <summary>
    /// Starts fetching the dependencies of the newest versions as soon as a document arrives, so a cold resolution
    /// of a deep graph costs a few round trips instead of one per package.
    /// </summary>
    private async Task<VersionsDocument> FetchAndPrefetchAsync(string name, CancellationToken cancellationToken)
    {
        var document = await FetchAsync(name, cancellationToken);
        foreach (var dependency in document.Versions.Where(v => !v.Yanked).TakeLast(3).SelectMany(v => v.Dependencies.Keys).Distinct().Where(PackageName.IsValid))
        {
            var prefetch = GetAsync(dependency, cancellationToken);
            _ = prefetch.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        return document;
    }

    private async Task<VersionsDocument> FetchAsync(string name, CancellationToken cancellationToken)
    {
        var cached = cache.ReadVersions(context.Registry, name);
        if (context.Offline)
        {
            return cached?.Value ?? throw new MissingFromCacheException(name);
        }
        try
        {
            Interlocked.Increment(ref NetworkRequests);
            var response = await context.Client.GetVersionsAsync(name, cached, cancellationToken);
            if (!response.NotModified)
            {
                cache.WriteVersions(context.Registry, name, response);
            }
            context.Output.Detail(response.NotModified ? $"metadata {name}: not modified" : $"metadata {name}: fetched");
            return response.Value;
        }
        catch (RegistryException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            _notFound[name] = true;
            return new VersionsDocument { Name = name };
        }
    }
}

internal sealed class MissingFromCacheException(string name)
    : Exception($"{name} is not in the cache")
{
    public string PackageName { get; } = name;
}
