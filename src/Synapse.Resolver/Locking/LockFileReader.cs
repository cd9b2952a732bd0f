using System.Globalization;
using System.Text;
using Synapse.Versioning;

namespace Synapse.Resolver.Locking;

/// <summary>
/// Reads the fixed subset of TOML that <see cref="LockFileWriter"/> produces: comments, a top-level
/// <c>version</c>, and <c>[[package]]</c> tables of strings and one-line string arrays.
/// </summary>
internal static class LockFileReader
{
    private sealed class PackageDraft(int line)
    {
        public int Line { get; } = line;
        public Dictionary<string, object> Values { get; } = new(StringComparer.Ordinal);
    }

    private static readonly string[] PackageKeys = ["name", "version", "source", "checksum", "dependencies"];

    public static LockFile Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int? formatVersion = null;
        var packages = new List<PackageDraft>();
        PackageDraft? current = null;
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var lineNumber = index + 1;
            var line = lines[index].TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            if (line[0] == '[')
            {
                if (StripComment(line) != "[[package]]")
                {
                    throw new LockFileException($"unexpected table '{line}'; only [[package]] tables are allowed", lineNumber);
                }
                if (formatVersion is null) throw MissingVersion(lineNumber);
                current = new PackageDraft(lineNumber);
                packages.Add(current);
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0) throw new LockFileException($"expected 'key = value' but found '{line}'", lineNumber);
            var key = line[..equals].Trim();
            var cursor = new Cursor(line, equals + 1, lineNumber);
            cursor.SkipSpaces();

            if (current is null)
            {
                if (key != "version") throw new LockFileException($"unknown key '{key}' before the first [[package]]; only 'version' is allowed", lineNumber);
                if (formatVersion is not null) throw new LockFileException("'version' is set twice", lineNumber);
                formatVersion = cursor.ReadInteger();
                cursor.ExpectEnd();
                if (formatVersion > LockFile.CurrentVersion)
                {
                    throw new LockFileException($"synapse.lock was written by a newer synapse (format {formatVersion}); upgrade synapse");
                }
                if (formatVersion < 1)
                {
                    throw new LockFileException($"format version {formatVersion} is not valid; delete synapse.lock and run 'synapse pkg install'", lineNumber);
                }
                continue;
            }

            if (Array.IndexOf(PackageKeys, key) < 0)
            {
                throw new LockFileException($"unknown key '{key}'; a [[package]] has {string.Join(", ", PackageKeys)}", lineNumber);
            }
            if (current.Values.ContainsKey(key)) throw new LockFileException($"'{key}' is set twice in one [[package]]", lineNumber);
            object value = key == "dependencies" ? cursor.ReadStringArray() : cursor.ReadString();
            cursor.ExpectEnd();
            if (key == "version")
            {
                if (!SemanticVersion.TryParse((string)value, out var version))
                {
                    throw new LockFileException($"'{value}' is not a valid version (expected MAJOR.MINOR.PATCH)", lineNumber);
                }
                value = version;
            }
            current.Values[key] = value;
        }

        if (formatVersion is null) throw MissingVersion(lines.Length);

        var result = new List<LockedPackage>(packages.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var draft in packages)
        {
            foreach (var key in PackageKeys)
            {
                if (!draft.Values.ContainsKey(key)) throw new LockFileException($"this [[package]] has no '{key}'", draft.Line);
            }
            var name = (string)draft.Values["name"];
            if (name.Length == 0) throw new LockFileException("package name is empty", draft.Line);
            if (!names.Add(name)) throw new LockFileException($"package '{name}' is listed twice", draft.Line);
            result.Add(new LockedPackage(
                name,
                (SemanticVersion)draft.Values["version"],
                (string)draft.Values["source"],
                (string)draft.Values["checksum"],
                (List<string>)draft.Values["dependencies"]));
        }
        return new LockFile(result, formatVersion.Value);
    }

    private static LockFileException MissingVersion(int line) =>
        new("missing 'version = 1' at the top; delete synapse.lock and run 'synapse pkg install' to regenerate it", line);

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#', StringComparison.Ordinal);
        return (hash < 0 ? line : line[..hash]).Trim();
    }

    private sealed class Cursor(string text, int position, int line)
    {
        private int _position = position;

        public void SkipSpaces()
        {
            while (_position < text.Length && (text[_position] == ' ' || text[_position] == '\t')) _position++;
        }

        public void ExpectEnd()
        {
            SkipSpaces();
            if (_position < text.Length && text[_position] != '#')
            {
                throw new LockFileException($"unexpected '{text[_position..]}' after the value", line);
            }
        }

        public int ReadInteger()
        {
            var start = _position;
            while (_position < text.Length && char.IsAsciiDigit(text[_position])) _position++;
            if (start == _position || !int.TryParse(text.AsSpan(start, _position - start), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new LockFileException("expected a whole number", line);
            }
            return value;
        }

        public List<string> ReadStringArray()
        {
            if (_position >= text.Length || text[_position] != '[') throw new LockFileException("expected an array of strings like [\"name 1.0.0\"]", line);
            _position++;
            var items = new List<string>();
            SkipSpaces();
            if (_position < text.Length && text[_position] == ']')
            {
                _position++;
                return items;
            }
            while (true)
            {
                SkipSpaces();
                items.Add(ReadString());
                SkipSpaces();
                if (_position >= text.Length) throw new LockFileException("array is not closed with ']'", line);
                if (text[_position] == ']')
                {
                    _position++;
                    return items;
                }
                if (text[_position] != ',') throw new LockFileException($"expected ',' or ']' in the array but found '{text[_position]}'", line);
                _position++;
                SkipSpaces();
                if (_position < text.Length && text[_position] == ']')
                {
                    _position++;
                    return items;
                }
            }
        }

        public string ReadString()
        {
            if (_position >= text.Length || text[_position] != '"') throw new LockFileException("expected a string in double quotes", line);
            _position++;
            var builder = new StringBuilder();
            while (true)
            {
                if (_position >= text.Length) throw new LockFileException("string is not closed with '\"'", line);
                var c = text[_position++];
                if (c == '"') return builder.ToString();
                if (c < 0x20 && c != '\t') throw new LockFileException("control character inside a string", line);
                if (c != '\\')
                {
                    builder.Append(c);
                    continue;
                }
                if (_position >= text.Length) throw new LockFileException("string ends with a lone '\\'", line);
                var escape = text[_position++];
                switch (escape)
                {
                    case '"': builder.Append('"'); break;
                    case '\\': builder.Append('\\'); break;
                    case 'b': builder.Append('\b'); break;
                    case 't': builder.Append('\t'); break;
                    case 'n': builder.Append('\n'); break;
                    case 'f': builder.Append('\f'); break;
                    case 'r': builder.Append('\r'); break;
                    case 'u': builder.Append(ReadCodePoint(4)); break;
                    case 'U': builder.Append(ReadCodePoint(8)); break;
                    default: throw new LockFileException($"unknown escape '\\{escape}' in a string", line);
                }
            }
        }

        private string ReadCodePoint(int digits)
        {
            if (_position + digits > text.Length
                || !int.TryParse(text.AsSpan(_position, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var codePoint)
                || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                throw new LockFileException($"invalid \\u escape: expected {digits} hex digits of a Unicode scalar value", line);
            }
            _position += digits;
            return char.ConvertFromUtf32(codePoint);
        }
    }
}
