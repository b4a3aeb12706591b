using System.IO.Compression;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// A gzip-compressed file (<c>news.jsonl.gz</c>, <c>archive.tar.gz</c>): one layer of compression around one other
/// file, unpacked as it is read. Nothing in a gzip file says truthfully how much it unpacks to, so the reading
/// itself is bounded: at most <see cref="Archives.MaxCompressionRatio"/> times the compressed size (a gzip bomb
/// is refused) and at most the caller's limit.
/// </summary>
public static class GzipLayer
{
    public static bool IsGzip(ReadOnlySpan<byte> content) =>
        content.Length >= 3 && content[0] == 0x1f && content[1] == 0x8b && content[2] == 8;

    /// <summary>
    /// The unpacked content of a gzip file of <paramref name="compressedLength"/> bytes; reading it throws
    /// <see cref="ArticleParseException"/> once it gives more than allowed or meets damaged data.
    /// </summary>
    public static Stream Open(string fileName, Stream compressed, long compressedLength, long maxBytes) =>
        new UnpackedStream(new GZipStream(compressed, CompressionMode.Decompress), fileName, compressedLength, maxBytes);

    /// <summary>Unpacks a gzip file held in memory, up to <paramref name="maxBytes"/>.</summary>
    public static byte[] Unpack(string fileName, byte[] content, long maxBytes)
    {
        using var stream = Open(fileName, new MemoryStream(content, writable: false), content.Length, maxBytes);
        using var unpacked = new MemoryStream();
        stream.CopyTo(unpacked);
        return unpacked.ToArray();
    }

    /// <summary>The first bytes of the unpacked content (to tell a tar archive from a single file).</summary>
    public static byte[] Head(string fileName, byte[] content, int count)
    {
        using var stream = Open(fileName, new MemoryStream(content, writable: false), content.Length, long.MaxValue);
        var head = new byte[count];
        var read = stream.ReadAtLeast(head, count, throwOnEndOfStream: false);
        return head[..read];
    }

    private sealed class UnpackedStream(Stream inner, string fileName, long compressedLength, long maxBytes) : ReadOnlyStream
    {
        private readonly long _ratioLimit = Math.Max(Archives.RatioFloorBytes, Archives.MaxCompressionRatio * Math.Max(compressedLength, 1));
        private long _read;

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try
            {
                n = inner.Read(buffer);
            }
            catch (InvalidDataException ex)
            {
                throw new ArticleParseException($"{fileName}: the gzip data is damaged ({ex.Message})");
            }
            _read += n;
            if (_read > _ratioLimit && _ratioLimit <= maxBytes)
            {
                throw new ArticleParseException($"{fileName}: {compressedLength:N0} compressed bytes unpack to more than {_ratioLimit:N0}, more than {Archives.MaxCompressionRatio}:1: this looks like a gzip bomb; the file is refused");
            }
            if (_read > maxBytes)
            {
                throw new ArticleParseException($"{fileName}: the file unpacks to more than the {maxBytes:N0} bytes allowed; the file is refused");
            }
            return n;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
