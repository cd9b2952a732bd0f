namespace Synapse.Packaging.Tests;

/// <summary>Mutated manifests must only ever fail with a ManifestException carrying located errors.</summary>
public class ManifestFuzzTests
{
    private const string Manifest = """
        [package]
        name = "http-client"
        version = "1.4.0"
        description = "An HTTP client"
        license = "MIT OR Apache-2.0"
        authors = ["Ada <ada@example.org>", 'Literal']
        keywords = ["http", "network"]
        repository = "https://example.org/x"
        readme = "docs/README.md"
        inline = { a = [1, 2, { b = 3 }] }

        [dependencies]
        json = "^2.1.0"
        "quoted-name" = '>=1.0.0 <2.0.0'

        [dev-dependencies]
        test-kit = "~0.3"
        """;

    private static readonly string[] Fragments =
        ["[", "]", "{", "}", "\"", "'", "\"\"\"", "=", ".", ",", "\n", "#", "\\", "\\u00", "[[", "]]", "1979-05-27", "inf", "0x", "\0", "\ud800", "é"];

    [Fact]
    public void Mutated_manifests_fail_only_with_located_manifest_errors()
    {
        var random = new Random(1124);
        for (var round = 0; round < 3000; round++)
        {
            var text = Manifest;
            var edits = random.Next(1, 4);
            for (var i = 0; i < edits; i++)
            {
                var at = random.Next(text.Length);
                text = random.Next(3) switch
                {
                    0 => text.Remove(at, Math.Min(random.Next(1, 8), text.Length - at)),
                    1 => text.Insert(at, Fragments[random.Next(Fragments.Length)]),
                    _ => text.Insert(at, ((char)random.Next(32, 127)).ToString()),
                };
            }

            try
            {
                ManifestParser.Parse(text, "synapse.toml", ManifestMode.Publish);
            }
            catch (ManifestException ex)
            {
                Assert.NotEmpty(ex.Errors);
                Assert.All(ex.Errors, e =>
                {
                    Assert.Equal("synapse.toml", e.File);
                    Assert.InRange(e.Line, 1, text.Count(c => c == '\n') + 2);
                    Assert.False(string.IsNullOrWhiteSpace(e.Message));
                });
            }
        }
    }
}
