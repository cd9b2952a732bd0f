using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Synapse.Registry.Auth;

/// <summary>
/// PBKDF2-HMAC-SHA256 in a self-describing format, <c>pbkdf2-sha256$iterations$salt$hash</c> (base64), so hashes made
/// with another iteration count still verify and can be upgraded.
/// </summary>
internal sealed class PasswordHasher(int iterations)
{
    public const int DefaultIterations = 600_000;
    private const string Prefix = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private readonly Lazy<string> _dummyHash = new(() => Hash("dummy password for unknown users", iterations));

    public int Iterations { get; } = iterations;

    public string Hash(string password) => Hash(password, Iterations);

    public static string Hash(string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    public PasswordCheck Verify(string password, string storedHash)
    {
        var parts = storedHash.Split('$');
        if (parts.Length != 4 || parts[0] != Prefix
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var storedIterations)
            || storedIterations is < 1 or > 10_000_000)
        {
            return PasswordCheck.Failed;
        }
        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return PasswordCheck.Failed;
        }
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, storedIterations, HashAlgorithmName.SHA256, expected.Length);
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
        {
            return PasswordCheck.Failed;
        }
        return storedIterations < Iterations ? PasswordCheck.SucceededNeedsRehash : PasswordCheck.Succeeded;
    }

    /// <summary>Spends the same time as a real check so that unknown usernames cannot be told apart by timing.</summary>
    public void VerifyAgainstDummy(string password) => Verify(password, _dummyHash.Value);
}

internal enum PasswordCheck
{
    Failed,
    Succeeded,
    SucceededNeedsRehash,
}
