using System.Formats.Tar;
using System.IO.Compression;

namespace Dashboard.Tests.Ingestion;

/// <summary>Tar and gzip files built in the tests, the way tar and gzip write them.</summary>
public static class ArchiveFiles
{
    /// <summary>A GNU tar archive (what GNU tar writes by default) of the given files; a name ending in "/" is a folder, <paramref name="links"/> are symbolic links.</summary>
    public static byte[] Tar(IEnumerable<(string Name, byte[] Content)> files, params (string Name, string Target)[] links)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Gnu, leaveOpen: true))
        {
            foreach (var (name, content) in files)
            {
                if (name.EndsWith('/'))
                {
                    writer.WriteEntry(new GnuTarEntry(TarEntryType.Directory, name));
                    continue;
                }
                writer.WriteEntry(new GnuTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
            }
            foreach (var (name, target) in links)
            {
                writer.WriteEntry(new GnuTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target });
            }
        }
        return buffer.ToArray();
    }

    public static byte[] Tar(params (string Name, byte[] Content)[] files) => Tar(files, []);

    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(content);
        }
        return buffer.ToArray();
    }
}
