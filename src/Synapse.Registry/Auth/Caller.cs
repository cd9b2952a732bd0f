using System.Reflection;
using Synapse.Registry.Api;

namespace Synapse.Registry.Auth;

/// <summary>Who made an authenticated request and what the credential allows.</summary>
internal sealed record Caller(long UserId, string Username, CallerKind Kind, IReadOnlySet<string> Scopes, IReadOnlyList<string>? PackagePatterns, DateTimeOffset? ExpiresAt)
{
    public const string Publish = "publish";
    public const string Yank = "yank";
    public const string Owners = "owners";
    public static readonly IReadOnlyList<string> AllScopes = [Publish, Yank, Owners];

    private const string ItemKey = "synapse.caller";

    public bool IsSession => Kind == CallerKind.Session;

    /// <summary>
    /// True when the credential itself allows <paramref name="scope"/> on the package; ownership is checked separately,
    /// so a token never grants more than its user has.
    /// </summary>
    public bool Allows(string scope, string canonicalPackageName) =>
        IsSession || (Scopes.Contains(scope) && (PackagePatterns is null || PackagePatterns.Any(p => PackagePattern.Matches(p, canonicalPackageName))));

    /// <summary>Stands for "no valid credential"; the endpoint filter answers 401 before a handler could see it.</summary>
    public static readonly Caller Anonymous = new(0, "", CallerKind.Anonymous, new HashSet<string>(), [], null);

    public bool IsAnonymous => Kind == CallerKind.Anonymous;

    /// <summary>Authenticates the request once and remembers the outcome on it.</summary>
    public static async ValueTask<Caller> ResolveAsync(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var value) && value is Caller known)
        {
            return known;
        }
        var authenticator = context.RequestServices.GetRequiredService<CallerAuthenticator>();
        var caller = await authenticator.AuthenticateAsync(context, context.RequestAborted) ?? Anonymous;
        context.Items[ItemKey] = caller;
        return caller;
    }

    /// <summary>Minimal API binding (runs before endpoint filters, which refuse anonymous callers).</summary>
    public static async ValueTask<Caller?> BindAsync(HttpContext context, ParameterInfo parameter) => await ResolveAsync(context);
}

internal enum CallerKind
{
    Anonymous,
    Session,
    ApiToken,
}

/// <summary>Package name patterns of API tokens: <c>[a-z0-9_-]</c> and <c>*</c> wildcards, compared canonically.</summary>
internal static class PackagePattern
{
    public static bool IsValid(string pattern) =>
        pattern.Length is > 0 and <= 64 && pattern.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '*');

    public static string Canonicalize(string pattern) => pattern.ToLowerInvariant().Replace('_', '-');

    public static bool Matches(string pattern, string canonicalName) => Match(Canonicalize(pattern), 0, canonicalName, 0);

    private static bool Match(string pattern, int p, string text, int t)
    {
        // Iterative glob with single backtrack point: linear in practice, no regex.
        int star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }
        return p == pattern.Length;
    }
}
