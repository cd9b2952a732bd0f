using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Auth;
using Synapse.Registry.Packages;
using Synapse.Registry.RateLimiting;

namespace Synapse.Registry.Api;

internal static class OwnersApi
{
    public const int MaxUsersPerRequest = 50;

    public static RouteGroupBuilder MapOwnersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/packages/{name}/owners").WithTags("Owners");
        group.MapGet("/", GetOwners).RequireRateLimit(RateLimitPolicies.Read);
        group.MapPut("/", AddOwners).RequireCaller();
        group.MapDelete("/", RemoveOwners).RequireCaller();
        return group;
    }

    internal static async Task<Ok<OwnerList>> GetOwners(string name, PackageStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new OwnerList { Users = await store.GetOwnersAsync(name, cancellationToken) });

    internal static async Task<Ok<OwnerList>> AddOwners(string name, [FromBody] OwnerList? body, Caller caller, PackageStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new OwnerList { Users = await store.AddOwnersAsync(name, Validate(body), caller, cancellationToken) });

    internal static async Task<Ok<OwnerList>> RemoveOwners(string name, [FromBody] OwnerList? body, Caller caller, PackageStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(new OwnerList { Users = await store.RemoveOwnersAsync(name, Validate(body), caller, cancellationToken) });

    private static IReadOnlyList<string> Validate(OwnerList? body)
    {
        var users = body?.Users ?? [];
        if (users.Count is 0 or > MaxUsersPerRequest)
        {
            throw Problems.Invalid("users", $"Send {{\"users\": [\"name\", ...]}} with 1 to {MaxUsersPerRequest} usernames.");
        }
        var bad = users.Where(u => u is null || !AuthApi.IsValidUsername(u.Trim().ToLowerInvariant())).ToList();
        if (bad.Count > 0)
        {
            throw Problems.Invalid("users", $"{string.Join(", ", bad.Select(b => $"'{HttpHelpers.Truncate(b ?? "null", 40)}'"))} is not a valid username.");
        }
        return users;
    }
}
