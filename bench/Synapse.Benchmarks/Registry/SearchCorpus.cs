namespace Synapse.Benchmarks.Registry;

/// <summary>
/// A C# port of the compare harness's search corpus (bench/compare/lib/corpus.mjs): realistic names from Zipf-weighted
/// words, a one-sentence description, 1-5 keywords, and rare made-up words; plus the query kinds it measures.
/// </summary>
internal static class SearchCorpus
{
    private static readonly string[] NameWords = (
        "http json client server parser async react fs util utils core cli config log logger test stream " +
        "data api web node type types plugin loader file path string date time crypto hash cache db sql " +
        "query router event emitter promise queue task worker thread pool buffer binary image color css " +
        "html markdown template render view component ui form input validate schema model orm redis mongo " +
        "postgres sqlite auth token jwt oauth session cookie proxy socket tcp udp dns url uri mime zip tar " +
        "gzip compress archive semver version build bundle compile lint format pretty print debug trace " +
        "metrics monitor health retry timeout rate limit throttle batch scheduler cron job graph tree list " +
        "map set array object deep merge clone diff patch watch glob match regex text unicode encode decode " +
        "base64 uuid random math number big decimal matrix vector geo locale i18n env dotenv yaml toml ini " +
        "csv xml protobuf grpc graphql rest rpc mock fixture bench perf memo lazy fast tiny simple micro mini " +
        "lite smart super easy safe strict pure fluent open kit lib tools helper wrapper adapter bridge sdk").Split(' ');

    private static readonly string[] Keywords = (
        "http json cli parser async stream testing logging config database orm cache crypto security " +
        "auth web server client framework utility validation schema template markdown css html image " +
        "compression archive networking graphql rest rpc metrics monitoring scheduler queue events " +
        "filesystem path glob regex unicode i18n yaml toml csv xml math random uuid date time semver " +
        "build bundler linter formatter debug performance benchmark mock fixtures redis postgres sqlite").Split(' ');

    private static readonly string[] Adjectives = (
        "fast small simple minimal modern robust lightweight tiny flexible powerful typed streaming " +
        "zero-dependency composable portable embeddable declarative efficient safe strict pluggable " +
        "ergonomic idiomatic battle-tested experimental extensible incremental lazy concurrent").Split(' ');

    private static readonly string[] Features = (
        "caching retries timeouts streaming support plugins middleware hooks schema validation " +
        "pretty errors structured logging connection pooling backpressure cancellation tracing metrics " +
        "hot reload source maps lazy loading batching compression encryption pagination sorting " +
        "filtering localization fuzzy matching incremental parsing zero copy buffers typed results " +
        "async iterators worker threads memoization deep equality").Split(' ');

    private static readonly string[] Domains = (
        "web servers command-line tools browsers microservices data pipelines test suites build " +
        "systems mobile apps desktop apps embedded devices game engines scientific computing " +
        "serverless functions static sites chat bots dashboards compilers databases").Split(' ');

    private static readonly string[] Syllables = "ka ze vo ri lu mar tek qua zor ven bli dra nox pel sim tur gax fen hol jir".Split(' ');

    internal sealed record Entry(string Name, string Description, string Keywords, long Downloads, string? RareWord);

    public static IReadOnlyList<Entry> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var nameWord = Zipf(NameWords, random);
        var keyword = Zipf(Keywords, random);
        var adjective = Zipf(Adjectives, random);
        var feature = Zipf(Features, random);
        var domain = Zipf(Domains, random);
        var names = new HashSet<string>();
        var entries = new List<Entry>(count);
        for (var i = 0; i < count; i++)
        {
            string name;
            for (var attempt = 0; ; attempt++)
            {
                var parts = Distinct(nameWord, random.NextDouble() < 0.55 ? 2 : 3);
                if (attempt > 3) parts.Add(PseudoWord(random));
                if (attempt > 8) parts.Add(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                name = string.Join('-', parts);
                if (!char.IsAsciiLetter(name[0])) name = "x" + name;
                if (name.Length <= 64 && names.Add(name)) break;
            }
            var description = $"A {adjective()} {name.Replace('-', ' ')} library for {domain()}, with {feature()} and {feature()}.";
            string? rare = null;
            if (random.NextDouble() < 0.35)
            {
                rare = PseudoWord(random);
                description += $" Inspired by {rare}.";
            }
            var keywords = string.Join(',', Distinct(keyword, 1 + random.Next(5)));
            entries.Add(new Entry(name, description, keywords, (long)(1000 / Math.Pow(1 + random.Next(1000), 1.2) * 100), rare));
        }
        return entries;
    }

    /// <summary>The compare harness's query kinds: exact names, prefixes, common and rare words, several words.</summary>
    public static IReadOnlyList<(string Kind, IReadOnlyList<string> Queries)> Queries(IReadOnlyList<Entry> corpus, int seed, int perKind)
    {
        var random = new Random(seed);
        Entry Pick() => corpus[random.Next(corpus.Count)];
        var exact = Enumerable.Range(0, perKind).Select(_ => Pick().Name).ToList();
        var prefix = Enumerable.Range(0, perKind).Select(_ =>
        {
            var name = Pick().Name;
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            return random.Next(3) switch
            {
                0 => name[..(dash + 1)],
                1 => name[..Math.Min(name.Length, dash + 2)],
                _ => name[..Math.Min(name.Length, Math.Max(3, dash))],
            };
        }).ToList();
        var common = Features.Concat(Adjectives).Where(w => !w.Contains('-', StringComparison.Ordinal)).Take(perKind).ToList();
        var rare = corpus.Where(e => e.RareWord is not null).Select(e => e.RareWord!).Distinct().Take(perKind).ToList();
        var multi = Enumerable.Range(0, perKind).Select(_ =>
        {
            var words = Pick().Name.Split('-');
            return random.Next(2) == 0 ? $"{words[0]} {words[^1]}" : $"{words[0]} {Adjectives[random.Next(8)]} {Keywords[random.Next(Keywords.Length)]}";
        }).ToList();
        return [("exact", exact), ("prefix", prefix), ("common", common), ("rare", rare), ("multi", multi)];
    }

    private static Func<string> Zipf(string[] list, Random random)
    {
        var cumulative = new double[list.Length];
        var total = 0.0;
        for (var i = 0; i < list.Length; i++) total += 1 / Math.Pow(i + 1, 1.07);
        var acc = 0.0;
        for (var i = 0; i < list.Length; i++) cumulative[i] = acc += 1 / Math.Pow(i + 1, 1.07) / total;
        return () =>
        {
            var at = Array.BinarySearch(cumulative, random.NextDouble());
            return list[Math.Min(list.Length - 1, at < 0 ? ~at : at)];
        };
    }

    private static List<string> Distinct(Func<string> pick, int count)
    {
        var set = new List<string>();
        for (var guard = 0; set.Count < count && guard < count * 20; guard++)
        {
            var word = pick();
            if (!set.Contains(word)) set.Add(word);
        }
        return set;
    }

    private static string PseudoWord(Random random)
    {
        var n = 2 + random.Next(3);
        return string.Concat(Enumerable.Range(0, n).Select(_ => Syllables[random.Next(Syllables.Length)]));
    }
}
