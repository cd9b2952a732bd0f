using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Data;
using Synapse.Versioning;

namespace Synapse.Registry.Packages;

/// <summary>Builds the read documents of §3, serving package and versions documents from <see cref="MetadataCache"/>.</summary>
internal sealed class PackageDocuments(RegistryDbContext db, MetadataCache cache)
{
    public async Task<CachedDocument?> GetPackageAsync(string name, CancellationToken cancellationToken)
    {
        var canonical = PackageNames.Canonical(name);
        if (cache.Get(canonical, DocumentKind.Package) is { } cached)
        {
            return cached;
        }
        var generation = cache.Generation;
        var package = await db.Packages.AsNoTracking().FirstOrDefaultAsync(p => p.CanonicalName == canonical, cancellationToken);
        if (package is null)
        {
            return null;
        }
        var versions = await db.PackageVersions.AsNoTracking().Where(v => v.PackageId == package.Id && !v.IsDeleted).ToListAsync(cancellationToken);
        var owners = await db.PackageOwners.AsNoTracking().Where(o => o.PackageId == package.Id).OrderBy(o => o.AddedAt).ThenBy(o => o.UserId)
            .Select(o => o.User!.Username).ToListAsync(cancellationToken);
        var document = new PackageDocument
        {
            Name = package.Name,
            Description = package.Description,
            LatestVersion = PackageStore.LatestOf(versions)?.Version,
            Keywords = SplitKeywords(package.Keywords),
            License = package.License,
            Repository = package.Repository,
            Homepage = package.Homepage,
            Owners = owners,
            Downloads = package.Downloads,
            CreatedAt = package.CreatedAt,
            UpdatedAt = package.UpdatedAt,
            Versions = versions.OrderByDescending(v => SemanticVersion.Parse(v.Version))
                .Select(v => new VersionSummary { Version = v.Version, Yanked = v.Yanked, PublishedAt = v.PublishedAt }).ToList(),
        };
        return cache.Set(canonical, DocumentKind.Package, JsonSerializer.SerializeToUtf8Bytes(document, RegistryJsonContext.Default.PackageDocument), generation);
    }

    public async Task<CachedDocument?> GetVersionsAsync(string name, CancellationToken cancellationToken)
    {
        var canonical = PackageNames.Canonical(name);
        if (cache.Get(canonical, DocumentKind.Versions) is { } cached)
        {
            return cached;
        }
        var generation = cache.Generation;
        var package = await db.Packages.AsNoTracking().FirstOrDefaultAsync(p => p.CanonicalName == canonical, cancellationToken);
        if (package is null)
        {
            return null;
        }
        var versions = await db.PackageVersions.AsNoTracking().Include(v => v.Dependencies)
            .Where(v => v.PackageId == package.Id && !v.IsDeleted).ToListAsync(cancellationToken);
        var document = new VersionsDocument
        {
            Name = package.Name,
            Versions = versions.OrderBy(v => SemanticVersion.Parse(v.Version)).Select(v => new VersionEntry
            {
                Version = v.Version,
                Dependencies = DependencyMap(v, DependencyKind.Runtime),
                Sha256 = v.Sha256,
                Yanked = v.Yanked,
            }).ToList(),
        };
        return cache.Set(canonical, DocumentKind.Versions, JsonSerializer.SerializeToUtf8Bytes(document, RegistryJsonContext.Default.VersionsDocument), generation);
    }

    /// <summary>The live (not deleted) version matching <paramref name="version"/>, build metadata ignored.</summary>
    public async Task<PackageVersion?> FindVersionAsync(string name, string version, CancellationToken cancellationToken)
    {
        var canonical = PackageNames.Canonical(name);
        var normalized = PackageNames.NormalizedVersion(version);
        return await db.PackageVersions.AsNoTracking().Include(v => v.Package).Include(v => v.PublishedBy).Include(v => v.Dependencies)
            .FirstOrDefaultAsync(v => v.Package!.CanonicalName == canonical && v.NormalizedVersion == normalized && !v.IsDeleted, cancellationToken);
    }

    /// <summary>
    /// Where the live version's tarball is: from <see cref="MetadataCache"/>, else one lean query (no includes, no
    /// tracking) whose answer is cached until the package changes.
    /// </summary>
    public async Task<TarballEntry?> FindTarballAsync(string name, string version, CancellationToken cancellationToken)
    {
        var canonical = PackageNames.Canonical(name);
        var normalized = PackageNames.NormalizedVersion(version);
        if (cache.GetTarball(canonical, normalized) is { } cached)
        {
            return cached;
        }
        var generation = cache.Generation;
        var entry = await db.PackageVersions.AsNoTracking()
            .Where(v => v.Package!.CanonicalName == canonical && v.NormalizedVersion == normalized && !v.IsDeleted)
            .Select(v => new TarballEntry(v.PackageId, v.Id, v.Package!.CanonicalName, v.Package.Name, v.Version, v.NormalizedVersion,
                v.Sha256, v.Size, v.PublishedAt))
            .FirstOrDefaultAsync(cancellationToken);
        if (entry is not null)
        {
            cache.SetTarball(entry, generation);
        }
        return entry;
    }

    public async Task<VersionDocument> ToDocumentAsync(PackageVersion row, string baseUrl, CancellationToken cancellationToken)
    {
        if (row.Package is null || row.PublishedBy is null)
        {
            row = await db.PackageVersions.AsNoTracking().Include(v => v.Package).Include(v => v.PublishedBy).Include(v => v.Dependencies)
                .FirstAsync(v => v.Id == row.Id, cancellationToken);
        }
        return ToDocument(row, baseUrl);
    }

    public static VersionDocument ToDocument(PackageVersion row, string baseUrl) => new()
    {
        Name = row.Package!.Name,
        Version = row.Version,
        Description = row.Description,
        License = row.License,
        Keywords = SplitKeywords(row.Keywords),
        Authors = row.Authors.Split('\n', StringSplitOptions.RemoveEmptyEntries),
        Repository = row.Repository,
        Homepage = row.Homepage,
        Dependencies = DependencyMap(row, DependencyKind.Runtime),
        DevDependencies = DependencyMap(row, DependencyKind.Development),
        Sha256 = row.Sha256,
        Size = row.Size,
        Yanked = row.Yanked,
        YankedReason = row.YankedReason,
        PublishedAt = row.PublishedAt,
        PublishedBy = row.PublishedBy?.Username,
        Downloads = row.Downloads,
        TarballUrl = $"{baseUrl.TrimEnd('/')}/api/v1/packages/{Uri.EscapeDataString(row.Package.Name)}/{Uri.EscapeDataString(row.Version)}/tarball",
        Readme = row.Readme,
    };

    public static IReadOnlyList<string> SplitKeywords(string keywords) => keywords.Split(',', StringSplitOptions.RemoveEmptyEntries);

    private static Dictionary<string, string> DependencyMap(PackageVersion row, DependencyKind kind) =>
        row.Dependencies.Where(d => d.Kind == kind).OrderBy(d => d.Position).ToDictionary(d => d.Name, d => d.Range);
}

