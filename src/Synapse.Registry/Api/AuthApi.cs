using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Auth;
using Synapse.Registry.Data;
using Synapse.Registry.RateLimiting;

namespace Synapse.Registry.Api;

internal static partial class AuthApi
{
    public const int MinPasswordLength = 8;
    public const int MaxPasswordLength = 1024;

    public static RouteGroupBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/auth").WithTags("Auth");
        group.MapPost("/register", Register).RequireRateLimit(RateLimitPolicies.Auth);
        group.MapPost("/login", Login).RequireRateLimit(RateLimitPolicies.Auth);
        group.MapPost("/verify", Verify).RequireCaller();
        return group;
    }

    [GeneratedRegex("^[a-z0-9-]{1,39}$")]
    private static partial Regex UsernamePattern();

    public static bool IsValidUsername(string username) => UsernamePattern().IsMatch(username);

    internal static async Task<Results<Created<AuthResponse>, ProblemHttpResult>> Register(
        RegisterRequest? body, RegistryDbContext db, PasswordHasher hasher, SessionTokens sessions, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var username = body?.Username?.Trim().ToLowerInvariant() ?? "";
        if (!IsValidUsername(username))
        {
            errors["username"] = ["Usernames are 1-39 characters of a-z, 0-9 and '-'."];
        }
        var email = body?.Email?.Trim() ?? "";
        if (!IsValidEmail(email))
        {
            errors["email"] = ["Give a valid e-mail address such as ada@example.org."];
        }
        var password = body?.Password ?? "";
        if (password.Length is < MinPasswordLength or > MaxPasswordLength)
        {
            errors["password"] = [$"Passwords are {MinPasswordLength} to {MaxPasswordLength} characters."];
        }
        if (errors.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed,
                "The registration is invalid: " + string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        }
        if (await db.Users.AnyAsync(u => u.Username == username, cancellationToken))
        {
            return UsernameTaken(username);
        }
        var user = new User { Username = username, Email = email, PasswordHash = hasher.Hash(password), CreatedAt = time.GetUtcNow() };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return UsernameTaken(username);
        }
        var (token, expiresAt) = sessions.Issue(user.Id, user.Username);
        return TypedResults.Created($"/api/v1/users/{user.Username}", new AuthResponse
        {
            User = new UserSummary { Username = user.Username, Email = user.Email, CreatedAt = user.CreatedAt },
            Token = token,
            ExpiresAt = expiresAt,
        });
    }

    private static ProblemHttpResult UsernameTaken(string username) =>
        Problems.Create(StatusCodes.Status409Conflict, ErrorCodes.UsernameTaken, $"The username '{username}' is taken; pick another one.",
            new Dictionary<string, string[]> { ["username"] = ["This username is taken."] });

    internal static async Task<Results<Ok<AuthResponse>, ProblemHttpResult>> Login(
        LoginRequest? body, RegistryDbContext db, PasswordHasher hasher, SessionTokens sessions, CancellationToken cancellationToken)
    {
        var username = body?.Username?.Trim().ToLowerInvariant() ?? "";
        var password = body?.Password ?? "";
        if (username.Length == 0 || password.Length == 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "Send both username and password.",
                new Dictionary<string, string[]> { [username.Length == 0 ? "username" : "password"] = ["This field is required."] });
        }
        var user = password.Length <= MaxPasswordLength && IsValidUsername(username)
            ? await db.Users.FirstOrDefaultAsync(u => u.Username == username, cancellationToken)
            : null;
        if (user is null)
        {
            hasher.VerifyAgainstDummy(password.Length <= MaxPasswordLength ? password : password[..MaxPasswordLength]);
            return InvalidCredentials();
        }
        var check = hasher.Verify(password, user.PasswordHash);
        if (check == PasswordCheck.Failed)
        {
            return InvalidCredentials();
        }
        if (check == PasswordCheck.SucceededNeedsRehash)
        {
            user.PasswordHash = hasher.Hash(password);
            await db.SaveChangesAsync(cancellationToken);
        }
        var (token, expiresAt) = sessions.Issue(user.Id, user.Username);
        return TypedResults.Ok(new AuthResponse { Token = token, ExpiresAt = expiresAt });
    }

    private static ProblemHttpResult InvalidCredentials() =>
        Problems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.InvalidCredentials, "The username or password is wrong.");

    internal static Ok<VerifyResponse> Verify(Caller caller) => TypedResults.Ok(new VerifyResponse
    {
        Valid = true,
        Username = caller.Username,
        ExpiresAt = caller.ExpiresAt,
        Scopes = Caller.AllScopes.Where(caller.Scopes.Contains).ToList(),
    });

    internal static bool IsValidEmail(string email) =>
        email.Length is > 2 and <= 254
        && !email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && email.Count(c => c == '@') == 1
        && email.IndexOf('@', StringComparison.Ordinal) is > 0 and var at
        && at < email.Length - 1
        && email[(at + 1)..].Contains('.', StringComparison.Ordinal)
        && !email.EndsWith('.')
        && System.Net.Mail.MailAddress.TryCreate(email, out var parsed) && parsed.Address == email;
}
