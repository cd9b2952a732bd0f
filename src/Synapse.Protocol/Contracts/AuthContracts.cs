namespace Synapse.Protocol.Contracts;

/// <summary>Body of <c>POST /api/v1/auth/register</c>.</summary>
public sealed record RegisterRequest
{
    /// <summary>1-39 characters of <c>[a-z0-9-]</c>, case-insensitive.</summary>
    public string? Username { get; init; }
    /// <summary>Contact address.</summary>
    public string? Email { get; init; }
    /// <summary>At least 8 characters.</summary>
    public string? Password { get; init; }
}

/// <summary>Body of <c>POST /api/v1/auth/login</c>.</summary>
public sealed record LoginRequest
{
    /// <summary>The username, any case.</summary>
    public string? Username { get; init; }
    /// <summary>The password.</summary>
    public string? Password { get; init; }
}

/// <summary>A user as shown to that user.</summary>
public sealed record UserSummary
{
    /// <summary>The username (lowercase).</summary>
    public required string Username { get; init; }
    /// <summary>The e-mail address.</summary>
    public string? Email { get; init; }
    /// <summary>When the account was created (UTC).</summary>
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Answer of register (201, with <see cref="User"/>) and login (200, without it).</summary>
public sealed record AuthResponse
{
    /// <summary>The new user; only in the register answer.</summary>
    public UserSummary? User { get; init; }
    /// <summary>The session token (a JWT) to send as <c>Authorization: Bearer</c>.</summary>
    public required string Token { get; init; }
    /// <summary>When the session token expires (UTC).</summary>
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>Answer of <c>POST /api/v1/auth/verify</c>.</summary>
public sealed record VerifyResponse
{
    /// <summary>Always true in a 200 answer (an invalid token gets 401).</summary>
    public bool Valid { get; init; }
    /// <summary>The user the token belongs to.</summary>
    public required string Username { get; init; }
    /// <summary>When the token expires; null for an API token without expiry.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    /// <summary>What the token may do: <c>publish</c>, <c>yank</c>, <c>owners</c> (a session may do all).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];
}
