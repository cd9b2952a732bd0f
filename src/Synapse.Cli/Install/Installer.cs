using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Spectre.Console;
using Synapse.Cli.Cache;
using Synapse.Cli.Infrastructure;
using Synapse.Packaging;
using Synapse.Protocol.Client;
using Synapse.Protocol.Contracts;
using Synapse.Versioning;

namespace Synapse.Cli.Install;

internal sealed record InstalledPackage(string Name, string Version, string Action);

internal sealed record InstallReport(bool LockChanged, bool UpToDate, IReadOnlyList<InstalledPackage> Packages, IReadOnlyList<string> Removed, int MetadataRequests, int Downloads);

/// <summary>
/// install/update: resolve (only when the lock no longer satisfies the manifest, or names were unlocked), write
/// <c>synapse.lock</c>, fetch tarballs in parallel through the verified cache, extract each package atomically,
/// remove what is no longer needed. A second run with nothing changed touches no network.
/// </summary>
internal sealed class Installer(CommandContext context, IDependencyResolver resolver)
{
    public const string PackagesFolder = "synapse_packages";
    private const int MaxParallelDownloads = 8;

    private readonly PackageCache _cache = new(context.Environment.CacheDirectory);

    private string ProjectDirectory => context.WorkingDirectory;
    private string PackagesDirectory => Path.Combine(ProjectDirectory, PackagesFolder);
    private string MarkersPath => Path.Combine(PackagesDirectory, ".synapse", "installed.json");
    private string Source => "registry+" + context.Registry;

    /// <param name="unlock">Null for install; for update, the names to re-resolve (empty: every package).</param>
    public async Task<InstallReport> RunAsync(IReadOnlyCollection<string>? unlock, CancellationToken cancellationToken)
    {
        var manifest = ProjectManifest.Load(ProjectDirectory);
        var lockPath = Path.Combine(ProjectDirectory, LockFile.FileName);
        var current = LockFile.Load(lockPath);
        var source = new RegistryPackageSource(context, _cache);

        LockFile target;
        if (unlock is null && current is not null && Satisfies(current, manifest))
        {
            target = current;
            context.Output.Detail($"{LockFile.FileName} satisfies synapse.toml; nothing to resolve");
        }
        else
        {
            if (context.Locked && current is null)
            {
                throw new CliException($"There is no {LockFile.FileName} and --locked forbids creating one. Run `synapse pkg install` without --locked and commit the lock file.", code: "lock_outdated");
            }
            var started = Stopwatch.GetTimestamp();
            target = await ResolveAsync(manifest, current, unlock, source, cancellationToken);
            context.Output.Detail($"resolved {target.Packages.Count} packages in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms ({source.NetworkRequests} metadata requests)");
        }

        var lockText = target.Write();
        var lockChanged = current is null || current.Write() != lockText;
        if (lockChanged)
        {
            if (context.Locked)
            {
                throw new CliException($"{LockFile.FileName} is out of date ({Describe(current, target)}) and --locked forbids changing it. Run `synapse pkg install` without --locked and commit the new lock file.", code: "lock_outdated");
            }
            WriteAtomically(lockPath, lockText);
            context.Output.Detail($"wrote {lockPath}");
        }

        var syncStarted = Stopwatch.GetTimestamp();
        var (packages, removed, downloads) = await SyncAsync(target, cancellationToken);
        context.Output.Detail($"installed {packages.Count(p => p.Action == "installed")} packages ({downloads} downloads) in {Stopwatch.GetElapsedTime(syncStarted).TotalMilliseconds:0} ms");
        return new InstallReport(lockChanged, !lockChanged && packages.All(p => p.Action == "unchanged") && removed.Count == 0,
            packages, removed, source.NetworkRequests, downloads);
    }

    /// <summary>
    /// Names the direct dependencies whose range only yanked versions match: "doesn't match any versions" alone
    /// leaves a user wondering where the version they used yesterday went.
    /// </summary>
    private static async Task<string> YankedOnlyNotesAsync(
        IReadOnlyDictionary<string, VersionRange> root, IReadOnlyDictionary<string, string> spelled, RegistryPackageSource source, CancellationToken cancellationToken)
    {
        var notes = new System.Text.StringBuilder();
        foreach (var (name, range) in root.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            VersionsDocument document;
            try
            {
                document = await source.GetAsync(name, cancellationToken);
            }
            catch (Exception ex) when (ex is MissingFromCacheException or RegistryException or HttpRequestException)
            {
                continue; // a note, not worth a second error: the resolver's explanation stands on its own
            }
            var versions = document.Versions
                .Select(v => (Parsed: SemanticVersion.TryParse(v.Version, out var parsed) ? parsed : null, v.Yanked))
                .Where(v => v.Parsed is not null && range.IsSatisfiedBy(v.Parsed))
                .ToList();
            if (versions.Count > 0 && versions.TrueForAll(v => v.Yanked))
            {
                var yanked = string.Join(", ", versions.Select(v => v.Parsed!).Order().Select(v => v.ToString()));
                notes.Append($"\nNote: {name} {spelled.GetValueOrDefault(name) ?? range.ToString()} is matched only by yanked versions ({yanked}); yanked versions are kept for existing lock files but not chosen anew.");
            }
        }
        return notes.ToString();
    }

    private async Task<LockFile> ResolveAsync(ProjectManifest manifest, LockFile? current, IReadOnlyCollection<string>? unlock, RegistryPackageSource source, CancellationToken cancellationToken)
    {
        var root = new Dictionary<string, VersionRange>(StringComparer.Ordinal);
        foreach (var (name, range) in manifest.All)
        {
            root[name] = root.TryGetValue(name, out var existing) ? existing.Intersect(range) : range;
        }
        var locked = new Dictionary<string, SemanticVersion>(StringComparer.Ordinal);
        if (current is not null && !(unlock is { Count: 0 }))
        {
            foreach (var package in current.Packages)
            {
                if (SemanticVersion.TryParse(package.Version, out var version))
                {
                    locked[PackageSpec.Canonical(package.Name)] = version;
                }
            }
        }
        var unlockSet = (unlock ?? []).Select(PackageSpec.Canonical).ToHashSet(StringComparer.Ordinal);
        foreach (var name in unlockSet)
        {
            if (current?.Find(name) is null && !root.Keys.Any(k => PackageSpec.Canonical(k) == name))
            {
                throw CliException.Usage($"{name} is neither a dependency nor in {LockFile.FileName}; nothing to update.");
            }
        }

        IReadOnlyDictionary<string, ResolvedPackage> resolution;
        try
        {
            var request = new ResolutionRequest(root, locked, unlockSet) { RootText = manifest.RangeText };
            resolution = await resolver.ResolveAsync(request, source.GetAsync, cancellationToken);
        }
        catch (MissingFromCacheException missing)
        {
            throw new CliException($"--offline: the metadata of {missing.PackageName} is not in the cache. Run once without --offline to fetch it.", code: "offline_missing");
        }
        catch (ResolutionFailedException failed) when (failed.MissingPackages is [_, ..] missing)
        {
            throw new CliException(failed.Message + "\n" + source.NotFoundMessage(missing), code: "not_found");
        }
        catch (ResolutionFailedException failed)
        {
            var yanked = await YankedOnlyNotesAsync(root, manifest.RangeText, source, cancellationToken);
            throw new CliException(failed.Message + yanked + "\nChange the ranges in synapse.toml so they can be met together, then run the command again.", code: "resolution_failed");
        }

        var byKey = resolution.ToDictionary(p => p.Key, p => p.Value);
        var packages = new List<LockedPackage>();
        foreach (var package in resolution.Values)
        {
            if (!PackageName.IsValid(package.Name))
            {
                throw new CliException($"The registry named a dependency '{package.Name}', which is not a valid package name; nothing was installed. Tell the registry's operators.", code: "invalid_response");
            }
            if (string.IsNullOrEmpty(package.Sha256))
            {
                throw new CliException($"The registry lists no checksum for {package.Name} {package.Version}; it cannot be installed safely. Tell the registry's operators.", code: "invalid_response");
            }
            var dependencies = package.Requirements.Keys
                .Select(d => byKey.TryGetValue(PackageSpec.Canonical(d), out var chosen) ? $"{chosen.Name} {chosen.Version}" : null)
                .OfType<string>()
                .ToList();
            packages.Add(new LockedPackage(package.Name, package.Version.ToString(), Source, "sha256:" + PackageCache.NormalizeHash(package.Sha256), dependencies));
        }
        return new LockFile(packages);
    }

    /// <summary>True when the lock still answers every requirement of the manifest and holds nothing unreachable.</summary>
    private bool Satisfies(LockFile lockFile, ProjectManifest manifest)
    {
        var reachable = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<LockedPackage>();
        foreach (var (name, range) in manifest.All)
        {
            var locked = lockFile.Find(name);
            if (locked is null || locked.Source != Source || !SemanticVersion.TryParse(locked.Version, out var version) || !range.IsSatisfiedBy(version))
            {
                return false;
            }
            pending.Push(locked);
        }
        while (pending.TryPop(out var package))
        {
            if (!reachable.Add(PackageSpec.Canonical(package.Name)))
            {
                continue;
            }
            foreach (var (name, version) in package.DependencyPairs)
            {
                var dependency = lockFile.Find(name);
                if (dependency is null || dependency.Version != version)
                {
                    return false;
                }
                pending.Push(dependency);
            }
        }
        return reachable.Count == lockFile.Packages.Count;
    }

    private async Task<(List<InstalledPackage> Packages, List<string> Removed, int Downloads)> SyncAsync(LockFile lockFile, CancellationToken cancellationToken)
    {
        var results = new ConcurrentBag<InstalledPackage>();
        var missingOffline = new ConcurrentBag<string>();
        var downloads = 0;
        var markers = ReadMarkers();
        var current = new ConcurrentDictionary<string, InstallMarker>(StringComparer.Ordinal);
        var work = new List<LockedPackage>();
        foreach (var package in lockFile.Packages)
        {
            if (markers.TryGetValue(package.Name, out var marker) && marker.Version == package.Version && marker.Checksum == package.Checksum
                && Directory.Exists(Path.Combine(PackagesDirectory, package.Name)))
            {
                current[package.Name] = marker;
                results.Add(new InstalledPackage(package.Name, package.Version, "unchanged"));
            }
            else
            {
                work.Add(package);
            }
        }

        async Task InstallOne(LockedPackage package, Action<string> report, CancellationToken ct)
        {
            var expected = PackageCache.NormalizeHash(package.Checksum);
            var target = Path.Combine(PackagesDirectory, package.Name);
            if (!await TryInstallFromCacheAsync(package, expected, target, ct))
            {
                if (context.Offline)
                {
                    missingOffline.Add($"{package.Name} {package.Version}");
                    return;
                }
                await DownloadAndInstallAsync(package, expected, target, ct);
                Interlocked.Increment(ref downloads);
            }
            current[package.Name] = new InstallMarker(package.Name, package.Version, package.Checksum);
            results.Add(new InstalledPackage(package.Name, package.Version, "installed"));
            report($"Installed {package.Name} {package.Version}");
        }

        try
        {
            if (work.Count > 0)
            {
                // Downloads wait on the network, so several run at once; extraction from the cache timed the same at 1, 2 and 8 on two cores.
                var options = new ParallelOptions { MaxDegreeOfParallelism = MaxParallelDownloads, CancellationToken = cancellationToken };
                if (context.Output.IsRich)
                {
                    await context.Output.Console.Progress().AutoClear(true).StartAsync(async progress =>
                    {
                        var task = progress.AddTask($"Installing {work.Count} packages", maxValue: work.Count);
                        await Parallel.ForEachAsync(work, options, async (package, ct) => await InstallOne(package, _ => task.Increment(1), ct));
                    });
                }
                else
                {
                    var gate = new Lock();
                    await Parallel.ForEachAsync(work, options, async (package, ct) => await InstallOne(package, line =>
                    {
                        lock (gate)
                        {
                            context.Output.Line(line);
                        }
                    }, ct));
                }
            }
        }
        finally
        {
            // Also after a failure: what did get installed is recorded, so the next run does not redo it.
            WriteMarkers(markers, current);
        }

        if (!missingOffline.IsEmpty)
        {
            throw new CliException($"--offline: not in the cache: {string.Join(", ", missingOffline.Order(StringComparer.Ordinal))}. Run once without --offline to fetch them.", code: "offline_missing");
        }

        var removed = RemoveUnneeded(lockFile);
        return (results.OrderBy(r => r.Name, StringComparer.Ordinal).ToList(), removed, downloads);
    }

    /// <summary>
    /// Extracts the cached tarball, verifying its SHA-256 in the same read. A cached file that fails to extract and
    /// no longer hashes right was damaged or altered after it was cached: it is deleted, and false says to fetch it again.
    /// </summary>
    private async Task<bool> TryInstallFromCacheAsync(LockedPackage package, string expected, string target, CancellationToken cancellationToken)
    {
        var cached = _cache.FindTarball(expected);
        if (cached is null)
        {
            return false;
        }
        try
        {
            await PackageExtractor.ExtractAsync(cached, target, package, cancellationToken);
            return true;
        }
        catch (PackageArchiveException)
        {
            if (await PackageCache.ComputeSha256Async(cached, cancellationToken) == expected)
            {
                throw;
            }
        }
        _cache.Evict(expected);
        context.Output.Warning($"The cached tarball of {package.Name} {package.Version} did not match its checksum; it was deleted and will be fetched again.");
        return false;
    }

    /// <summary>Downloads into the cache's temporary folder, extracts from there (verifying the checksum), and only then caches the file.</summary>
    private async Task DownloadAndInstallAsync(LockedPackage package, string expected, string target, CancellationToken cancellationToken)
    {
        var temporary = _cache.NewTemporaryFile();
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                await context.Client.DownloadTarballAsync(package.Name, package.Version, file, null, cancellationToken);
            }
            try
            {
                await PackageExtractor.ExtractAsync(temporary, target, package, cancellationToken);
            }
            catch (PackageArchiveException)
            {
                var actual = await PackageCache.ComputeSha256Async(temporary, cancellationToken);
                if (actual == expected)
                {
                    throw;
                }
                throw new CliException(
                    $"Checksum mismatch for {package.Name} {package.Version}: {LockFile.FileName} expects sha256:{expected} but the download from {context.Registry} hashes to sha256:{actual}. Nothing was installed; if the lock file is right, the registry or a proxy served different bytes.",
                    code: "hash_mismatch");
            }
            _cache.AddTarball(expected, temporary);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    private List<string> RemoveUnneeded(LockFile lockFile)
    {
        var removed = new List<string>();
        if (!Directory.Exists(PackagesDirectory))
        {
            return removed;
        }
        var wanted = lockFile.Packages.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var directory in Directory.EnumerateDirectories(PackagesDirectory))
        {
            var name = Path.GetFileName(directory);
            if (name.StartsWith('.') || wanted.Contains(name))
            {
                continue;
            }
            Directory.Delete(directory, recursive: true);
            removed.Add(name);
            context.Output.Line($"Removed {name}");
        }
        removed.Sort(StringComparer.Ordinal);
        return removed;
    }

    /// <summary>What is installed, by package name, from <c>synapse_packages/.synapse/installed.json</c>.</summary>
    private Dictionary<string, InstallMarker> ReadMarkers()
    {
        try
        {
            var markers = File.Exists(MarkersPath) ? JsonSerializer.Deserialize(File.ReadAllText(MarkersPath), CacheJsonContext.Default.ListInstallMarker) : null;
            return (markers ?? []).Where(m => m is { Name: not null, Version: not null, Checksum: not null })
                .DistinctBy(m => m.Name, StringComparer.Ordinal)
                .ToDictionary(m => m.Name, StringComparer.Ordinal);
        }
        catch (JsonException)
        {
            return new Dictionary<string, InstallMarker>(StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// One file for every package, written after the packages' folders were swapped in: a crash in between leaves a
    /// package unrecorded (the next run extracts it again), never recorded but not there.
    /// </summary>
    private void WriteMarkers(Dictionary<string, InstallMarker> before, IReadOnlyDictionary<string, InstallMarker> now)
    {
        if (before.Count == now.Count && now.All(m => before.TryGetValue(m.Key, out var old) && old == m.Value) && File.Exists(MarkersPath))
        {
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(MarkersPath)!);
        var markers = now.Values.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        WriteAtomically(MarkersPath, JsonSerializer.Serialize(markers, CacheJsonContext.Default.ListInstallMarker));
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private static string Describe(LockFile? before, LockFile after)
    {
        var old = (before?.Packages ?? []).ToDictionary(p => p.Name, p => p.Version, StringComparer.Ordinal);
        var now = after.Packages.ToDictionary(p => p.Name, p => p.Version, StringComparer.Ordinal);
        var changes = new List<string>();
        changes.AddRange(now.Where(p => !old.ContainsKey(p.Key)).Select(p => $"+{p.Key} {p.Value}"));
        changes.AddRange(now.Where(p => old.TryGetValue(p.Key, out var v) && v != p.Value).Select(p => $"{p.Key} {old[p.Key]} -> {p.Value}"));
        changes.AddRange(old.Where(p => !now.ContainsKey(p.Key)).Select(p => $"-{p.Key} {p.Value}"));
        return changes.Count == 0 ? "its contents would be rewritten" : "would change: " + string.Join(", ", changes);
    }
}

/// <summary>What <c>synapse_packages/.synapse/installed/&lt;name&gt;.json</c> records about an extracted package.</summary>
internal sealed record InstallMarker(string Name, string Version, string Checksum);
