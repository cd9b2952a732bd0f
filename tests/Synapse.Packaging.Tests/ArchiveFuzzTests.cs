using System.Formats.Tar;
using System.IO.Compression;

namespace Synapse.Packaging.Tests;

/// <summary>Mutated archives must only ever fail with a PackageArchiveException, never anything else.</summary>
public class ArchiveFuzzTests
{
    private static byte[] Tar()
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            TestArchives.AddFile(writer, "synapse.toml", TestArchives.Manifest);
            TestArchives.AddFile(writer, "README.md", "# readme");
            TestArchives.AddFile(writer, "src/" + new string('n', 120) + ".syn", "long name");
            writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, "gnu/" + new string('g', 120)) { DataStream = new MemoryStream([1, 2, 3]) });
            writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, "ustar.txt") { DataStream = new MemoryStream([4, 5]) });
        }
        return tar.ToArray();
    }

    [Fact]
    public async Task Mutated_tar_bytes_are_rejected_cleanly_or_accepted()
    {
        var original = Tar();
        var random = new Random(20261124);
        var accepted = 0;
        for (var round = 0; round < 400; round++)
        {
            var mutated = (byte[])original.Clone();
            var flips = random.Next(1, 6);
            for (var i = 0; i < flips; i++)
            {
                var at = random.Next(mutated.Length);
                mutated[at] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)'7',
                    _ => 0,
                };
            }
            if (random.Next(4) == 0)
                mutated = mutated[..random.Next(mutated.Length)];

            try
            {
                await TestArchives.InspectAsync(TestArchives.Gzip(mutated), mode: ManifestMode.Local);
                accepted++;
            }
            catch (PackageArchiveException)
            {
            }
        }
        Assert.True(accepted < 400, "no mutation was rejected; the fuzzer is not exercising the reader");
    }

    [Fact]
    public async Task Mutated_gzip_bytes_are_rejected_or_decode_to_the_same_content()
    {
        var original = TestArchives.Gzip(Tar());
        var expected = await TestArchives.InspectAsync(original, mode: ManifestMode.Local);
        var random = new Random(7);
        for (var round = 0; round < 300; round++)
        {
            var mutated = (byte[])original.Clone();
            mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);

            // Some flips change nothing decoded (gzip header time/OS fields, deflate padding bits); the CRC
            // check guarantees anything accepted decodes to exactly the original content.
            try
            {
                var inspection = await TestArchives.InspectAsync(mutated, mode: ManifestMode.Local);
                Assert.Equal(expected.Files, inspection.Files);
                Assert.Equal(expected.Readme, inspection.Readme);
            }
            catch (PackageArchiveException)
            {
            }
        }
    }
}
