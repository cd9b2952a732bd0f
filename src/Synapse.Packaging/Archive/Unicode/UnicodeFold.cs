using System.Globalization;
using System.Text;

namespace Synapse.Packaging;

/// <summary>
/// Canonical decomposition (NFD) from embedded Unicode data. The build runs with invariant globalization,
/// where <see cref="string.Normalize()"/> does nothing, yet paths such as "café" written composed and
/// decomposed must be recognised as the same file (macOS folds them).
/// </summary>
internal static partial class UnicodeFold
{
    private const int HangulBase = 0xAC00, HangulCount = 11172, LeadBase = 0x1100, VowelBase = 0x1161, TrailBase = 0x11A7;
    private const int VowelCount = 21, TrailCount = 28;

    private static readonly Dictionary<int, int[]> Decompositions = Parse(DecompositionData,
        value => value.Split(' ').Select(hex => int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray());

    private static readonly Dictionary<int, int> CombiningClasses = Parse(CombiningClassData,
        value => int.Parse(value, CultureInfo.InvariantCulture));

    /// <summary>The canonical decomposition of <paramref name="text"/>: equal for canonically equivalent strings.</summary>
    public static string Decompose(string text)
    {
        if (Ascii.IsValid(text))
            return text;
        var scalars = new List<int>(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
            Append(rune.Value, scalars);

        // Canonical ordering: stable sort of each run of combining marks by combining class.
        for (var i = 0; i < scalars.Count; i++)
        {
            if (ClassOf(scalars[i]) == 0)
                continue;
            var end = i;
            while (end < scalars.Count && ClassOf(scalars[end]) != 0)
                end++;
            var run = scalars.GetRange(i, end - i).OrderBy(ClassOf).ToList();
            for (var k = 0; k < run.Count; k++)
                scalars[i + k] = run[k];
            i = end;
        }

        var builder = new StringBuilder(scalars.Count);
        foreach (var scalar in scalars)
            builder.Append(new Rune(scalar).ToString());
        return builder.ToString();
    }

    private static void Append(int scalar, List<int> output)
    {
        var index = scalar - HangulBase;
        if (index is >= 0 and < HangulCount)
        {
            output.Add(LeadBase + (index / (VowelCount * TrailCount)));
            output.Add(VowelBase + (index % (VowelCount * TrailCount) / TrailCount));
            if (index % TrailCount != 0)
                output.Add(TrailBase + (index % TrailCount));
            return;
        }
        if (Decompositions.TryGetValue(scalar, out var decomposed))
            output.AddRange(decomposed);
        else
            output.Add(scalar);
    }

    private static int ClassOf(int scalar) => CombiningClasses.GetValueOrDefault(scalar);

    private static Dictionary<int, T> Parse<T>(string data, Func<string, T> value)
    {
        var result = new Dictionary<int, T>();
        foreach (var item in data.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            result[int.Parse(item.AsSpan(0, equals), NumberStyles.HexNumber, CultureInfo.InvariantCulture)] = value(item[(equals + 1)..]);
        }
        return result;
    }
}
