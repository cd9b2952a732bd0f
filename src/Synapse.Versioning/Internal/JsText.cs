namespace Synapse.Versioning.Internal;

/// <summary>Text helpers that follow ECMAScript rules, so parsing matches node-semver exactly.</summary>
internal static class JsText
{
    /// <summary>ECMAScript <c>\s</c>: the characters node-semver trims and splits on.</summary>
    public static bool IsWhiteSpace(char c) => c switch
    {
        '\t' or '\n' or '\v' or '\f' or '\r' or ' ' or '\u00a0' or '\u1680' or '\u2028' or '\u2029' or '\u202f'
            or '\u205f' or '\u3000' or '\ufeff' => true,
        >= '\u2000' and <= '\u200a' => true,
        _ => false,
    };

    public static string Trim(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        return start == 0 && end == text.Length ? text : text[start..end];
    }

    /// <summary>Quotes user input for an error message, shortened and with control characters escaped.</summary>
    public static string Quote(string text)
    {
        const int MaxShown = 64;
        var shown = text.Length > MaxShown ? text[..MaxShown] + "…" : text;
        var builder = new System.Text.StringBuilder(shown.Length + 2);
        builder.Append('"');
        foreach (var c in shown)
        {
            if (char.IsControl(c) || c == '"' || c == '\\')
            {
                builder.Append(c switch
                {
                    '"' => "\\\"",
                    '\\' => "\\\\",
                    '\n' => "\\n",
                    '\r' => "\\r",
                    '\t' => "\\t",
                    _ => $"\\u{(int)c:x4}",
                });
            }
            else
            {
                builder.Append(c);
            }
        }

        builder.Append('"');
        return builder.ToString();
    }
}
