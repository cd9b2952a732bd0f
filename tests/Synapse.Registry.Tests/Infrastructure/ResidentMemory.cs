using System.Globalization;

namespace Synapse.Registry.Tests.Infrastructure;

/// <summary>This process's resident memory as Linux reports it in <c>/proc/self/status</c>.</summary>
internal static class ResidentMemory
{
    /// <summary>One field in kilobytes: <c>RssAnon</c>, <c>RssFile</c>, <c>RssShmem</c>, <c>VmRSS</c>.</summary>
    public static long Kilobytes(string field) =>
        long.Parse(File.ReadLines("/proc/self/status").Single(line => line.StartsWith(field + ":", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
