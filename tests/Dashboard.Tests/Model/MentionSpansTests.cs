using System.Text.Json;
using Dashboard.Web.Ingestion;
using Dashboard.Web.Model;

namespace Dashboard.Tests.Model;

/// <summary>The stored form of a mention's spans: compact, lossless, and still able to read the JSON rows of older stores.</summary>
public sealed class MentionSpansTests
{
    private static readonly List<MentionSpan> Spans =
    [
        new(795, 807, "text", "capital"),
        new(13, 25, "title", "capital"),
        new(13, 25, "text", "capital"),
        new(1284, 1300, "text", "name"),
        new(1371, 1388, "text", "demonym"),
    ];

    [Fact]
    public void Spans_come_back_as_written_in_field_and_position_order()
    {
        var stored = MentionSpans.Encode(Spans);

        Assert.Equal("text/capital:13+12,795+12;text/name:1284+16;text/demonym:1371+17;title/capital:13+12", stored);
        Assert.Equal(
            Spans.OrderBy(s => s.Field, StringComparer.Ordinal).ThenBy(s => s.Start).ToList(),
            MentionSpans.Decode(stored));
    }

    [Fact]
    public void The_stored_form_is_a_fraction_of_the_JSON_it_replaced()
    {
        var json = JsonSerializer.Serialize(Spans, JsonSerializerOptions.Web);
        Assert.True(MentionSpans.Encode(Spans).Length * 2 < json.Length, $"{MentionSpans.Encode(Spans).Length} against {json.Length} characters");
    }

    [Fact]
    public void Rows_written_as_JSON_by_older_versions_still_read()
    {
        var json = JsonSerializer.Serialize(Spans, JsonSerializerOptions.Web);
        Assert.Equal(Spans, MentionSpans.Decode(json));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("[]")]
    public void No_spans_read_as_an_empty_list(string? stored) => Assert.Empty(MentionSpans.Decode(stored));

    [Fact]
    public void Names_with_separators_fall_back_to_JSON_and_still_round_trip()
    {
        List<MentionSpan> odd = [new(1, 4, "text", "rule:user;1"), new(0, 3, "title", "name")];
        var stored = MentionSpans.Encode(odd);
        Assert.StartsWith("[", stored);
        Assert.Equal(MentionSpans.Sorted(odd), MentionSpans.Decode(stored));
    }

    [Fact]
    public void Damaged_entries_are_skipped_instead_of_failing_the_article_page()
    {
        Assert.Equal([new MentionSpan(5, 8, "text", "name")], MentionSpans.Decode("text/name:5+3,x+2;garbage;title/alias:-1+2"));
        Assert.Empty(MentionSpans.Decode("[{\"start\":"));
    }

    [Fact]
    public void The_content_hash_ignores_case_and_runs_of_whitespace()
    {
        var hash = ArticleIngestor.ContentHash("Iran and  Algeria\n\nmet in Tehran. ");
        // SHA-256 of "iran and algeria met in tehran.": the hashes already stored must still match.
        Assert.Equal("fe2dedad1286b79332949ebe28a861718030d2a7597c0af1b2632416aac8f9bb", hash);
        Assert.Equal(hash, ArticleIngestor.ContentHash("  iran AND algeria met\tin tehran."));
        Assert.NotEqual(hash, ArticleIngestor.ContentHash("Iran and Algeria met in Algiers."));
        Assert.Equal(64, hash.Length);
        Assert.Equal(ArticleIngestor.ContentHash(""), ArticleIngestor.ContentHash(" \n "));
    }

    [Theory]
    [InlineData("Iran and  Algeria\n\nmet in Tehran. ")]
    [InlineData("  ZÜRICH\u00A0and São Paulo\u2003met\u3000İstanbul's ÉTAT \U0001F600 emoji\u0085end ")]
    [InlineData("Tabs\tand\vvertical\ffeeds\r\nand \u001Cseparators\u001F kept")]
    [InlineData("   Leading  and trailing   spaces,\n\n\nParagraphs\r\n\r\nand\t\ttabs  ")]
    [InlineData(" ")]
    [InlineData("")]
    [InlineData("one")]
    public void The_content_hash_folds_every_character_as_char_lowering_and_white_space_do(string text)
    {
        // Hashes already stored must match new ones: the table for ASCII must fold exactly as the calls it replaced.
        var folded = new System.Text.StringBuilder();
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = folded.Length > 0;
                continue;
            }
            if (space)
            {
                folded.Append(' ');
                space = false;
            }
            folded.Append(char.ToLowerInvariant(c));
        }
        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(folded.ToString())));
        Assert.Equal(expected, ArticleIngestor.ContentHash(text));
    }
}
