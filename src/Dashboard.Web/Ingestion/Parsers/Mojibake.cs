using System.Text;
using System.Text.RegularExpressions;

namespace Dashboard.Web.Ingestion.Parsers;

/// <summary>
/// Repairs text that was UTF-8 but went through a Windows-1252 decoder on its way to us, a common fault of
/// feeds and CMS exports ("the worldâ€™s biggest", "Â£30 million"). Each suspicious run (a UTF-8 lead byte
/// followed by continuation bytes, as Windows-1252 shows them) is turned back into bytes and decoded as UTF-8;
/// a run that does not decode cleanly was real text and stays as it is.
/// </summary>
public static partial class Mojibake
{
    private static readonly Encoding Windows1252 = LoadWindows1252();

    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static string Repair(string text)
    {
        // Cheap test first: every mojibake run starts with one of these lead characters.
        if (text.AsSpan().IndexOfAny('Ã', 'Â', 'â') < 0 && text.AsSpan().IndexOfAny('Ä', 'Å', 'Ð') < 0)
        {
            return text;
        }
        return Run().Replace(text, match =>
        {
            try
            {
                var decoded = StrictUtf8.GetString(Windows1252.GetBytes(match.Value));
                return decoded.Length < match.Value.Length ? decoded : match.Value;
            }
            catch (DecoderFallbackException)
            {
                return match.Value;
            }
        });
    }

    private static Encoding LoadWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    // A lead byte C2-F4 then one to three continuation bytes 80-BF, each as Windows-1252 displays it.
    private const string Continuation = "[\u0080-\u00BF\u0152\u0153\u0160\u0161\u0178\u017D\u017E\u0192\u02C6\u02DC\u2013\u2014\u2018\u2019\u201A\u201C\u201D\u201E\u2020\u2021\u2022\u2026\u2030\u2039\u203A\u20AC\u2122]";

    [GeneratedRegex("[\u00C2-\u00F4]" + Continuation + "{1,3}")]
    private static partial Regex Run();
}
