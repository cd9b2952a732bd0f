using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using Synapse.Cli.Credentials;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static partial class InitCommand
{
    public static Command Create(CliApp app)
    {
        var name = new Option<string?>("--name") { Description = "Package name (default: the directory's name)" };
        var license = new Option<string>("--license") { Description = "SPDX license expression", DefaultValueFactory = _ => "MIT" };
        var description = new Option<string?>("--description") { Description = "One-line description" };
        var command = new Command("init", "Create synapse.toml in the current directory") { name, license, description };
        return app.Handle(command, (context, parse, _) =>
        {
            var path = Path.Combine(context.WorkingDirectory, "synapse.toml");
            if (File.Exists(path))
            {
                throw new CliException($"{path} already exists; edit it, or use `synapse pkg add` to add dependencies.");
            }
            var packageName = parse.GetValue(name) ?? NameFromDirectory(context.WorkingDirectory);
            PackageSpec.ValidateName(packageName);
            var text = new StringBuilder()
                .Append("[package]\n")
                .Append("name = ").Append(CredentialStore.Quote(packageName)).Append('\n')
                .Append("version = \"0.1.0\"\n")
                .Append("description = ").Append(CredentialStore.Quote(parse.GetValue(description) ?? "")).Append('\n')
                .Append("license = ").Append(CredentialStore.Quote(parse.GetValue(license)!)).Append('\n')
                .Append("authors = []\n")
                .Append("keywords = []\n")
                .Append('\n')
                .Append("[dependencies]\n")
                .Append('\n')
                .Append("[dev-dependencies]\n")
                .ToString();
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
            {
                writer.Write(text);
            }
            context.Output.Line($"Created {path} for package {packageName} 0.1.0.");
            context.Output.WriteJson(new InitJson(path, packageName, "0.1.0"), CliJsonContext.Output.InitJson);
            return Task.FromResult(ExitCodes.Ok);
        });
    }

    private static string NameFromDirectory(string directory)
    {
        var candidate = NotAllowed().Replace(Path.GetFileName(directory.TrimEnd(Path.DirectorySeparatorChar)).ToLowerInvariant(), "-").Trim('-', '_');
        if (candidate.Length == 0 || !char.IsAsciiLetterLower(candidate[0]))
        {
            throw CliException.Usage($"The directory name '{Path.GetFileName(directory)}' does not make a package name; pass --name NAME.");
        }
        return candidate.Length > 64 ? candidate[..64] : candidate;
    }

    [GeneratedRegex("[^a-z0-9_-]+")]
    private static partial Regex NotAllowed();
}
