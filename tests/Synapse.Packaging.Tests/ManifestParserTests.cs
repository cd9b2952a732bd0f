namespace Synapse.Packaging.Tests;

public class ManifestParserTests
{
    private const string File = "pkg/synapse.toml";

    private static ManifestException Fails(string toml, ManifestMode mode = ManifestMode.Local) =>
        Assert.Throws<ManifestException>(() => ManifestParser.Parse(toml, File, mode));

    private static ManifestError SingleError(string toml, ManifestMode mode = ManifestMode.Local)
    {
        var error = Assert.Single(Fails(toml, mode).Errors);
        Assert.Equal(File, error.File);
        return error;
    }

    [Fact]
    public void A_complete_manifest_is_read()
    {
        var manifest = ManifestParser.Parse("""
            [package]
            name = "http-client"
            version = "1.4.0"
            description = "An HTTP client for Synapse"
            license = "MIT"                      # SPDX expression, required to publish
            authors = ["Ada Lovelace <ada@example.org>"]
            keywords = ["http", "network"]
            repository = "https://example.org/http-client"
            homepage = "https://example.org"
            readme = "README.md"

            [dependencies]
            json = "^2.1.0"
            url_parser = ">=1.0.0 <2.0.0"

            [dev-dependencies]
            test-kit = "~0.3"
            """, File);

        Assert.Equal("http-client", manifest.Name);
        Assert.Equal("1.4.0", manifest.Version.ToString());
        Assert.Equal("An HTTP client for Synapse", manifest.Description);
        Assert.Equal("MIT", manifest.License);
        Assert.Equal(["Ada Lovelace <ada@example.org>"], manifest.Authors);
        Assert.Equal(["http", "network"], manifest.Keywords);
        Assert.Equal("https://example.org/http-client", manifest.Repository);
        Assert.Equal("https://example.org", manifest.Homepage);
        Assert.Equal("README.md", manifest.Readme);
        Assert.Equal(["json", "url_parser"], manifest.Dependencies.Keys);
        Assert.Equal(["test-kit"], manifest.DevDependencies.Keys);
        Assert.True(manifest.Dependencies["json"].IsSatisfiedBy(Synapse.Versioning.SemanticVersion.Parse("2.5.0")));
        Assert.False(manifest.Dependencies["json"].IsSatisfiedBy(Synapse.Versioning.SemanticVersion.Parse("3.0.0")));
    }

    [Fact]
    public void Only_name_and_version_are_required_locally()
    {
        var manifest = ManifestParser.Parse("[package]\nname = \"a\"\nversion = \"0.1.0\"\n", File);

        Assert.Null(manifest.License);
        Assert.Empty(manifest.Dependencies);
        Assert.Empty(manifest.Keywords);
    }

    [Fact]
    public void Dotted_and_inline_forms_are_understood()
    {
        var manifest = ManifestParser.Parse("package = { name = \"a\", version = \"0.1.0\" }\ndependencies.json = \"^1.0.0\"\n", File);

        Assert.Equal("a", manifest.Name);
        Assert.Equal(["json"], manifest.Dependencies.Keys);
    }

    [Fact]
    public void A_missing_package_table_is_reported()
    {
        var error = SingleError("[dependencies]\njson = \"^1.0.0\"\n");

        Assert.Equal("package", error.Key);
        Assert.Contains("[package] table is missing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_name_and_version_are_both_reported_at_the_package_line()
    {
        var errors = Fails("# comment\n\n[package]\ndescription = \"x\"\n").Errors;

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal(3, e.Line));
        Assert.Contains(errors, e => e.Key == "package.name" && e.Message.Contains("missing", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "package.version" && e.Message.Contains("missing", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("\"Http\"", "lowercase")]
    [InlineData("\"1http\"", "start with a lowercase letter")]
    [InlineData("\"http client\"", "not allowed")]
    [InlineData("\"std\"", "reserved")]
    [InlineData("\"\"", "empty")]
    public void A_bad_name_is_reported_with_line_and_key(string value, string reason)
    {
        var error = SingleError($"[package]\nversion = \"1.0.0\"\nname = {value}\n");

        Assert.Equal(3, error.Line);
        Assert.Equal("package.name", error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0")]
    [InlineData("v1.0.0")]
    [InlineData("01.0.0")]
    [InlineData("^1.0.0")]
    [InlineData("99999999999999999999999.0.0")]
    [InlineData("")]
    [InlineData(" 1.0.0")]
    [InlineData("=1.0.0")]
    public void A_bad_version_is_reported_with_line_and_key(string version)
    {
        var error = SingleError($"[package]\nname = \"a\"\nversion = \"{version}\"\n");

        Assert.Equal(3, error.Line);
        Assert.Equal("package.version", error.Key);
        Assert.Contains("SemVer", error.Message, StringComparison.Ordinal);
        Assert.Contains(version, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lenient_version_gets_its_strict_spelling_suggested()
    {
        var error = SingleError("[package]\nname = \"a\"\nversion = \"v1.2.3\"\n");
        Assert.Contains("write \"1.2.3\"", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.0.0-alpha.1")]
    [InlineData("1.0.0+build.5")]
    [InlineData("1.0.0-rc.1+sha.abc")]
    public void Prerelease_and_build_versions_are_accepted(string version)
    {
        var manifest = ManifestParser.Parse($"[package]\nname = \"a\"\nversion = \"{version}\"\n", File);
        Assert.Equal(version, manifest.Version.ToString());
    }

    [Theory]
    [InlineData("version = 1", "package.version", "expected a string, found an integer")]
    [InlineData("version = 1.5", "package.version", "expected a string, found a float")]
    [InlineData("description = true", "package.description", "expected a string, found a boolean")]
    [InlineData("authors = \"Ada\"", "package.authors", "expected an array of strings")]
    [InlineData("license = [\"MIT\"]", "package.license", "expected a string, found an array")]
    [InlineData("repository = { url = \"https://x.org\" }", "package.repository", "expected a string, found a table")]
    public void Wrong_types_are_reported_with_line_and_key(string line, string key, string message)
    {
        var errors = Fails($"[package]\nname = \"a\"\n{line}\n").Errors;

        var error = Assert.Single(errors, e => e.Key == key);
        Assert.Equal(3, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_item_of_the_wrong_type_is_reported()
    {
        var error = SingleError("[package]\nname = \"a\"\nversion = \"1.0.0\"\nauthors = [\"Ada\", 42]\n");

        Assert.Equal("package.authors", error.Key);
        Assert.Contains("item 2: expected a string, found an integer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_package_key_gets_a_did_you_mean_hint()
    {
        var error = SingleError("[package]\nname = \"a\"\nversion = \"1.0.0\"\nlicence = \"MIT\"\n");

        Assert.Equal(4, error.Line);
        Assert.Equal("package.licence", error.Key);
        Assert.Contains("unknown key \"licence\" (did you mean \"license\"?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_key_without_a_close_match_lists_the_allowed_keys()
    {
        var error = SingleError("[package]\nname = \"a\"\nversion = \"1.0.0\"\nedition = \"2024\"\n");

        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowed keys in [package] are name, version", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_table_gets_a_hint()
    {
        var error = SingleError("[package]\nname = \"a\"\nversion = \"1.0.0\"\n\n[dependancies]\njson = \"^1.0.0\"\n");

        Assert.Equal(5, error.Line);
        Assert.Equal("dependancies", error.Key);
        Assert.Contains("unknown table [dependancies] (did you mean [dependencies]?)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_top_level_key_is_reported()
    {
        var error = SingleError("name = \"a\"\n[package]\nname = \"a\"\nversion = \"1.0.0\"\n");

        Assert.Equal(1, error.Line);
        Assert.Equal("name", error.Key);
        Assert.Contains("belong under [package]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_of_package_tables_is_reported()
    {
        var errors = Fails("[[package]]\nname = \"a\"\nversion = \"1.0.0\"\n").Errors;

        Assert.Contains(errors, e => e.Line == 1 && e.Message.Contains("[[package]]", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[\"a\", \"b\", \"c\", \"d\", \"e\", \"f\"]", "at most 5 keywords")]
    [InlineData("[\"Http\"]", "lowercase letters, digits and '-'")]
    [InlineData("[\"\"]", "1-20 characters")]
    [InlineData("[\"a-very-long-keyword-indeed\"]", "1-20 characters")]
    [InlineData("[\"c++\"]", "lowercase letters, digits and '-'")]
    public void Keywords_are_checked(string keywords, string reason)
    {
        var error = SingleError($"[package]\nname = \"a\"\nversion = \"1.0.0\"\nkeywords = {keywords}\n");

        Assert.Equal("package.keywords", error.Key);
        Assert.Equal(4, error.Line);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("repository", "example.org/x")]
    [InlineData("repository", "ftp://example.org/x")]
    [InlineData("homepage", "/relative/path")]
    [InlineData("homepage", "javascript:alert(1)")]
    public void Urls_must_be_absolute_http(string key, string url)
    {
        var error = SingleError($"[package]\nname = \"a\"\nversion = \"1.0.0\"\n{key} = \"{url}\"\n");

        Assert.Equal("package." + key, error.Key);
        Assert.Contains("absolute http(s) URL", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../README.md", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData(@"docs\\README.md", "backslash")]
    [InlineData("C:/README.md", "drive letter")]
    public void The_readme_must_be_a_relative_path_inside_the_package(string path, string reason)
    {
        var error = SingleError($"[package]\nname = \"a\"\nversion = \"1.0.0\"\nreadme = \"{path}\"\n");

        Assert.Equal("package.readme", error.Key);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_range_is_reported_with_line_and_key()
    {
        var error = SingleError("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[dependencies]\njson = \"^^1\"\n");

        Assert.Equal(5, error.Line);
        Assert.Equal("dependencies.json", error.Key);
        Assert.Contains("not a valid version range", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_of_the_wrong_type_is_reported()
    {
        var error = SingleError("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[dev-dependencies]\njson = 1\n");

        Assert.Equal("dev-dependencies.json", error.Key);
        Assert.Contains("expected a version range string", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Detailed_dependency_tables_are_refused_with_the_supported_form()
    {
        var errors = Fails("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[dependencies]\njson = { version = \"1\" }\n[dependencies.xml]\nversion = \"2\"\n").Errors;

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Key == "dependencies.json" && e.Line == 5 && e.Message.Contains("json = \"^1.2.0\"", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Key == "dependencies.xml" && e.Line == 6);
    }

    [Fact]
    public void A_bad_dependency_name_is_reported()
    {
        var error = SingleError("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[dependencies]\n\"Json\" = \"^1.0.0\"\n");

        Assert.Equal("dependencies.Json", error.Key);
        Assert.Contains("invalid dependency name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("my-pkg")]
    [InlineData("my_pkg")]
    public void A_package_cannot_depend_on_itself(string dependency)
    {
        var error = SingleError($"[package]\nname = \"my-pkg\"\nversion = \"1.0.0\"\n[dependencies]\n{dependency} = \"^1.0.0\"\n");

        Assert.Equal($"dependencies.{dependency}", error.Key);
        Assert.Contains("cannot depend on itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_spellings_of_one_dependency_are_refused()
    {
        var error = SingleError("[package]\nname = \"a\"\nversion = \"1.0.0\"\n[dependencies]\nhttp-client = \"1\"\nhttp_client = \"2\"\n");

        Assert.Equal(6, error.Line);
        Assert.Contains("name the same package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Toml_syntax_errors_report_their_line()
    {
        var errors = Fails("[package]\nname = \"a\"\nversion = \"1.0.0\n").Errors;

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("invalid TOML", e.Message, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Line == 3);
    }

    [Fact]
    public void Duplicate_keys_are_a_toml_error()
    {
        var errors = Fails("[package]\nname = \"a\"\nname = \"b\"\nversion = \"1.0.0\"\n").Errors;

        Assert.Contains(errors, e => e.Line == 3 && e.Message.Contains("invalid TOML", StringComparison.Ordinal));
    }

    [Fact]
    public void Deep_nesting_is_refused_without_crashing()
    {
        var toml = "[package]\nname = \"a\"\nversion = \"1.0.0\"\nauthors = " + new string('[', 100_000) + new string(']', 100_000) + "\n";

        var errors = Fails(toml).Errors;

        Assert.NotEmpty(errors);
    }

    [Fact]
    public void An_oversized_manifest_is_refused()
    {
        var toml = "[package]\nname = \"a\"\nversion = \"1.0.0\"\n#" + new string('x', ManifestParser.MaxManifestBytes);

        var error = Assert.Single(Fails(toml).Errors);

        Assert.Contains("at most", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var errors = Fails("""
            [package]
            name = "Bad"
            version = "1"
            licence = "MIT"
            keywords = ["ok", "NOT OK"]
            homepage = "nope"

            [dependencies]
            json = "not a range"
            """).Errors;

        Assert.Equal(6, errors.Count);
        Assert.Equal([2, 3, 4, 5, 6, 9], errors.Select(e => e.Line).Order());
    }

    [Fact]
    public void Errors_are_sorted_by_line()
    {
        var errors = Fails("stray = 1\n[package]\nname = \"A\"\nversion = \"x\"\n").Errors;

        Assert.Equal([1, 3, 4], errors.Select(e => e.Line));
    }

    [Fact]
    public void Publishing_reports_a_missing_license_alongside_other_errors()
    {
        var errors = Fails("[package]\nname = \"a\"\nversion = \"x\"\n", ManifestMode.Publish).Errors;

        Assert.Equal(["package.license", "package.version"], errors.Select(e => e.Key));
    }

    [Fact]
    public void The_keyword_limit_counts_invalid_keywords_too()
    {
        var errors = Fails("[package]\nname = \"a\"\nversion = \"1.0.0\"\nkeywords = [\"a\", \"b\", \"c\", \"d\", \"e\", \"F F\"]\n").Errors;

        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.Message.Contains("at most 5 keywords are allowed; found 6", StringComparison.Ordinal));
    }

    [Fact]
    public void Errors_print_as_file_line_key_message()
    {
        var exception = Fails("[package]\nname = \"a\"\nversion = 1\n");

        Assert.StartsWith("pkg/synapse.toml:3: package.version: expected a string", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Publishing_requires_a_license()
    {
        const string toml = "[package]\nname = \"a\"\nversion = \"1.0.0\"\n";

        var error = SingleError(toml, ManifestMode.Publish);
        var local = ManifestParser.Parse(toml, File);

        Assert.Equal("package.license", error.Key);
        Assert.Equal(1, error.Line);
        Assert.Contains("required to publish", error.Message, StringComparison.Ordinal);
        var publishErrors = ManifestValidator.ValidateForPublish(local, File);
        Assert.Single(publishErrors);
        Assert.Throws<ManifestException>(() => ManifestValidator.EnsurePublishable(local, File));
    }

    [Theory]
    [InlineData("MIT")]
    [InlineData("MIT OR Apache-2.0")]
    [InlineData("(MIT OR Apache-2.0) AND BSD-3-Clause")]
    [InlineData("GPL-2.0-or-later WITH Classpath-exception-2.0")]
    [InlineData("LicenseRef-Proprietary")]
    public void Valid_license_expressions_are_accepted(string license)
    {
        var manifest = ManifestParser.Parse($"[package]\nname = \"a\"\nversion = \"1.0.0\"\nlicense = \"{license}\"\n", File, ManifestMode.Publish);
        Assert.Equal(license, manifest.License);
    }

    [Theory]
    [InlineData("")]
    [InlineData("MIT OR")]
    [InlineData("MIT Apache-2.0")]
    [InlineData("(MIT")]
    [InlineData("MIT)")]
    [InlineData("MIT/Apache")]
    [InlineData("AND MIT")]
    public void Invalid_license_expressions_are_reported(string license)
    {
        var error = SingleError($"[package]\nname = \"a\"\nversion = \"1.0.0\"\nlicense = \"{license}\"\n");

        Assert.Equal("package.license", error.Key);
        Assert.Contains("SPDX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_returns_errors_without_throwing()
    {
        Assert.False(ManifestParser.TryParse("[package]\n", File, ManifestMode.Local, out var manifest, out var errors));
        Assert.Null(manifest);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void ParseFile_reads_from_disk_and_names_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"synapse-test-{Guid.NewGuid():N}.toml");
        System.IO.File.WriteAllText(path, "[package]\nname = \"a\"\nversion = 1\n");
        try
        {
            var error = Assert.Single(Assert.Throws<ManifestException>(() => ManifestParser.ParseFile(path)).Errors);
            Assert.Equal(path, error.File);
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }
}
