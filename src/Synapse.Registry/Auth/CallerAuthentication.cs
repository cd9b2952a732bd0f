using Microsoft.EntityFrameworkCore;
using Synapse.Registry.Api;
using Synapse.Registry.Data;

namespace Synapse.Registry.Auth;

/// <summary>Turns <c>Authorization: Bearer</c> into a <see cref="Caller"/>: a session JWT or an API token.</summary>
internal sealed class CallerAuthenticator(RegistryDbContext db, SessionTokens sessions, TimeProvider time)
{
    public async Task<Caller?> AuthenticateAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var credential = header["Bearer ".Length..].Trim();
        if (credential.Length is 0 or > 4096)
        {
            return null;
        }
        return credential.StartsWith(ApiTokens.Prefix, StringComparison.Ordinal)
            ? await FromApiTokenAsync(credential, cancellationToken)
            : await FromSessionAsync(credential, cancellationToken);
    }

    private async Task<Caller?> FromSessionAsync(string jwt, CancellationToken cancellationToken)
    {
        var claims = await sessions.ValidateAsync(jwt);
        if (claims is null)
        {
            return null;
        }
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == claims.UserId, cancellationToken);
        return user is null ? null : new Caller(user.Id, user.Username, CallerKind.Session, Caller.AllScopes.ToHashSet(), null, claims.ExpiresAt);
    }

    private async Task<Caller?> FromApiTokenAsync(string secret, CancellationToken cancellationToken)
    {
        if (!ApiTokens.LooksLikeToken(secret))
        {
            return null;
        }
        var hash = ApiTokens.HashSecret(secret);
        var token = await db.ApiTokens.Include(t => t.User).FirstOrDefaultAsync(t => t.TokenHash == hash, cancellationToken);
        if (token?.User is null
            || !System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.ASCII.GetBytes(token.TokenHash), System.Text.Encoding.ASCII.GetBytes(hash)))
        {
            return null;
        }
        var now = time.GetUtcNow();
        if (token.ExpiresAt is { } expires && expires <= now)
        {
            return null;
        }
        if (token.LastUsedAt is null || now - token.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            token.LastUsedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        return new Caller(token.User.Id, token.User.Username, CallerKind.ApiToken,
            token.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(),
            token.Packages?.Split(',', StringSplitOptions.RemoveEmptyEntries), token.ExpiresAt);
    }
}

/// <summary>Endpoint filters that require a caller (and optionally a session) before the handler runs.</summary>
internal static class CallerFilters
{
    public static TBuilder RequireCaller<TBuilder>(this TBuilder builder, bool sessionOnly = false) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var caller = await Caller.ResolveAsync(http);
            if (caller.IsAnonymous)
            {
                http.Response.Headers.WWWAuthenticate = "Bearer";
                return Problems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
                    "Send a valid token as 'Authorization: Bearer <token>' (log in again if your session expired).");
            }
            if (sessionOnly && !caller.IsSession)
            {
                return Problems.Create(StatusCodes.Status403Forbidden, ErrorCodes.SessionRequired,
                    "API tokens cannot manage tokens; log in with your password and use the session token.");
            }
            return await next(context);
        });
        return builder;
    }
}
