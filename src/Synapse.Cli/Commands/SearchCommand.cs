using System.CommandLine;
using Spectre.Console;
using Synapse.Cli.Infrastructure;

namespace Synapse.Cli.Commands;

internal static class SearchCommand
{
    public static Command Create(CliApp app)
    {
        var query = new Argument<string>("QUERY") { Description = "Words to search for" };
        var page = new Option<int>("--page") { Description = "Result page, from 1", DefaultValueFactory = _ => 1 };
        var perPage = new Option<int>("--per-page") { Description = "Results per page (at most 100)", DefaultValueFactory = _ => 20 };
        var command = new Command("search", "Search the registry") { query, page, perPage };
        return app.Handle(command, async (context, parse, cancellationToken) =>
        {
            var pageNumber = parse.GetValue(page);
            var size = parse.GetValue(perPage);
            if (pageNumber < 1 || size is < 1 or > 100)
            {
                throw CliException.Usage("--page must be 1 or more and --per-page between 1 and 100.");
            }
            var result = await context.Client.SearchAsync(parse.GetValue(query)!, pageNumber, size, cancellationToken);
            if (context.Output.IsJson)
            {
                context.Output.WriteJson(new SearchJson(
                    [.. result.Results.Select(r => new SearchHitJson(r.Name, r.Version, r.Description, r.Keywords, r.Downloads, r.Score))],
                    result.Total,
                    result.Page,
                    result.PerPage), CliJsonContext.Output.SearchJson);
                return ExitCodes.Ok;
            }
            if (result.Results.Count == 0)
            {
                context.Output.Result("No packages found.");
                return ExitCodes.Ok;
            }
            if (context.Output.IsRich)
            {
                var table = new Table().AddColumns("Name", "Version", "Downloads", "Description");
                foreach (var hit in result.Results)
                {
                    table.AddRow(Markup.Escape(hit.Name), Markup.Escape(hit.Version ?? ""), hit.Downloads.ToString("N0"), Markup.Escape(hit.Description ?? ""));
                }
                context.Output.Render(table);
            }
            else
            {
                foreach (var hit in result.Results)
                {
                    context.Output.Result($"{hit.Name} {hit.Version}\t{hit.Description}");
                }
            }
            context.Output.Line($"{result.Results.Count} of {result.Total} results (page {result.Page}).");
            return ExitCodes.Ok;
        });
    }
}
