using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Auth;
using Synapse.Registry.Data;

namespace Synapse.Registry.Api;

internal static class TokensApi
{
    public const int MaxNameLength = 64;
    public const int MaxPatterns = 20;
    public const int MaxTokensPerUser = 100;

    public static RouteGroupBuilder MapTokensApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/tokens").WithTags("Tokens").RequireCaller(sessionOnly: true);
        group.MapPost("/", CreateToken);
        group.MapGet("/", ListTokens);
        group.MapDelete("/{id}", RevokeToken);
        return group;
    }

    internal static async Task<Results<Created<ApiTokenDocument>, ProblemHttpResult>> CreateToken(
        CreateTokenRequest? body, Caller caller, RegistryDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var errors = new Dictionary<string, string[]>();
        var name = body?.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
        {
            errors["name"] = [$"Give the token a name of 1 to {MaxNameLength} printable characters."];
        }
        var scopes = body?.Scopes?.Select(s => s?.Trim().ToLowerInvariant() ?? "").Distinct().ToList() ?? [];
        if (scopes.Count == 0 || scopes.Any(s => !Caller.AllScopes.Contains(s)))
        {
            errors["scopes"] = ["Scopes are one or more of: publish, yank, owners."];
        }
        var patterns = body?.Packages?.Select(p => p?.Trim() ?? "").Distinct().ToList();
        if (patterns is not null && (patterns.Count is 0 or > MaxPatterns || patterns.Any(p => !PackagePattern.IsValid(p))))
        {
            errors["packages"] = [$"Packages are 1 to {MaxPatterns} patterns of a-z, 0-9, '-', '_' and '*' (e.g. \"http-*\"); leave the field out for every package."];
        }
        if (body?.ExpiresAt is { } expires && expires <= now)
        {
            errors["expires_at"] = ["The expiry must be in the future."];
        }
        if (errors.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                "The token request is invalid: " + string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        }
        if (await db.ApiTokens.CountAsync(t => t.UserId == caller.UserId, cancellationToken) >= MaxTokensPerUser)
        {
            return Problems.Create(StatusCodes.Status409Conflict, "too_many_tokens", $"You have {MaxTokensPerUser} tokens; revoke some before creating more.");
        }
        var secret = ApiTokens.NewSecret();
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            UserId = caller.UserId,
            Name = name,
            TokenHash = ApiTokens.HashSecret(secret),
            Scopes = string.Join(',', Caller.AllScopes.Where(scopes.Contains)),
            Packages = patterns is null ? null : string.Join(',', patterns.Select(PackagePattern.Canonicalize)),
            ExpiresAt = body!.ExpiresAt?.ToUniversalTime(),
            CreatedAt = now,
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/tokens/{token.Id:N}", ToDocument(token) with { Token = secret });
    }

    internal static async Task<Ok<IReadOnlyList<ApiTokenDocument>>> ListTokens(Caller caller, RegistryDbContext db, CancellationToken cancellationToken)
    {
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == caller.UserId).OrderBy(t => t.CreatedAt).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ApiTokenDocument>>(tokens.Select(ToDocument).ToList());
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeToken(string id, Caller caller, RegistryDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var tokenId))
        {
            return TokenNotFound(id);
        }
        var deleted = await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == caller.UserId).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? TokenNotFound(id) : TypedResults.NoContent();
    }

    private static ProblemHttpResult TokenNotFound(string id) =>
        Problems.Create(StatusCodes.Status404NotFound, ErrorCodes.TokenNotFound, $"You have no token with id '{HttpHelpers.Truncate(id, 40)}'.");

    private static ApiTokenDocument ToDocument(ApiToken token) => new()
    {
        Id = token.Id.ToString("N"),
        Name = token.Name,
        Scopes = token.Scopes.Split(',', StringSplitOptions.RemoveEmptyEntries),
        Packages = token.Packages?.Split(',', StringSplitOptions.RemoveEmptyEntries),
        ExpiresAt = token.ExpiresAt,
        CreatedAt = token.CreatedAt,
        LastUsedAt = token.LastUsedAt,
    };
}
