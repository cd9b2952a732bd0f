namespace Synapse.Packaging;

/// <summary>
/// Rules for paths inside an archive, applied on every OS so an archive that is safe on one is safe on all:
/// relative, '/'-separated, no '..', '.' or empty segments, no backslashes, no drive letters or ':', no
/// control characters, no Windows device names (<c>con</c>, <c>nul</c>, ...) and no names ending in '.' or ' '.
/// </summary>
internal static class ArchivePath
{
    public const int MaxLength = 1024;

    private static readonly HashSet<string> WindowsDeviceNames = new(
        ["CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
         "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"],
        StringComparer.OrdinalIgnoreCase);

    /// <summary>Strips one leading "./" and a trailing "/" (directories), as common tar tools write them.</summary>
    public static string Normalize(string path)
    {
        if (path.StartsWith("./", StringComparison.Ordinal) && path.Length > 2)
            path = path[2..];
        if (path.EndsWith('/') && path.Length > 1)
            path = path[..^1];
        return path;
    }

    /// <summary>Null when the (normalized) path is safe, otherwise what is wrong with it.</summary>
    public static string? Validate(string path)
    {
        if (path.Length == 0)
            return "the path is empty";
        if (path.Length > MaxLength)
            return $"the path is longer than {MaxLength} characters";
        if (path.StartsWith("//", StringComparison.Ordinal) || path.StartsWith(@"\\", StringComparison.Ordinal))
            return "it is a UNC path (\\\\server\\share); paths must be relative to the package root";
        if (path[0] == '/')
            return "it is an absolute path; paths must be relative to the package root";
        if (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':')
            return $"it starts with a drive letter ({path[..2]}); paths must be relative to the package root";
        foreach (var c in path)
        {
            if (c == '\\')
                return "it contains a backslash; separate folders with '/'";
            if (char.IsControl(c))
                return $"it contains the control character U+{(int)c:X4}";
            if (c == ':')
                return "it contains ':', which is not portable (drive letters, NTFS streams)";
            if (c == '\uFFFD')
                return "it is not valid UTF-8";
        }
        foreach (var segment in path.Split('/'))
        {
            if (segment == "..")
                return "it contains a '..' segment, which could escape the package folder";
            if (segment == ".")
                return "it contains a '.' segment; write the path without it";
            if (segment.Length == 0)
                return "it contains an empty segment ('//' or a trailing '/')";
            if (segment[^1] is '.' or ' ')
                return $"the name '{segment}' ends with '{segment[^1]}', which Windows silently drops";
            var stem = segment.Split('.')[0];
            if (WindowsDeviceNames.Contains(stem))
                return $"'{segment}' is a reserved device name on Windows";
        }
        return null;
    }
}
