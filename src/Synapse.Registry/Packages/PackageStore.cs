using Microsoft.EntityFrameworkCore;
using Synapse.Registry.Api;
using Synapse.Registry.Auth;
using Synapse.Registry.Data;
using Synapse.Registry.Storage;
using Synapse.Versioning;

namespace Synapse.Registry.Packages;

/// <summary>A version about to be published, as read from its archive.</summary>
internal sealed record NewVersion(
    string Name,
    SemanticVersion Version,
    string? Description,
    string? License,
    IReadOnlyList<string> Keywords,
    IReadOnlyList<string> Authors,
    string? Repository,
    string? Homepage,
    string? Readme,
    IReadOnlyList<NewDependency> Dependencies,
    string Sha256,
    long Size);

internal sealed record NewDependency(string Name, string Range, DependencyKind Kind);

/// <summary>Every change to packages: publish, yank, delete, owners. Enforces ownership, scopes and the delete policy.</summary>
internal sealed class PackageStore(RegistryDbContext db, IBlobStore blobs, IPackageChangeNotifier notifier, TimeProvider time, ILogger<PackageStore> logger)
{
    public static readonly TimeSpan DeleteWindow = TimeSpan.FromHours(72);

    /// <summary>The checks of <see cref="PublishAsync"/> without writing, so a doomed upload never touches the blob store.</summary>
    public async Task CheckCanPublishAsync(NewVersion version, Caller caller, CancellationToken cancellationToken)
    {
        var canonical = PackageNames.Canonical(version.Name);
        if (!caller.Allows(Caller.Publish, canonical))
        {
            throw Problems.Fail(StatusCodes.Status403Forbidden, ErrorCodes.InsufficientScope,
                $"This API token may not publish '{version.Name}': it lacks the 'publish' scope or its package patterns do not cover the name.");
        }
        var package = await db.Packages.AsNoTracking().Include(p => p.Owners).FirstOrDefaultAsync(p => p.CanonicalName == canonical, cancellationToken);
        if (package is not null)
        {
            await CheckExistingAsync(package, version, caller, cancellationToken);
        }
    }

    public async Task<PackageVersion> PublishAsync(NewVersion version, Caller caller, CancellationToken cancellationToken)
    {
        var canonical = PackageNames.Canonical(version.Name);
        var normalized = PackageNames.NormalizedVersion(version.Version.ToString());
        var now = time.GetUtcNow();
        var package = await db.Packages.Include(p => p.Owners).FirstOrDefaultAsync(p => p.CanonicalName == canonical, cancellationToken);
        if (package is null)
        {
            package = new Package { Name = version.Name, CanonicalName = canonical, CreatedAt = now, UpdatedAt = now };
            package.Owners.Add(new PackageOwner { UserId = caller.UserId, AddedAt = now });
            db.Packages.Add(package);
        }
        else
        {
            await CheckExistingAsync(package, version, caller, cancellationToken);
        }

        var row = new PackageVersion
        {
            Package = package,
            Version = version.Version.ToString(),
            NormalizedVersion = normalized,
            IsPrerelease = version.Version.IsPrerelease,
            Sha256 = version.Sha256,
            Size = version.Size,
            Description = version.Description,
            License = version.License,
            Keywords = string.Join(',', version.Keywords),
            Authors = string.Join('\n', version.Authors),
            Repository = version.Repository,
            Homepage = version.Homepage,
            Readme = version.Readme,
            PublishedAt = now,
            PublishedById = caller.UserId,
            Dependencies = version.Dependencies.Select((d, i) => new VersionDependency
            {
                Kind = d.Kind,
                Name = d.Name,
                CanonicalName = PackageNames.Canonical(d.Name),
                Range = d.Range,
                Position = i,
            }).ToList(),
        };
        db.PackageVersions.Add(row);
        package.UpdatedAt = now;

        var liveVersions = package.Id == 0
            ? []
            : await db.PackageVersions.AsNoTracking().Where(v => v.PackageId == package.Id && !v.IsDeleted).ToListAsync(cancellationToken);
        var latest = LatestOf([.. liveVersions, row]) ?? row;
        ApplyPackageMetadata(package, latest);
        await UpdateSearchIndexAsync(package, cancellationToken);
        db.AuditLog.Add(Audit("publish", caller, package.Name, row.Version, $"sha256={row.Sha256}"));

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            db.ChangeTracker.Clear();
            if (logger.IsEnabled(LogLevel.Information))
            {
                logger.LogInformation(ex, "Publish of {Package} {Version} lost a race", version.Name, row.Version);
            }
            var winner = await db.Packages.AsNoTracking().Include(p => p.Owners).FirstOrDefaultAsync(p => p.CanonicalName == canonical, cancellationToken);
            if (winner is not null)
            {
                await CheckExistingAsync(winner, version, caller, cancellationToken);
            }
            throw Problems.Fail(StatusCodes.Status409Conflict, ErrorCodes.VersionExists,
                $"{version.Name} {row.Version} was published concurrently; versions are immutable, so bump the version and publish again.");
        }
        await notifier.PackageChangedAsync(canonical, cancellationToken);
        return row;
    }

    private async Task CheckExistingAsync(Package package, NewVersion version, Caller caller, CancellationToken cancellationToken)
    {
        if (package.Name != version.Name)
        {
            throw Problems.Fail(StatusCodes.Status409Conflict, ErrorCodes.NameTaken,
                $"The name '{version.Name}' is taken: it has the same canonical form as the existing package '{package.Name}'. Pick another name.");
        }
        if (!package.Owners.Any(o => o.UserId == caller.UserId))
        {
            throw Problems.Fail(StatusCodes.Status403Forbidden, ErrorCodes.NotOwner,
                $"You are not an owner of '{package.Name}'; ask one of its owners to add you.");
        }
        var normalized = PackageNames.NormalizedVersion(version.Version.ToString());
        var existing = await db.PackageVersions.AsNoTracking()
            .Where(v => v.PackageId == package.Id && v.NormalizedVersion == normalized)
            .Select(v => new { v.Version, v.IsDeleted })
            .FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            throw Problems.Fail(StatusCodes.Status409Conflict, ErrorCodes.VersionExists, existing.IsDeleted
                ? $"{package.Name} {existing.Version} was deleted, and a version number is never reused; bump the version and publish again."
                : $"{package.Name} {existing.Version} already exists (build metadata does not make a new version); bump the version and publish again.");
        }
    }

    public async Task<PackageVersion> SetYankedAsync(string name, string version, bool yanked, string? reason, Caller caller, CancellationToken cancellationToken)
    {
        var (package, row) = await FindForChangeAsync(name, version, Caller.Yank, caller, cancellationToken);
        if (row.Yanked != yanked || row.YankedReason != reason)
        {
            row.Yanked = yanked;
            row.YankedReason = yanked ? reason : null;
            package.UpdatedAt = time.GetUtcNow();
            var live = await db.PackageVersions.Where(v => v.PackageId == package.Id && !v.IsDeleted).ToListAsync(cancellationToken);
            if (LatestOf(live) is { } latest)
            {
                ApplyPackageMetadata(package, latest);
                await UpdateSearchIndexAsync(package, cancellationToken);
            }
            db.AuditLog.Add(Audit(yanked ? "yank" : "unyank", caller, package.Name, row.Version, reason));
            await db.SaveChangesAsync(cancellationToken);
            await notifier.PackageChangedAsync(package.CanonicalName, cancellationToken);
        }
        return row;
    }

    public async Task DeleteAsync(string name, string version, Caller caller, CancellationToken cancellationToken)
    {
        var (package, row) = await FindForChangeAsync(name, version, Caller.Yank, caller, cancellationToken);
        var now = time.GetUtcNow();
        if (now - row.PublishedAt > DeleteWindow)
        {
            throw Problems.Fail(StatusCodes.Status409Conflict, ErrorCodes.DeleteNotAllowed,
                $"{package.Name} {row.Version} was published more than 72 hours ago and can no longer be deleted; yank it instead (PUT .../yank).");
        }
        var dependents = await DependentsAsync(package, row, cancellationToken);
        if (dependents.Count > 0)
        {
            throw Problems.Fail(StatusCodes.Status409Conflict, ErrorCodes.DeleteNotAllowed,
                $"{package.Name} {row.Version} cannot be deleted because other packages depend on it ({string.Join(", ", dependents.Take(5))}); yank it instead (PUT .../yank).");
        }
        row.IsDeleted = true;
        row.DeletedAt = now;
        package.UpdatedAt = now;
        var live = await db.PackageVersions.Where(v => v.PackageId == package.Id && !v.IsDeleted && v.Id != row.Id).ToListAsync(cancellationToken);
        if (LatestOf(live) is { } latest)
        {
            ApplyPackageMetadata(package, latest);
            await UpdateSearchIndexAsync(package, cancellationToken);
        }
        else if (await db.SearchIndex.FirstOrDefaultAsync(s => s.PackageId == package.Id, cancellationToken) is { } entry)
        {
            db.SearchIndex.Remove(entry);
        }
        db.AuditLog.Add(Audit("delete", caller, package.Name, row.Version, null));
        await db.SaveChangesAsync(cancellationToken);
        await notifier.PackageChangedAsync(package.CanonicalName, cancellationToken);

        var stillReferenced = await db.PackageVersions.AnyAsync(v => v.Sha256 == row.Sha256 && !v.IsDeleted, cancellationToken);
        if (!stillReferenced)
        {
            try
            {
                await blobs.DeleteAsync(row.Sha256, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(ex, "Could not remove the blob of deleted {Package} {Version}; the orphan sweep will", package.Name, row.Version);
            }
        }
    }

    private async Task<List<string>> DependentsAsync(Package package, PackageVersion row, CancellationToken cancellationToken)
    {
        var candidates = await db.VersionDependencies.AsNoTracking()
            .Where(d => d.CanonicalName == package.CanonicalName && d.Kind == DependencyKind.Runtime)
            .Join(db.PackageVersions.Where(v => !v.IsDeleted && v.PackageId != package.Id), d => d.PackageVersionId, v => v.Id,
                (d, v) => new { d.Range, v.Version, PackageName = v.Package!.Name })
            .ToListAsync(cancellationToken);
        var version = SemanticVersion.Parse(row.Version);
        return candidates
            .Where(c => !VersionRange.TryParse(c.Range, out var range) || range.IsSatisfiedBy(version))
            .Select(c => $"{c.PackageName} {c.Version}")
            .Distinct()
            .ToList();
    }

    public async Task<IReadOnlyList<string>> GetOwnersAsync(string name, CancellationToken cancellationToken)
    {
        var package = await FindPackageAsync(name, cancellationToken);
        return await OwnerNamesAsync(package.Id, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> AddOwnersAsync(string name, IReadOnlyList<string> usernames, Caller caller, CancellationToken cancellationToken)
    {
        var package = await FindPackageForOwnersAsync(name, caller, cancellationToken);
        var users = await ResolveUsersAsync(usernames, cancellationToken);
        var now = time.GetUtcNow();
        foreach (var user in users.Where(u => package.Owners.All(o => o.UserId != u.Id)))
        {
            package.Owners.Add(new PackageOwner { PackageId = package.Id, UserId = user.Id, AddedAt = now });
            db.AuditLog.Add(Audit("owner_add", caller, package.Name, null, user.Username));
        }
        package.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await notifier.PackageChangedAsync(package.CanonicalName, cancellationToken);
        return await OwnerNamesAsync(package.Id, cancellationToken);
    }

    public async Task<IReadOnlyList<string>> RemoveOwnersAsync(string name, IReadOnlyList<string> usernames, Caller caller, CancellationToken cancellationToken)
    {
        var package = await FindPackageForOwnersAsync(name, caller, cancellationToken);
        var users = await ResolveUsersAsync(usernames, cancellationToken);
        var removing = package.Owners.Where(o => users.Any(u => u.Id == o.UserId)).ToList();
        if (removing.Count > 0 && removing.Count >= package.Owners.Count)
        {
            throw Problems.Fail(StatusCodes.Status409Conflict, ErrorCodes.LastOwner,
                $"'{package.Name}' must keep at least one owner; add another owner before removing the last one.");
        }
        var now = time.GetUtcNow();
        foreach (var owner in removing)
        {
            package.Owners.Remove(owner);
            db.AuditLog.Add(Audit("owner_remove", caller, package.Name, null, users.First(u => u.Id == owner.UserId).Username));
        }
        package.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await notifier.PackageChangedAsync(package.CanonicalName, cancellationToken);
        return await OwnerNamesAsync(package.Id, cancellationToken);
    }

    private async Task<Package> FindPackageForOwnersAsync(string name, Caller caller, CancellationToken cancellationToken)
    {
        var canonical = PackageNames.Canonical(name);
        var package = await db.Packages.Include(p => p.Owners).FirstOrDefaultAsync(p => p.CanonicalName == canonical, cancellationToken)
            ?? throw Problems.PackageNotFound(name);
        EnsureMayChange(package, Caller.Owners, caller);
        return package;
    }

    private async Task<List<User>> ResolveUsersAsync(IReadOnlyList<string> usernames, CancellationToken cancellationToken)
    {
        var wanted = usernames.Select(u => u.Trim().ToLowerInvariant()).Distinct().ToList();
        var users = await db.Users.Where(u => wanted.Contains(u.Username)).ToListAsync(cancellationToken);
        var missing = wanted.Except(users.Select(u => u.Username)).ToList();
        if (missing.Count > 0)
        {
            throw Problems.Fail(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound,
                $"No user named {string.Join(", ", missing.Select(m => $"'{m}'"))}; check the spelling (users must register first).");
        }
        return users;
    }

    private Task<List<string>> OwnerNamesAsync(long packageId, CancellationToken cancellationToken) =>
        db.PackageOwners.AsNoTracking().Where(o => o.PackageId == packageId).OrderBy(o => o.AddedAt).ThenBy(o => o.UserId)
            .Select(o => o.User!.Username).ToListAsync(cancellationToken);

    public async Task<Package> FindPackageAsync(string name, CancellationToken cancellationToken)
    {
        var canonical = PackageNames.Canonical(name);
        return await db.Packages.AsNoTracking().FirstOrDefaultAsync(p => p.CanonicalName == canonical, cancellationToken)
            ?? throw Problems.PackageNotFound(name);
    }

    private async Task<(Package Package, PackageVersion Row)> FindForChangeAsync(string name, string version, string scope, Caller caller, CancellationToken cancellationToken)
    {
        var canonical = PackageNames.Canonical(name);
        var package = await db.Packages.Include(p => p.Owners).FirstOrDefaultAsync(p => p.CanonicalName == canonical, cancellationToken)
            ?? throw Problems.PackageNotFound(name);
        var normalized = PackageNames.NormalizedVersion(version);
        var row = await db.PackageVersions.FirstOrDefaultAsync(v => v.PackageId == package.Id && v.NormalizedVersion == normalized && !v.IsDeleted, cancellationToken)
            ?? throw Problems.VersionNotFound(package.Name, version);
        EnsureMayChange(package, scope, caller);
        return (package, row);
    }

    private static void EnsureMayChange(Package package, string scope, Caller caller)
    {
        if (!caller.Allows(scope, package.CanonicalName))
        {
            throw Problems.Fail(StatusCodes.Status403Forbidden, ErrorCodes.InsufficientScope,
                $"This API token may not do this on '{package.Name}': it needs the '{scope}' scope and a package pattern covering the name.");
        }
        if (!package.Owners.Any(o => o.UserId == caller.UserId))
        {
            throw Problems.Fail(StatusCodes.Status403Forbidden, ErrorCodes.NotOwner,
                $"You are not an owner of '{package.Name}'; ask one of its owners to add you.");
        }
    }

    /// <summary>Highest non-yanked release; else highest non-yanked prerelease; else null.</summary>
    public static PackageVersion? LatestOf(IEnumerable<PackageVersion> versions) =>
        HighestOf(versions.Where(v => !v.Yanked && !v.IsDeleted), v => v.Version);

    /// <summary><see cref="LatestOf(IEnumerable{PackageVersion})"/> for version strings that are already neither yanked nor deleted.</summary>
    public static string? LatestOf(IEnumerable<string> liveVersions) => HighestOf(liveVersions, v => v);

    private static T? HighestOf<T>(IEnumerable<T> live, Func<T, string> version) where T : class
    {
        var candidates = live.Select(v => (Row: v, Parsed: SemanticVersion.Parse(version(v)))).ToList();
        return candidates.Where(c => !c.Parsed.IsPrerelease).OrderByDescending(c => c.Parsed).Select(c => c.Row).FirstOrDefault()
            ?? candidates.OrderByDescending(c => c.Parsed).Select(c => c.Row).FirstOrDefault();
    }

    private static void ApplyPackageMetadata(Package package, PackageVersion latest)
    {
        package.Description = latest.Description;
        package.License = latest.License;
        package.Keywords = latest.Keywords;
        package.Repository = latest.Repository;
        package.Homepage = latest.Homepage;
    }

    private async Task UpdateSearchIndexAsync(Package package, CancellationToken cancellationToken)
    {
        var entry = package.Id == 0 ? null : await db.SearchIndex.FirstOrDefaultAsync(s => s.PackageId == package.Id, cancellationToken);
        if (entry is null)
        {
            entry = new SearchIndex { Package = package, Name = package.Name };
            db.SearchIndex.Add(entry);
        }
        entry.Name = package.Name;
        entry.Keywords = package.Keywords.Replace(',', ' ');
        entry.Description = package.Description ?? "";
    }

    private AuditLogEntry Audit(string action, Caller caller, string packageName, string? version, string? detail) => new()
    {
        At = time.GetUtcNow(),
        Action = action,
        UserId = caller.UserId,
        Username = caller.Username,
        PackageName = packageName,
        Version = version,
        Detail = detail,
    };
}
