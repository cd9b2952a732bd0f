using System.Text;
using Synapse.Cli.Infrastructure;
using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Synapse.Cli.Credentials;

internal sealed record StoredCredential(string Token, string? Username);

/// <summary>
/// Per-registry tokens in <c>credentials.toml</c>, written atomically with mode 0600 so other users cannot read them.
/// </summary>
internal sealed class CredentialStore(string path)
{
    public string FilePath { get; } = path;

    public StoredCredential? Get(string registry) => ReadAll().GetValueOrDefault(registry);

    public void Set(string registry, StoredCredential credential)
    {
        var all = ReadAll();
        all[registry] = credential;
        WriteAll(all);
    }

    public bool Remove(string registry)
    {
        var all = ReadAll();
        if (!all.Remove(registry))
        {
            return false;
        }
        WriteAll(all);
        return true;
    }

    private SortedDictionary<string, StoredCredential> ReadAll()
    {
        var result = new SortedDictionary<string, StoredCredential>(StringComparer.Ordinal);
        if (!File.Exists(FilePath))
        {
            return result;
        }
        TomlTable model;
        try
        {
            model = TomlSerializer.Deserialize(File.ReadAllText(FilePath), CredentialsTomlContext.Default.TomlTable)!;
        }
        catch (Exception ex) when (ex is TomlException or InvalidOperationException)
        {
            throw new CliException($"{FilePath} is not valid TOML ({ex.Message.Split('\n')[0]}). Fix it or delete it and run `synapse pkg login` again.");
        }
        if (model.TryGetValue("registries", out var registries) && registries is TomlTable table)
        {
            foreach (var (registry, value) in table)
            {
                if (value is TomlTable entry && entry.TryGetValue("token", out var token) && token is string text)
                {
                    result[registry] = new StoredCredential(text, entry.TryGetValue("username", out var user) ? user as string : null);
                }
            }
        }
        return result;
    }

    private void WriteAll(SortedDictionary<string, StoredCredential> all)
    {
        var text = new StringBuilder("# Synapse registry credentials. Keep this file private (mode 0600).\n");
        foreach (var (registry, credential) in all)
        {
            text.Append('\n').Append("[registries.").Append(Quote(registry)).Append("]\n");
            text.Append("token = ").Append(Quote(credential.Token)).Append('\n');
            if (credential.Username is not null)
            {
                text.Append("username = ").Append(Quote(credential.Username)).Append('\n');
            }
        }
        var directory = Path.GetDirectoryName(FilePath)!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".credentials.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream, new UTF8Encoding(false)))
        {
            writer.Write(text.ToString());
        }
        File.Move(temporary, FilePath, overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(FilePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    internal static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                < ' ' or '\u007f' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }
}

/// <summary>Reads <c>credentials.toml</c> as an untyped table without reflection (the CLI is compiled ahead of time).</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class CredentialsTomlContext : TomlSerializerContext;
