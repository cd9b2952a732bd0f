using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Data;
using Synapse.Registry.RateLimiting;

namespace Synapse.Registry.Api;

internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/users").WithTags("Users").RequireRateLimit(RateLimitPolicies.Read);
        group.MapGet("/{username}", GetUser);
        return group;
    }

    internal static async Task<Results<Ok<UserProfile>, ProblemHttpResult>> GetUser(string username, RegistryDbContext db, CancellationToken cancellationToken)
    {
        var canonical = username.Trim().ToLowerInvariant();
        var user = AuthApi.IsValidUsername(canonical)
            ? await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == canonical, cancellationToken)
            : null;
        if (user is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, ErrorCodes.UserNotFound, $"No user named '{HttpHelpers.Truncate(username, 40)}'.");
        }
        var packages = await db.PackageOwners.AsNoTracking().Where(o => o.UserId == user.Id)
            .Join(db.Packages, o => o.PackageId, p => p.Id, (o, p) => p.Name).OrderBy(n => n).ToListAsync(cancellationToken);
        return TypedResults.Ok(new UserProfile { Username = user.Username, CreatedAt = user.CreatedAt, Packages = packages });
    }
}
