namespace Synapse.Packaging;

/// <summary>
/// A syntactic check of SPDX license expressions: identifiers (<c>MIT</c>, <c>Apache-2.0</c>,
/// <c>GPL-2.0+</c>, <c>LicenseRef-x</c>) joined by <c>AND</c>, <c>OR</c>, <c>WITH</c> and parentheses.
/// The identifier list itself is not checked, so new SPDX identifiers need no update here.
/// </summary>
internal static class LicenseExpression
{
    private const int MaxLength = 256;

    public static string? Validate(string expression)
    {
        const string Allowed = "use an SPDX expression such as \"MIT\" or \"MIT OR Apache-2.0\"";
        if (string.IsNullOrWhiteSpace(expression))
            return $"the license cannot be empty; {Allowed}";
        if (expression.Length > MaxLength)
            return $"the license expression is at most {MaxLength} characters";

        var tokens = Tokenize(expression);
        if (tokens is null)
            return $"\"{expression}\" contains characters not allowed in a license expression; {Allowed}";

        // Grammar: expr := term ((AND|OR) term)* ; term := '(' expr ')' | id [WITH id]
        var position = 0;
        var depth = 0;
        var expectOperand = true;
        while (position < tokens.Count)
        {
            var token = tokens[position++];
            if (expectOperand)
            {
                if (token == "(")
                {
                    depth++;
                    continue;
                }
                if (IsOperator(token) || token == ")")
                    return $"\"{expression}\" is not a valid license expression: unexpected '{token}'; {Allowed}";
                if (position < tokens.Count && tokens[position] == "WITH")
                {
                    if (position + 1 >= tokens.Count || IsOperator(tokens[position + 1]) || tokens[position + 1] is "(" or ")")
                        return $"\"{expression}\" is not a valid license expression: WITH must be followed by an exception identifier; {Allowed}";
                    position += 2;
                }
                expectOperand = false;
            }
            else if (token == ")")
            {
                if (--depth < 0)
                    return $"\"{expression}\" is not a valid license expression: unbalanced ')'; {Allowed}";
            }
            else if (token is "AND" or "OR")
            {
                expectOperand = true;
            }
            else
            {
                return $"\"{expression}\" is not a valid license expression: expected AND or OR before '{token}'; {Allowed}";
            }
        }
        if (expectOperand || depth != 0)
            return $"\"{expression}\" is not a valid license expression: it is incomplete; {Allowed}";
        return null;
    }

    private static bool IsOperator(string token) => token is "AND" or "OR" or "WITH";

    private static List<string>? Tokenize(string expression)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < expression.Length)
        {
            var c = expression[i];
            if (c == ' ')
            {
                i++;
            }
            else if (c is '(' or ')')
            {
                tokens.Add(c.ToString());
                i++;
            }
            else if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '+' or ':')
            {
                var start = i;
                while (i < expression.Length && (char.IsAsciiLetterOrDigit(expression[i]) || expression[i] is '-' or '.' or '+' or ':'))
                    i++;
                tokens.Add(expression[start..i]);
            }
            else
            {
                return null;
            }
        }
        return tokens;
    }
}
