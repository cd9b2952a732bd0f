using System.CommandLine;
using Spectre.Console;
using Synapse.Cli.Infrastructure;
using Synapse.Cli.Install;

namespace Synapse.Cli.Commands;

internal static class ListCommand
{
    private sealed record Node(string Name, string Version, string? Range, bool Dev, IReadOnlyList<Node> Dependencies);

    public static Command Create(CliApp app)
    {
        var depth = new Option<int?>("--depth") { Description = "How deep to print the tree (default: all)" };
        var command = new Command("list", "Print the dependency tree from synapse.lock") { depth };
        return app.Handle(command, (context, parse, _) =>
        {
            var manifest = ProjectManifest.Load(context.WorkingDirectory);
            var lockFile = LockFile.Load(Path.Combine(context.WorkingDirectory, LockFile.FileName))
                ?? throw new CliException($"There is no {LockFile.FileName} yet. Run `synapse pkg install` first.");
            var maxDepth = parse.GetValue(depth) ?? int.MaxValue;
            var roots = manifest.Dependencies.Select(d => (d, dev: false)).Concat(manifest.DevDependencies.Select(d => (d, dev: true)))
                .OrderBy(x => x.d.Key, StringComparer.Ordinal)
                .Select(x => Build(lockFile, x.d.Key, x.d.Value.ToString(), x.dev, 1, maxDepth, []))
                .ToList();
            if (context.Output.IsJson)
            {
                context.Output.WriteJson(new ListJson([.. roots.Select(ToJson)]), CliJsonContext.Output.ListJson);
                return Task.FromResult(ExitCodes.Ok);
            }
            var title = Path.GetFileName(context.WorkingDirectory);
            if (context.Output.IsRich)
            {
                var tree = new Tree(Markup.Escape(title));
                foreach (var root in roots)
                {
                    AddTo(tree.AddNode(Label(root)), root);
                }
                context.Output.Render(tree);
            }
            else
            {
                context.Output.Result(title);
                foreach (var root in roots)
                {
                    Print(context, root, 1);
                }
            }
            return Task.FromResult(ExitCodes.Ok);
        });
    }

    private static Node Build(LockFile lockFile, string name, string? range, bool dev, int level, int maxDepth, HashSet<string> path)
    {
        var locked = lockFile.Find(name);
        if (locked is null)
        {
            return new Node(name, "(not installed: run `synapse pkg install`)", range, dev, []);
        }
        if (level >= maxDepth || !path.Add(locked.Name))
        {
            return new Node(locked.Name, locked.Version, range, dev, []);
        }
        var children = locked.DependencyPairs
            .Select(d => Build(lockFile, d.Name, null, false, level + 1, maxDepth, path))
            .ToList();
        path.Remove(locked.Name);
        return new Node(locked.Name, locked.Version, range, dev, children);
    }

    private static string Label(Node node) =>
        Markup.Escape($"{node.Name} {node.Version}{(node.Dev ? " (dev)" : "")}");

    private static void AddTo(TreeNode parent, Node node)
    {
        foreach (var child in node.Dependencies)
        {
            AddTo(parent.AddNode(Label(child)), child);
        }
    }

    private static void Print(CommandContext context, Node node, int level)
    {
        context.Output.Result($"{new string(' ', level * 2)}{node.Name} {node.Version}{(node.Dev ? " (dev)" : "")}");
        foreach (var child in node.Dependencies)
        {
            Print(context, child, level + 1);
        }
    }

    private static DependencyNodeJson ToJson(Node node) =>
        new(node.Name, node.Version, node.Range, node.Dev, [.. node.Dependencies.Select(ToJson)]);
}
