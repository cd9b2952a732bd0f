using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Synapse.Protocol.Contracts;
using Synapse.Registry.Packages;
using Synapse.Registry.RateLimiting;
using Synapse.Registry.Search;

namespace Synapse.Registry.Api;

internal static class SearchApi
{
    public const int DefaultPerPage = 20;
    public const int MaxPerPage = 100;
    public const int MaxQueryLength = 256;
    public const int MaxPage = 10_000;

    public static RouteGroupBuilder MapSearchApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/search").WithTags("Search").RequireRateLimit(RateLimitPolicies.Read);
        group.MapGet("/", Search);
        return group;
    }

    internal static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> Search(
        HttpRequest request, IPackageSearch search, SearchConcurrency concurrency, CancellationToken cancellationToken)
    {
        var query = request.Query["q"].ToString();
        var errors = new Dictionary<string, string[]>();
        if (query.Length > MaxQueryLength)
        {
            errors["q"] = [$"The query is at most {MaxQueryLength} characters."];
        }
        var page = ParsePositive(request.Query["page"].ToString(), 1, "page", $"page is a whole number from 1 to {MaxPage}.", errors);
        if (page > MaxPage)
        {
            errors["page"] = [$"page is a whole number from 1 to {MaxPage}."];
        }
        // per_page is capped, not refused, so a client asking for more simply gets the largest page.
        var perPage = Math.Min(MaxPerPage, ParsePositive(request.Query["per_page"].ToString(), DefaultPerPage, "per_page",
            $"per_page is a whole number of at least 1 (at most {MaxPerPage} are returned).", errors));
        if (errors.Count > 0)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidQuery,
                string.Join(" ", errors.Values.SelectMany(v => v)), errors);
        }
        var (hits, total) = await concurrency.RunAsync(ct => search.SearchAsync(query, page, perPage, ct), cancellationToken);
        return TypedResults.Ok(new SearchResponse
        {
            Results = hits.Select(h => new SearchResult
            {
                Name = h.Name,
                Version = h.LatestVersion,
                Description = h.Description,
                Keywords = PackageDocuments.SplitKeywords(h.Keywords),
                Downloads = h.Downloads,
                Score = h.Score,
            }).ToList(),
            Total = total,
            Page = page,
            PerPage = perPage,
        });
    }

    private static int ParsePositive(string text, int fallback, string field, string message, Dictionary<string, string[]> errors)
    {
        if (text.Length == 0)
        {
            return fallback;
        }
        if (text.All(char.IsAsciiDigit) && text.TrimStart('0').Length > 0)
        {
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : int.MaxValue;
        }
        errors[field] = [message];
        return fallback;
    }
}
