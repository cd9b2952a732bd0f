using Synapse.Cli.Infrastructure;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Synapse.Cli.Manifest;

/// <summary>
/// Edits the dependency tables of a <c>synapse.toml</c> through Tomlyn's syntax tree, so everything else in the
/// file (comments, ordering, spacing, quoting) stays exactly as the user wrote it.
/// </summary>
internal sealed class ManifestEditor
{
    public const string Dependencies = "dependencies";
    public const string DevDependencies = "dev-dependencies";

    private readonly DocumentSyntax _document;

    private ManifestEditor(string path, DocumentSyntax document)
    {
        FilePath = path;
        _document = document;
    }

    public string FilePath { get; }

    public static ManifestEditor Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliException($"No synapse.toml in {Path.GetDirectoryName(path)}. Run `synapse pkg init` to create one, or cd into your package.");
        }
        return Parse(File.ReadAllText(path), path);
    }

    public static ManifestEditor Parse(string text, string path)
    {
        var document = SyntaxParser.Parse(text, path);
        if (document.HasErrors)
        {
            var first = document.Diagnostics.First(d => d.Kind == DiagnosticMessageKind.Error);
            throw new CliException($"{path}:{first.Span.Start.Line + 1}: {first.Message}. Fix the TOML syntax and try again.", code: "invalid_manifest");
        }
        return new ManifestEditor(path, document);
    }

    /// <summary>Sets <paramref name="name"/> to <paramref name="range"/> in <paramref name="section"/>; returns the previous range, if any.</summary>
    public string? SetDependency(string section, string name, string range)
    {
        var table = FindTable(section) ?? AddTable(section);
        string? previous = null;
        KeyValueSyntax? existing = null;
        foreach (var item in table.Items.ToList())
        {
            if (KeyText(item.Key) is { } key && PackageSpec.Canonical(key) == PackageSpec.Canonical(name))
            {
                if (existing is null)
                {
                    existing = item;
                    previous = (item.Value as StringValueSyntax)?.Value;
                }
                else
                {
                    table.Items.RemoveChild(item);
                }
            }
        }
        var value = new StringValueSyntax(range);
        if (existing is not null)
        {
            if (existing.Value is { } old)
            {
                value.LeadingTrivia = old.LeadingTrivia;
                value.TrailingTrivia = old.TrailingTrivia;
                if (old is StringValueSyntax { Token: { } oldToken } && value.Token is { } newToken)
                {
                    newToken.LeadingTrivia = oldToken.LeadingTrivia;
                    newToken.TrailingTrivia = oldToken.TrailingTrivia;
                }
            }
            existing.Value = value;
        }
        else
        {
            var entry = new KeyValueSyntax(name, value);
            entry.EqualToken!.LeadingTrivia = [new SyntaxTrivia(TokenKind.Whitespaces, " ")];
            entry.EqualToken.TrailingTrivia = [new SyntaxTrivia(TokenKind.Whitespaces, " ")];
            entry.EndOfLineToken = new SyntaxToken(TokenKind.NewLine, "\n");
            if (table.Items.ChildrenCount > 0)
            {
                // Blank lines after the last entry belong to its end-of-line token; keep them after the new entry.
                var last = table.Items.GetChild(table.Items.ChildrenCount - 1)!;
                last.EndOfLineToken ??= new SyntaxToken(TokenKind.NewLine, "\n");
                entry.EndOfLineToken.TrailingTrivia = last.EndOfLineToken.TrailingTrivia;
                last.EndOfLineToken.TrailingTrivia = null;
            }
            else
            {
                // Likewise blank lines under an empty table's header: the entry goes right under it.
                table.EndOfLineToken ??= new SyntaxToken(TokenKind.NewLine, "\n");
                entry.EndOfLineToken.TrailingTrivia = table.EndOfLineToken.TrailingTrivia;
                table.EndOfLineToken.TrailingTrivia = null;
            }
            table.Items.Add(entry);
        }
        return previous;
    }

    /// <summary>Removes <paramref name="name"/> (either spelling) from both dependency tables; returns the sections it was in.</summary>
    public IReadOnlyList<string> RemoveDependency(string name)
    {
        var removedFrom = new List<string>();
        foreach (var section in new[] { Dependencies, DevDependencies })
        {
            if (FindTable(section) is not { } table)
            {
                continue;
            }
            foreach (var item in table.Items.ToList())
            {
                if (KeyText(item.Key) is { } key && PackageSpec.Canonical(key) == PackageSpec.Canonical(name))
                {
                    table.Items.RemoveChild(item);
                    removedFrom.Add(section);
                }
            }
        }
        return removedFrom;
    }

    public IReadOnlyDictionary<string, string> Read(string section)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (FindTable(section) is { } table)
        {
            foreach (var item in table.Items)
            {
                if (KeyText(item.Key) is { } key && item.Value is StringValueSyntax text)
                {
                    result[key] = text.Value ?? "";
                }
            }
        }
        return result;
    }

    public override string ToString() => _document.ToString();

    public void Save()
    {
        var temporary = FilePath + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temporary, ToString());
        File.Move(temporary, FilePath, overwrite: true);
    }

    private TableSyntax? FindTable(string section) =>
        _document.Tables.OfType<TableSyntax>().FirstOrDefault(t => KeyText(t.Name) == section);

    private TableSyntax AddTable(string section)
    {
        var table = new TableSyntax(new KeySyntax(section));
        table.EndOfLineToken = new SyntaxToken(TokenKind.NewLine, "\n");
        var text = _document.ToString();
        var trivia = new List<SyntaxTrivia>();
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            trivia.Add(new SyntaxTrivia(TokenKind.NewLine, "\n"));
        }
        if (text.Length > 0 && !text.EndsWith("\n\n", StringComparison.Ordinal))
        {
            trivia.Add(new SyntaxTrivia(TokenKind.NewLine, "\n"));
        }
        table.OpenBracket!.LeadingTrivia = trivia;
        _document.Tables.Add(table);
        return table;
    }

    private static string? KeyText(KeySyntax? key)
    {
        if (key?.Key is null)
        {
            return null;
        }
        var parts = new List<string?> { Simple(key.Key) };
        parts.AddRange(key.DotKeys.Select(d => Simple(d.Key)));
        return parts.Any(p => p is null) ? null : string.Join('.', parts);
    }

    private static string? Simple(BareKeyOrStringValueSyntax? key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text,
        StringValueSyntax text => text.Value,
        _ => null,
    };
}
