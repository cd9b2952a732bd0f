using System.Security.Cryptography;

namespace Synapse.Packaging;

/// <summary>SHA-256 helpers: lowercase hex digests and the <c>sha256:</c> checksum form used in lock files.</summary>
public static class Sha256
{
    /// <summary>Prefix of the checksum form.</summary>
    public const string ChecksumPrefix = "sha256:";

    /// <summary>Lowercase hex SHA-256 of bytes.</summary>
    public static string HashHex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>Lowercase hex SHA-256 of a stream, read from its current position to the end.</summary>
    public static async Task<string> HashHexAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Lowercase hex SHA-256 of a file.</summary>
    public static async Task<string> HashFileHexAsync(string path, CancellationToken cancellationToken = default)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (file.ConfigureAwait(false))
            return await HashHexAsync(file, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Formats a hex digest as <c>sha256:&lt;hex&gt;</c>.</summary>
    /// <exception cref="FormatException">The digest is not 64 hex characters.</exception>
    public static string FormatChecksum(string hex)
    {
        if (!IsHexDigest(hex))
            throw new FormatException($"\"{hex}\" is not a SHA-256 digest; expected 64 hex characters");
        return ChecksumPrefix + hex.ToLowerInvariant();
    }

    /// <summary>Reads <c>sha256:&lt;hex&gt;</c> (or bare hex) into a lowercase hex digest.</summary>
    public static bool TryParseChecksum(string? checksum, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? hex)
    {
        hex = null;
        if (checksum is null)
            return false;
        var digest = checksum.StartsWith(ChecksumPrefix, StringComparison.OrdinalIgnoreCase) ? checksum[ChecksumPrefix.Length..] : checksum;
        if (!IsHexDigest(digest))
            return false;
        hex = digest.ToLowerInvariant();
        return true;
    }

    /// <summary>Compares two digests (hex or checksum form) in constant time.</summary>
    public static bool DigestsEqual(string? left, string? right)
    {
        if (!TryParseChecksum(left, out var a) || !TryParseChecksum(right, out var b))
            return false;
        return CryptographicOperations.FixedTimeEquals(Convert.FromHexString(a), Convert.FromHexString(b));
    }

    private static bool IsHexDigest(string? hex) => hex is { Length: 64 } && hex.All(char.IsAsciiHexDigit);
}
