using Synapse.Registry.Auth;

namespace Synapse.Registry.Tests.Unit;

public sealed class AuthUnitTests
{
    [Fact]
    public void Real_hashes_use_pbkdf2_sha256_with_600000_iterations_and_a_16_byte_salt()
    {
        var hasher = new PasswordHasher(PasswordHasher.DefaultIterations);
        var hash = hasher.Hash("correct horse battery staple");
        var parts = hash.Split('$');
        Assert.Equal("pbkdf2-sha256", parts[0]);
        Assert.Equal("600000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.Equal(PasswordCheck.Succeeded, hasher.Verify("correct horse battery staple", hash));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("correct horse battery stapl", hash));
        Assert.NotEqual(hash, hasher.Hash("correct horse battery staple"));
    }

    [Fact]
    public void Older_iteration_counts_verify_and_ask_for_an_upgrade()
    {
        var old = PasswordHasher.Hash("legacy password", 100_000);
        var hasher = new PasswordHasher(PasswordHasher.DefaultIterations);
        Assert.Equal(PasswordCheck.SucceededNeedsRehash, hasher.Verify("legacy password", old));
        Assert.Equal(PasswordCheck.Failed, hasher.Verify("wrong", old));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("md5$1$abc$def")]
    [InlineData("pbkdf2-sha256$notanumber$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$99999999999$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1000$!!!$AAAA")]
    public void Malformed_stored_hashes_fail_instead_of_throwing(string stored)
    {
        Assert.Equal(PasswordCheck.Failed, new PasswordHasher(1000).Verify("password", stored));
    }

    [Theory]
    [InlineData("http-*", "http-client", true)]
    [InlineData("http-*", "http", false)]
    [InlineData("http_*", "http-client", true)]
    [InlineData("*-client", "http-client", true)]
    [InlineData("*", "anything", true)]
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "exactly", false)]
    [InlineData("a*b*c", "axxbyyc", true)]
    [InlineData("a*b*c", "axxbyy", false)]
    public void Package_patterns_match_canonical_names(string pattern, string name, bool matches)
    {
        Assert.Equal(matches, PackagePattern.Matches(pattern, name));
    }

    [Fact]
    public void Pathological_patterns_finish_quickly()
    {
        var pattern = string.Concat(Enumerable.Repeat("a*", 30)) + "b";
        Assert.False(PackagePattern.Matches(pattern, new string('a', 64)));
    }

    [Fact]
    public void Api_token_secrets_have_the_documented_shape_and_are_stored_as_sha256()
    {
        var secret = ApiTokens.NewSecret();
        Assert.Matches("^syn_[0-9A-Za-z]{40}$", secret);
        Assert.True(ApiTokens.LooksLikeToken(secret));
        Assert.False(ApiTokens.LooksLikeToken(secret + "x"));
        Assert.False(ApiTokens.LooksLikeToken("syn_" + new string('-', 40)));
        Assert.Matches("^[0-9a-f]{64}$", ApiTokens.HashSecret(secret));
        Assert.NotEqual(secret, ApiTokens.NewSecret());
    }
}
