using System.CommandLine;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class OwnerCommand
{
    public static Command Create(CliApp app)
    {
        var owner = new Command("owner", "List, add or remove a package's owners");
        owner.Subcommands.Add(Change(app, add: true));
        owner.Subcommands.Add(Change(app, add: false));
        var name = new Argument<string>("NAME") { Description = "The package" };
        owner.Subcommands.Add(app.Handle(new Command("list", "List a package's owners") { name }, async (context, parse, cancellationToken) =>
        {
            var package = parse.GetValue(name)!;
            PackageSpec.ValidateName(package);
            var owners = await context.Client.GetOwnersAsync(package, cancellationToken);
            foreach (var user in owners.Users)
            {
                context.Output.Result(user);
            }
            context.Output.WriteJson(new OwnersJson(package, owners.Users), CliJsonContext.Output.OwnersJson);
            return ExitCodes.Ok;
        }));
        return owner;
    }

    private static Command Change(CliApp app, bool add)
    {
        var name = new Argument<string>("NAME") { Description = "The package" };
        var users = new Argument<string[]>("USER") { Description = "Usernames", Arity = ArgumentArity.OneOrMore };
        var command = new Command(add ? "add" : "remove", add ? "Add owners to a package" : "Remove owners from a package (the last owner stays)") { name, users };
        return app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var package = parse.GetValue(name)!;
            PackageSpec.ValidateName(package);
            var list = parse.GetValue(users)!;
            var client = context.AuthenticatedClient;
            if (add)
            {
                await client.AddOwnersAsync(package, list, cancellationToken);
            }
            else
            {
                await client.RemoveOwnersAsync(package, list, cancellationToken);
            }
            context.Output.Line($"{(add ? "Added" : "Removed")} {string.Join(", ", list)} {(add ? "to" : "from")} the owners of {package}.");
            context.Output.WriteJson(new OwnersChangedJson(package, add ? "add" : "remove", list), CliJsonContext.Output.OwnersChangedJson);
            return ExitCodes.Ok;
        });
    }
}
