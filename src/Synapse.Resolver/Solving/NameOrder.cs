namespace Synapse.Resolver.Solving;

/// <summary>
/// Ordinal order of package names through a 64-bit key made once per name: the first nine
/// characters packed seven bits each. Different keys order names exactly as
/// <see cref="string.CompareOrdinal(string, string)"/> does; equal keys fall back to it. The decision
/// queue and the result's sort compare names constantly, and reading the strings themselves meant a
/// cache miss per comparison once thousands of packages were involved.
/// </summary>
internal static class NameOrder
{
    private const int PackedCharacters = 9;
    private const int BitsPerCharacter = 7;
    private const int Highest = (1 << BitsPerCharacter) - 1;

    /// <summary>
    /// Characters past the end count as 0 (a prefix sorts first). At a character beyond ASCII the
    /// packing stops and the rest is filled with the highest value, which sorts it after every ASCII
    /// character at that place; names equal up to there tie and are compared in full.
    /// </summary>
    public static ulong Key(string name)
    {
        ulong key = 0;
        var stopped = false;
        for (var i = 0; i < PackedCharacters; i++)
        {
            int value;
            if (stopped) value = Highest;
            else if (i >= name.Length) value = 0;
            else if (name[i] > Highest)
            {
                stopped = true;
                value = Highest;
            }
            else value = name[i];
            key = (key << BitsPerCharacter) | (uint)value;
        }
        return key;
    }

    public static int Compare(ulong key, string name, ulong otherKey, string otherName) =>
        key != otherKey ? key.CompareTo(otherKey) : string.CompareOrdinal(name, otherName);
}
