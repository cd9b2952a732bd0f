using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Synapse.Registry.Tests.Infrastructure;

namespace Synapse.Registry.Tests.Api;

public sealed class AuthApiTests(RegistryFixture fixture) : IClassFixture<RegistryFixture>
{
    private readonly RegistryFactory _registry = fixture.Factory;

    [Fact]
    public async Task Register_returns_201_with_user_token_and_expiry_30_days_ahead()
    {
        using var client = _registry.Client();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { username = "Ada-Lovelace", email = "ada@example.org", password = "analytical engine" });
        var json = await Expect.JsonAsync(response, 201);
        Assert.Equal("ada-lovelace", json.GetProperty("user").GetProperty("username").GetString());
        Assert.Equal("ada@example.org", json.GetProperty("user").GetProperty("email").GetString());
        Assert.StartsWith("eyJ", json.GetProperty("token").GetString());
        var expires = json.GetProperty("expires_at").GetDateTimeOffset();
        Assert.Equal(_registry.Clock.GetUtcNow().AddDays(30), expires);
    }

    [Theory]
    [InlineData("", "a@example.org", "long enough", "username")]
    [InlineData("has space", "a@example.org", "long enough", "username")]
    [InlineData("way-too-long-username-for-the-registry-x", "a@example.org", "long enough", "username")]
    [InlineData("under_score", "a@example.org", "long enough", "username")]
    [InlineData("okname", "not-an-email", "long enough", "email")]
    [InlineData("okname", "a@b", "long enough", "email")]
    [InlineData("okname", "a@example.org", "short", "password")]
    public async Task Register_rejects_invalid_fields_with_field_errors(string username, string email, string password, string field)
    {
        using var client = _registry.Client();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { username, email, password });
        var problem = await Expect.ProblemAsync(response, 400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Register_refuses_a_taken_username_in_any_case()
    {
        await _registry.RegisterAsync("grace");
        using var client = _registry.Client();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", new { username = "GRACE", email = "g@example.org", password = "another password" });
        await Expect.ProblemAsync(response, 409, "username_taken");
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem_not_a_500()
    {
        using var client = _registry.Client();
        using var content = new StringContent("{\"username\": ", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/v1/auth/register", content);
        await Expect.ProblemAsync(response, 400, "invalid_request");
    }

    [Theory]
    [InlineData("{\"username\": \"ann\", \"email\": \"a@example.org\", \"password\": 12345678}", "password", "'password' has the wrong JSON type; see /openapi/v1.json for this endpoint's fields.")]
    [InlineData("{\"username\": [\"ann\"], \"email\": \"a@example.org\", \"password\": \"12345678\"}", "username", "'username' has the wrong JSON type; see /openapi/v1.json for this endpoint's fields.")]
    public async Task A_field_of_the_wrong_type_is_named_without_server_internals(string body, string field, string message)
    {
        using var client = _registry.Client();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var problem = await Expect.ProblemAsync(await client.PostAsync("/api/v1/auth/register", content), 400, "invalid_request");

        Assert.Equal(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.DoesNotContain("System.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_an_object_is_refused_in_plain_words()
    {
        using var client = _registry.Client();
        using var content = new StringContent("[1, 2]", System.Text.Encoding.UTF8, "application/json");

        var problem = await Expect.ProblemAsync(await client.PostAsync("/api/v1/auth/register", content), 400, "invalid_request");

        Assert.StartsWith("The JSON body must be an object", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Login_returns_a_working_token_and_one_generic_error_otherwise()
    {
        await _registry.RegisterAsync("linus", "kernel hacker");
        using var client = _registry.Client();

        var ok = await Expect.JsonAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "LINUS", password = "kernel hacker" }));
        var token = ok.GetProperty("token").GetString();
        Assert.False(ok.TryGetProperty("user", out _));

        var wrongPassword = await Expect.ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "linus", password = "wrong password" }), 401, "invalid_credentials");
        var unknownUser = await Expect.ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { username = "nobody", password = "wrong password" }), 401, "invalid_credentials");
        Assert.Equal(wrongPassword.GetProperty("detail").GetString(), unknownUser.GetProperty("detail").GetString());

        using var authed = _registry.Client(token);
        var verify = await Expect.JsonAsync(await authed.PostAsync("/api/v1/auth/verify", null));
        Assert.True(verify.GetProperty("valid").GetBoolean());
        Assert.Equal("linus", verify.GetProperty("username").GetString());
        Assert.Equal(["publish", "yank", "owners"], verify.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task Verify_without_a_token_is_401()
    {
        using var client = _registry.Client();
        var response = await client.PostAsync("/api/v1/auth/verify", null);
        await Expect.ProblemAsync(response, 401, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Session_tokens_expire_after_their_lifetime_on_the_registry_clock()
    {
        using var factory = new RegistryFactory();
        var token = await factory.RegisterAsync("shortlived");
        using var client = factory.Client(token);
        await Expect.StatusAsync(await client.PostAsync("/api/v1/auth/verify", null), 200);
        factory.Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(2));
        await Expect.ProblemAsync(await client.PostAsync("/api/v1/auth/verify", null), 401, "unauthorized");
    }

    public static TheoryData<string> ForgedTokens()
    {
        var handler = new JsonWebTokenHandler();
        var now = DateTime.UtcNow;
        string Sign(string key, string algorithm, string issuer = "synapse-registry", DateTime? expires = null) => handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Claims = new Dictionary<string, object> { ["sub"] = "1", ["name"] = "victim" },
            IssuedAt = now.AddMinutes(-1),
            NotBefore = now.AddMinutes(-1),
            Expires = expires ?? now.AddDays(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(key)), algorithm),
        });
        var unsigned = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "synapse-registry",
            Claims = new Dictionary<string, object> { ["sub"] = "1", ["name"] = "victim" },
            Expires = now.AddDays(1),
        });
        return new TheoryData<string>
        {
            unsigned,
            Sign("another-key-that-is-also-long-enough-for-hs256!", SecurityAlgorithms.HmacSha256),
            Sign(RegistryFactory.SigningKey + RegistryFactory.SigningKey, SecurityAlgorithms.HmacSha512),
            Sign(RegistryFactory.SigningKey, SecurityAlgorithms.HmacSha256, issuer: "someone-else"),
            Sign(RegistryFactory.SigningKey, SecurityAlgorithms.HmacSha256, expires: now.AddDays(-2)),
            "not.a.jwt",
            "syn_" + new string('a', 40),
        };
    }

    [Theory]
    [MemberData(nameof(ForgedTokens))]
    public async Task Forged_or_foreign_tokens_are_rejected(string token)
    {
        await _registry.EnsureUserAsync("victim");
        using var client = _registry.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await Expect.ProblemAsync(await client.PostAsync("/api/v1/auth/verify", null), 401, "unauthorized");
    }

    [Fact]
    public async Task A_correctly_signed_token_with_alg_none_header_swapped_is_rejected()
    {
        var token = await _registry.RegisterAsync("algnone");
        var parts = token.Split('.');
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        using var client = _registry.Client($"{header}.{parts[1]}.");
        await Expect.ProblemAsync(await client.PostAsync("/api/v1/auth/verify", null), 401, "unauthorized");
    }
}
