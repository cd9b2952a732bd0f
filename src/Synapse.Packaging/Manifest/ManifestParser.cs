using Synapse.Versioning;
using Tomlyn;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Synapse.Packaging;

/// <summary>
/// Reads <c>synapse.toml</c>. Every problem is reported at once, each with the file, the 1-based line and the
/// key, and what is allowed.
/// </summary>
/// <remarks>
/// <para>Unknown keys are errors, not warnings: inside <c>[package]</c> a typo such as <c>licence</c> would
/// otherwise silently drop the license, so the error suggests the closest known key. Unknown tables and
/// top-level keys are errors for the same reason. See <c>docs/MANIFEST.md</c>.</para>
/// <para>A missing <c>license</c> is accepted here (local development needs none); publishing requires one:
/// use <see cref="ManifestMode.Publish"/> or <see cref="ManifestValidator.ValidateForPublish"/>.</para>
/// </remarks>
public static class ManifestParser
{
    /// <summary>The manifest's file name, at the package root.</summary>
    public const string FileName = "synapse.toml";

    /// <summary>Largest manifest accepted, in bytes of UTF-8 (1 MiB).</summary>
    public const int MaxManifestBytes = 1024 * 1024;

    /// <summary>Keys allowed in <c>[package]</c>.</summary>
    public static IReadOnlyList<string> PackageKeys { get; } =
        ["name", "version", "description", "license", "authors", "keywords", "repository", "homepage", "readme"];

    /// <summary>Top-level tables allowed.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["package", "dependencies", "dev-dependencies"];

    private static readonly TomlSerializerOptions TomlOptions = new() { MaxDepth = 32 };

    /// <summary>Parses and validates a manifest for local use (no license required).</summary>
    /// <param name="tomlText">The manifest's text.</param>
    /// <param name="filePath">The path shown in error messages.</param>
    /// <exception cref="ManifestException">The manifest is invalid; carries every error found.</exception>
    public static PackageManifest Parse(string tomlText, string filePath) => Parse(tomlText, filePath, ManifestMode.Local);

    /// <summary>Parses and validates a manifest.</summary>
    /// <param name="tomlText">The manifest's text.</param>
    /// <param name="filePath">The path shown in error messages.</param>
    /// <param name="mode"><see cref="ManifestMode.Publish"/> also applies the publishing rules (license required).</param>
    /// <exception cref="ManifestException">The manifest is invalid; carries every error found.</exception>
    public static PackageManifest Parse(string tomlText, string filePath, ManifestMode mode)
    {
        if (TryParse(tomlText, filePath, mode, out var manifest, out var errors))
            return manifest;
        throw new ManifestException(errors);
    }

    /// <summary>Parses and validates a manifest without throwing.</summary>
    /// <returns>True with the manifest, or false with every error found.</returns>
    public static bool TryParse(
        string tomlText,
        string filePath,
        ManifestMode mode,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PackageManifest? manifest,
        out IReadOnlyList<ManifestError> errors)
    {
        ArgumentNullException.ThrowIfNull(tomlText);
        ArgumentNullException.ThrowIfNull(filePath);
        var reader = new ManifestReader(filePath, mode);
        manifest = reader.Read(tomlText);
        errors = [.. reader.Errors.OrderBy(e => e.Line)];
        if (errors.Count == 0)
            return manifest is not null;
        manifest = null;
        return false;
    }

    /// <summary>Reads and parses a manifest file.</summary>
    /// <exception cref="ManifestException">The manifest is invalid or too large.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PackageManifest ParseFile(string path, ManifestMode mode = ManifestMode.Local)
    {
        ArgumentNullException.ThrowIfNull(path);
        var length = new FileInfo(path).Length;
        if (length > MaxManifestBytes)
            throw new ManifestException([new ManifestError(path, 1, "", $"the manifest is {length} bytes; at most {MaxManifestBytes} are allowed")]);
        return Parse(File.ReadAllText(path), path, mode);
    }

    /// <summary>Walks the syntax tree, collecting errors instead of stopping at the first.</summary>
    private sealed class ManifestReader(string file, ManifestMode mode)
    {
        public List<ManifestError> Errors { get; } = [];

        private void Error(int line, string key, string message) => Errors.Add(new ManifestError(file, line, key, message));

        public PackageManifest? Read(string text)
        {
            if (text.Length > MaxManifestBytes)
            {
                Error(1, "", $"the manifest is {text.Length} characters long; at most {MaxManifestBytes} bytes are allowed");
                return null;
            }

            DocumentSyntax document;
            try
            {
                document = SyntaxParser.Parse(text, TomlOptions, file, validate: true);
            }
            catch (TomlException ex)
            {
                Error(1, "", $"invalid TOML: {ex.Message}");
                return null;
            }
            if (document.HasErrors)
            {
                foreach (var diagnostic in document.Diagnostics.Where(d => d.Kind == DiagnosticMessageKind.Error))
                    Error(LineOf(diagnostic.Span), "", $"invalid TOML: {diagnostic.Message}");
                return null;
            }

            var entries = new List<Entry>();
            var tableLines = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var keyValue in document.KeyValues)
                Flatten([], keyValue, entries);
            foreach (var table in document.Tables)
            {
                var path = KeyPath(table.Name);
                var line = LineOf(table.Span);
                if (table is TableArraySyntax)
                {
                    Error(line, Join(path), $"[[{Join(path)}]] (an array of tables) is not allowed here; use [{Join(path)}]");
                    continue;
                }
                tableLines.TryAdd(path[0], line);
                entries.Add(new Entry(path, null, line));
                foreach (var keyValue in table.Items)
                    Flatten(path, keyValue, entries);
            }

            foreach (var group in entries.GroupBy(e => e.Path[0], StringComparer.Ordinal))
            {
                if (!Tables.Contains(group.Key))
                {
                    var first = group.First();
                    var isTable = group.Any(e => e.Path.Length > 1) || first.Value is null;
                    Error(first.Line, group.Key, isTable
                        ? $"unknown table [{group.Key}]{Hint(Suggest(group.Key, Tables), "[{0}]")}; allowed tables are {string.Join(", ", Tables.Select(t => $"[{t}]"))}"
                        : PackageKeys.Contains(group.Key)
                            ? $"\"{group.Key}\" is outside any table; package fields belong under [package]: move it below the [package] header"
                            : $"unknown top-level key \"{group.Key}\"; package fields belong under [package]");
                }
            }

            if (!tableLines.ContainsKey("package") && !entries.Any(e => e.Path[0] == "package"))
            {
                Error(1, "package", "the [package] table is missing; add [package] with at least name and version");
                return null;
            }
            var packageLine = tableLines.TryGetValue("package", out var pl) ? pl : entries.First(e => e.Path[0] == "package").Line;

            var fields = ReadPackage(entries.Where(e => e.Path[0] == "package").ToList(), packageLine);
            var dependencies = ReadDependencies("dependencies", entries, fields.Name);
            var devDependencies = ReadDependencies("dev-dependencies", entries, fields.Name);

            if (Errors.Count > 0 || fields.Name is null || fields.Version is null)
                return null;
            return new PackageManifest
            {
                Name = fields.Name,
                Version = fields.Version,
                Description = fields.Description,
                License = fields.License,
                Authors = fields.Authors,
                Keywords = fields.Keywords,
                Repository = fields.Repository,
                Homepage = fields.Homepage,
                Readme = fields.Readme,
                Dependencies = dependencies,
                DevDependencies = devDependencies,
                PackageLine = packageLine,
            };
        }

        private sealed class PackageFields
        {
            public string? Name;
            public SemanticVersion? Version;
            public string? Description;
            public string? License;
            public IReadOnlyList<string> Authors = [];
            public IReadOnlyList<string> Keywords = [];
            public string? Repository;
            public string? Homepage;
            public string? Readme;
        }

        private PackageFields ReadPackage(List<Entry> entries, int packageLine)
        {
            var fields = new PackageFields();
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in entries)
            {
                if (entry.Path.Length == 1)
                {
                    if (entry.Value is not null)
                        Error(entry.Line, "package", $"expected a table ([package]), found {Describe(entry.Value)}");
                    continue;
                }
                var field = entry.Path[1];
                var key = "package." + field;
                if (!PackageKeys.Contains(field))
                {
                    if (reported.Add(field))
                        Error(entry.Line, key, $"unknown key \"{field}\"{Hint(Suggest(field, PackageKeys), "\"{0}\"")}; allowed keys in [package] are {string.Join(", ", PackageKeys)}");
                    continue;
                }
                if (entry.Path.Length > 2 || entry.Value is null)
                {
                    if (reported.Add(field))
                        Error(entry.Line, key, field is "authors" or "keywords" ? "expected an array of strings, found a table" : "expected a string, found a table");
                    continue;
                }
                switch (field)
                {
                    case "name":
                        if (ExpectString(entry, key) is { } name)
                        {
                            if (PackageName.Validate(name) is { } nameError)
                                Error(entry.Line, key, nameError);
                            else
                                fields.Name = name;
                        }
                        break;
                    case "version":
                        if (ExpectString(entry, key) is { } versionText)
                        {
                            try
                            {
                                var version = SemanticVersion.Parse(versionText);
                                // The parser is as lenient as node-semver (a leading "v" or "="); a manifest is not.
                                if (version.ToString() == versionText)
                                    fields.Version = version;
                                else
                                    Error(entry.Line, key, $"\"{versionText}\" is not a strict SemVer 2.0.0 version; write \"{version}\"");
                            }
                            catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
                            {
                                Error(entry.Line, key, $"\"{versionText}\" is not a strict SemVer 2.0.0 version such as \"1.4.0\" or \"2.0.0-beta.1\": {ex.Message}");
                            }
                        }
                        break;
                    case "description":
                        fields.Description = ExpectString(entry, key);
                        if (fields.Description is { Length: > MaxDescriptionLength })
                            Error(entry.Line, key, $"a description is at most {MaxDescriptionLength} characters; this one has {fields.Description.Length}");
                        break;
                    case "license":
                        if (ExpectString(entry, key) is { } license)
                        {
                            if (LicenseExpression.Validate(license) is { } licenseError)
                                Error(entry.Line, key, licenseError);
                            else
                                fields.License = license;
                        }
                        break;
                    case "authors":
                        fields.Authors = ExpectStringArray(entry, key, "authors", (author, _) =>
                            string.IsNullOrWhiteSpace(author) ? "an author cannot be empty" :
                            author.Length > MaxAuthorLength ? $"an author is at most {MaxAuthorLength} characters" : null) ?? [];
                        break;
                    case "keywords":
                        fields.Keywords = ExpectStringArray(entry, key, "keywords", (keyword, _) => KeywordError(keyword)) ?? [];
                        if (entry.Value is ArraySyntax { Items.ChildrenCount: > MaxKeywords and var count })
                            Error(entry.Line, key, $"at most {MaxKeywords} keywords are allowed; found {count}");
                        break;
                    case "repository":
                        fields.Repository = ExpectUrl(entry, key);
                        break;
                    case "homepage":
                        fields.Homepage = ExpectUrl(entry, key);
                        break;
                    case "readme":
                        if (ExpectString(entry, key) is { } readme)
                        {
                            if (ArchivePath.Validate(readme) is { } readmeError)
                                Error(entry.Line, key, $"the readme must be a relative path inside the package using '/' separators: {readmeError}");
                            else
                                fields.Readme = readme;
                        }
                        break;
                    default:
                        throw new InvalidOperationException($"Unhandled package key {field}.");
                }
            }
            if (!entries.Any(e => e.Path.Length >= 2 && e.Path[1] == "name"))
                Error(packageLine, "package.name", "the package name is missing; add name = \"my-package\" (lowercase letters, digits, '-' or '_')");
            if (!entries.Any(e => e.Path.Length >= 2 && e.Path[1] == "version"))
                Error(packageLine, "package.version", "the package version is missing; add version = \"0.1.0\" (strict SemVer 2.0.0)");
            if (mode == ManifestMode.Publish && !entries.Any(e => e.Path.Length >= 2 && e.Path[1] == "license"))
                Error(packageLine, "package.license", ManifestValidator.LicenseRequiredMessage);
            return fields;
        }

        private Dictionary<string, VersionRange> ReadDependencies(string table, List<Entry> all, string? packageName)
        {
            var result = new Dictionary<string, VersionRange>(StringComparer.Ordinal);
            var canonicalNames = new Dictionary<string, string>(StringComparer.Ordinal);
            var reported = new HashSet<string>(StringComparer.Ordinal);
            foreach (var entry in all.Where(e => e.Path[0] == table))
            {
                if (entry.Path.Length == 1)
                {
                    if (entry.Value is not null)
                        Error(entry.Line, table, $"expected a table ([{table}]), found {Describe(entry.Value)}");
                    continue;
                }
                var name = entry.Path[1];
                var key = $"{table}.{name}";
                if (!reported.Add(name))
                    continue;
                if (PackageName.Validate(name) is { } nameError)
                {
                    Error(entry.Line, key, $"invalid dependency name: {nameError}");
                    continue;
                }
                if (entry.Path.Length > 2 || entry.Value is null)
                {
                    Error(entry.Line, key, $"expected a version range string such as {name} = \"^1.2.0\"; dependency tables are not supported");
                    continue;
                }
                if (packageName is not null && PackageName.AreEquivalent(name, packageName))
                {
                    Error(entry.Line, key, $"a package cannot depend on itself; remove \"{name}\" from [{table}]");
                    continue;
                }
                var canonical = PackageName.Canonicalize(name);
                if (canonicalNames.TryGetValue(canonical, out var previous))
                {
                    Error(entry.Line, key, $"\"{name}\" and \"{previous}\" name the same package ('_' and '-' are equivalent); keep one");
                    continue;
                }
                canonicalNames[canonical] = name;
                if (ExpectString(entry, key, "a version range string such as \"^1.2.0\"") is not { } rangeText)
                    continue;
                try
                {
                    result[name] = VersionRange.Parse(rangeText);
                }
                catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
                {
                    Error(entry.Line, key, $"\"{rangeText}\" is not a valid version range (node-semver syntax such as \"^1.2.0\", \"~1.2\", \">=1.0.0 <2.0.0\"): {ex.Message}");
                }
            }
            return result;
        }

        private string? ExpectString(Entry entry, string key, string expected = "a string")
        {
            if (entry.Value is StringValueSyntax { Value: { } text })
                return text;
            Error(entry.Line, key, $"expected {expected}, found {Describe(entry.Value)}");
            return null;
        }

        private List<string>? ExpectStringArray(Entry entry, string key, string what, Func<string, int, string?> validateItem)
        {
            if (entry.Value is not ArraySyntax array)
            {
                Error(entry.Line, key, $"expected an array of strings such as {what} = [\"...\"], found {Describe(entry.Value)}");
                return null;
            }
            var items = new List<string>();
            var index = 0;
            foreach (var item in array.Items)
            {
                index++;
                if (item.Value is StringValueSyntax { Value: { } text })
                {
                    if (validateItem(text, index) is { } error)
                        Error(LineOf(item.Span, entry.Line), key, $"item {index} (\"{text}\"): {error}");
                    else
                        items.Add(text);
                }
                else
                {
                    Error(LineOf(item.Span, entry.Line), key, $"item {index}: expected a string, found {Describe(item.Value)}");
                }
            }
            return items;
        }

        private string? ExpectUrl(Entry entry, string key)
        {
            if (ExpectString(entry, key) is not { } text)
                return null;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                && !string.IsNullOrEmpty(uri.Host))
                return text;
            Error(entry.Line, key, $"\"{text}\" is not an absolute http(s) URL; write it as \"https://example.org/...\"");
            return null;
        }

        private static void Flatten(string[] prefix, KeyValueSyntax keyValue, List<Entry> entries)
        {
            string[] path = [.. prefix, .. KeyPath(keyValue.Key)];
            var line = LineOf(keyValue.Span);
            if (keyValue.Value is InlineTableSyntax inline)
            {
                entries.Add(new Entry(path, null, line));
                foreach (var item in inline.Items)
                {
                    if (item.KeyValue is { } nested)
                        Flatten(path, nested, entries);
                }
                return;
            }
            entries.Add(new Entry(path, keyValue.Value, line));
        }
    }

    private const int MaxDescriptionLength = 1000;
    private const int MaxAuthorLength = 200;
    private const int MaxKeywords = 5;
    private const int MaxKeywordLength = 20;

    internal static string? KeywordError(string keyword)
    {
        if (keyword.Length is 0 or > MaxKeywordLength)
            return $"a keyword is 1-{MaxKeywordLength} characters long";
        foreach (var c in keyword)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c != '-')
                return $"a keyword uses only lowercase letters, digits and '-'";
        }
        return null;
    }

    /// <summary>One key's full dotted path with its value (null for a table) and line.</summary>
    private sealed record Entry(string[] Path, ValueSyntax? Value, int Line);

    private static string[] KeyPath(KeySyntax? key)
    {
        if (key is null)
            return [""];
        var parts = new List<string> { KeyText(key.Key) };
        foreach (var dotted in key.DotKeys)
            parts.Add(KeyText(dotted.Key));
        return [.. parts];
    }

    private static string KeyText(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text ?? "",
        StringValueSyntax quoted => quoted.Value ?? "",
        _ => "",
    };

    private static string Join(string[] path) => string.Join('.', path);

    private static int LineOf(SourceSpan span, int fallback = 1) => span.Start.Line >= 0 ? span.Start.Line + 1 : fallback;

    private static string Describe(ValueSyntax? value) => value switch
    {
        null => "a table",
        StringValueSyntax => "a string",
        IntegerValueSyntax => "an integer",
        FloatValueSyntax => "a float",
        BooleanValueSyntax => "a boolean",
        ArraySyntax => "an array",
        InlineTableSyntax => "a table",
        DateTimeValueSyntax => "a date/time",
        _ => "an unsupported value",
    };

    private static string? Suggest(string unknown, IEnumerable<string> known) => known
        .Select(k => (Key: k, Distance: EditDistance(unknown.ToLowerInvariant(), k)))
        .Where(c => c.Distance <= Math.Max(1, c.Key.Length / 3))
        .OrderBy(c => c.Distance)
        .Select(c => c.Key)
        .FirstOrDefault();

    private static string Hint(string? suggestion, string format) =>
        suggestion is null ? "" : $" (did you mean {string.Format(System.Globalization.CultureInfo.InvariantCulture, format, suggestion)}?)";

    private static int EditDistance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
            return int.MaxValue;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
