using System.Security.Cryptography;
using System.Text;

namespace Synapse.Registry.Auth;

/// <summary>API token secrets: <c>syn_</c> + 40 base62 characters; only their SHA-256 is stored.</summary>
internal static class ApiTokens
{
    public const string Prefix = "syn_";
    public const int SecretLength = 40;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static readonly System.Buffers.SearchValues<char> AlphabetValues = System.Buffers.SearchValues.Create(Alphabet);

    public static string NewSecret() => Prefix + RandomNumberGenerator.GetString(Alphabet, SecretLength);

    public static bool LooksLikeToken(string value) =>
        value.Length == Prefix.Length + SecretLength && value.StartsWith(Prefix, StringComparison.Ordinal)
        && value.AsSpan(Prefix.Length).IndexOfAnyExcept(AlphabetValues) < 0;

    public static string HashSecret(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
