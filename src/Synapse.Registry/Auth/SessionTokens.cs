using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Synapse.Registry.Options;

namespace Synapse.Registry.Auth;

/// <summary>Issues and validates session JWTs: HS256 only, fixed issuer, lifetime checked against the injected clock.</summary>
internal sealed class SessionTokens
{
    private readonly JsonWebTokenHandler _handler = new() { MapInboundClaims = false };
    private readonly SymmetricSecurityKey _key;
    private readonly JwtOptions _options;
    private readonly TimeProvider _time;

    public SessionTokens(IOptions<JwtOptions> options, SigningKeyProvider keys, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _key = new SymmetricSecurityKey(keys.Key);
    }

    public (string Token, DateTimeOffset ExpiresAt) Issue(long userId, string username)
    {
        var now = _time.GetUtcNow();
        var expires = now + _options.Lifetime;
        var token = _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim("name", username)]),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }

    public async Task<SessionClaims?> ValidateAsync(string token)
    {
        var result = await _handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = _options.Issuer,
            ValidateIssuer = true,
            ValidateAudience = false,
            IssuerSigningKey = _key,
            ValidateIssuerSigningKey = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            LifetimeValidator = ValidateLifetime,
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt || jwt.Alg != SecurityAlgorithms.HmacSha256)
        {
            return null;
        }
        if (!jwt.TryGetPayloadValue<string>("sub", out var sub) || !long.TryParse(sub, out var userId)
            || !jwt.TryGetPayloadValue<string>("name", out var name))
        {
            return null;
        }
        return new SessionClaims(userId, name, new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero));
    }

    private bool ValidateLifetime(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var skew = TimeSpan.FromMinutes(1);
        return expires is { } exp && now < exp + skew && (notBefore is not { } nbf || now >= nbf - skew);
    }
}

internal sealed record SessionClaims(long UserId, string Username, DateTimeOffset ExpiresAt);

/// <summary>
/// The HS256 key: the configured one, or outside Production a development key generated once and kept next to the
/// data so sessions survive restarts.
/// </summary>
internal sealed class SigningKeyProvider
{
    public SigningKeyProvider(IOptions<JwtOptions> options, IOptions<StorageOptions> storage, IHostEnvironment environment)
    {
        var configured = options.Value.SigningKey;
        if (!string.IsNullOrWhiteSpace(configured) && (environment.IsProduction() || configured != JwtOptions.DevelopmentDefaultKey))
        {
            Key = Encoding.UTF8.GetBytes(configured);
            return;
        }
        var keyFile = Path.Combine(Path.GetFullPath(storage.Value.Path, environment.ContentRootPath), "..", "dev-jwt.key");
        keyFile = Path.GetFullPath(keyFile);
        if (File.Exists(keyFile) && Convert.TryFromBase64String(File.ReadAllText(keyFile).Trim(), new byte[64], out var written) && written >= 32)
        {
            Key = Convert.FromBase64String(File.ReadAllText(keyFile).Trim());
            return;
        }
        Key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(48);
        Directory.CreateDirectory(Path.GetDirectoryName(keyFile)!);
        File.WriteAllText(keyFile, Convert.ToBase64String(Key));
    }

    public byte[] Key { get; }
}
