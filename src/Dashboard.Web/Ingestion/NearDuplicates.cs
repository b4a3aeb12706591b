using System.Numerics;

namespace Dashboard.Web.Ingestion;

/// <summary>
/// Near-duplicate detection for wire copies (a new headline, an added or changed paragraph): candidates
/// share the hash of the opening words, and are confirmed by a 64-bit SimHash over three-word shingles
/// of the whole text, which a changed paragraph moves by only a few bits. Also URL canonicalisation, so
/// the same story linked with tracking parameters is recognised.
/// </summary>
public static class NearDuplicates
{
    /// <summary>At most this many of 64 bits may differ between copies of one story.</summary>
    public const int MaxDistance = 12;

    /// <summary>How many opening words must match; long enough that boilerplate openings rarely collide.</summary>
    public const int LeadWords = 40;

    /// <summary>Hash of the first <see cref="LeadWords"/> words (case and punctuation folded); 0 for a text shorter than that.</summary>
    public static long LeadHash(string text)
    {
        var hash = 14695981039346656037UL;
        var words = 0;
        var scan = new WordHashes(text);
        while (words < LeadWords && scan.MoveNext(out var word))
        {
            hash = Mix(hash, word);
            words++;
        }
        return words < LeadWords ? 0 : (long)hash;
    }

    public static long Fingerprint(string text)
    {
        // Per bit, how many shingles set it; a bit of the fingerprint is on when most shingles set it (the
        // SimHash vote). The votes are counted eight bits at a time: each byte of a shingle adds its spread form
        // (one byte per bit) to a word of eight byte-wide counters, which go into the per-bit totals every 255
        // shingles, before a counter can overflow. A loop over the 64 bits of every shingle was 6% of the CPU of a
        // bulk import (perf, bench ingest), the largest of any managed method; this is eight additions per shingle,
        // and the same fingerprint.
        Span<int> ones = stackalloc int[64];
        Span<ulong> packed = stackalloc ulong[8];
        var spread = Spread;
        var unflushed = 0;
        var shingles = 0;
        ulong w1 = 0, w2 = 0;
        var words = 0;
        var scan = new WordHashes(text);
        while (scan.MoveNext(out var word))
        {
            words++;
            if (words >= 3)
            {
                var shingle = Mix(Mix(w1, w2), word);
                shingles++;
                for (var b = 0; b < 8; b++)
                {
                    packed[b] += spread[(int)(shingle >> (8 * b)) & 0xFF];
                }
                if (++unflushed == byte.MaxValue)
                {
                    Flush(packed, ones);
                    unflushed = 0;
                }
            }
            w1 = w2;
            w2 = word;
        }
        Flush(packed, ones);
        ulong fingerprint = 0;
        for (var bit = 0; bit < 64; bit++)
        {
            if (ones[bit] * 2 > shingles)
            {
                fingerprint |= 1UL << bit;
            }
        }
        return (long)fingerprint;
    }

    /// <summary>For each byte value, a word whose byte k is bit k of the value (0 or 1).</summary>
    private static readonly ulong[] Spread = Enumerable.Range(0, 256)
        .Select(v => Enumerable.Range(0, 8).Aggregate(0UL, (word, k) => word | ((ulong)((v >> k) & 1) << (8 * k))))
        .ToArray();

    /// <summary>Adds the eight words of byte-wide counters into the per-bit totals and clears them.</summary>
    private static void Flush(Span<ulong> packed, Span<int> ones)
    {
        for (var b = 0; b < 8; b++)
        {
            for (var k = 0; k < 8; k++)
            {
                ones[8 * b + k] += (int)((packed[b] >> (8 * k)) & 0xFF);
            }
            packed[b] = 0;
        }
    }

    public static int Distance(long a, long b) => BitOperations.PopCount((ulong)(a ^ b));

    /// <summary>Lower-case scheme and host, no fragment, no tracking parameters (utm_*, fbclid, ...), no trailing slash.</summary>
    public static string? CanonicalUrl(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }
        var query = string.Join("&", uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !IsTracking(p.Split('=')[0]))
            .Order(StringComparer.Ordinal));
        var path = uri.AbsolutePath.Length > 1 ? uri.AbsolutePath.TrimEnd('/') : "";
        var port = uri.IsDefaultPort ? "" : ":" + uri.Port;
        return $"{uri.Host.ToLowerInvariant()}{port}{path}{(query.Length > 0 ? "?" + query : "")}";
    }

    private static bool IsTracking(string name) =>
        name.StartsWith("utm_", StringComparison.OrdinalIgnoreCase)
        || name is "fbclid" or "gclid" or "mc_cid" or "mc_eid" or "ref" or "cmpid" or "ocid" or "at_medium" or "at_campaign";

    /// <summary>
    /// The words of a text (runs of letters and digits) as FNV-1a hashes of their lower-cased characters: stable across
    /// runs and machines, unlike string.GetHashCode. One pass, hashing as it goes; ASCII characters are looked up in a
    /// table, since char.IsLetterOrDigit and char.ToLowerInvariant on every character of every upload were a third of
    /// the fingerprint's time (perf, bench ingest). Other characters take the same two calls as before, so stored
    /// fingerprints and lead hashes stay comparable with new ones.
    /// </summary>
    private ref struct WordHashes(ReadOnlySpan<char> text)
    {
        private const ulong Offset = 14695981039346656037UL;
        private const ulong Prime = 1099511628211UL;
        private readonly ReadOnlySpan<char> _text = text;
        private int _next;

        public bool MoveNext(out ulong hash)
        {
            var folded = AsciiFolded;
            var text = _text;
            var i = _next;
            hash = Offset;
            var inWord = false;
            for (; i < text.Length; i++)
            {
                var c = text[i];
                var lower = c < 128 ? folded[c] : char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '\0';
                if (lower != '\0')
                {
                    hash = (hash ^ lower) * Prime;
                    inWord = true;
                }
                else if (inWord)
                {
                    break;
                }
            }
            _next = i;
            return inWord;
        }
    }

    /// <summary>For each ASCII character: itself lower-cased if it is a letter or a digit, else '\0'.</summary>
    private static readonly char[] AsciiFolded = Enumerable.Range(0, 128)
        .Select(c => char.IsLetterOrDigit((char)c) ? char.ToLowerInvariant((char)c) : '\0')
        .ToArray();

    private static ulong Mix(ulong a, ulong b)
    {
        var x = a * 0x9E3779B97F4A7C15UL ^ b;
        x ^= x >> 33;
        x *= 0xFF51AFD7ED558CCDUL;
        x ^= x >> 33;
        return x;
    }
}
