using System.Text.Json;
using Dashboard.Web.Cli;

namespace Dashboard.Tests.Extraction;

/// <summary>The `extract` subcommand's JSON Lines contract.</summary>
public sealed class ExtractCommandTests
{
    private static async Task<(int ExitCode, List<JsonElement> Rows, string Errors)> Run(params string[] lines)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ExtractCommand.RunAsync(new StringReader(string.Join("\n", lines) + "\n"), output, error);
        var rows = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (exit, rows, error.ToString());
    }

    [Fact]
    public async Task A_good_line_gives_mentions_focus_and_topics()
    {
        var seed = SharedData.SeedText;
        var (exit, rows, _) = await Run(JsonSerializer.Serialize(new { id = "seed", text = seed, date = "2024-06-01" }));

        Assert.Equal(0, exit);
        var row = Assert.Single(rows);
        Assert.Equal("seed", row.GetProperty("id").GetString());
        var mentions = row.GetProperty("mentions").EnumerateArray().ToList();
        Assert.Contains(mentions, m => m.GetProperty("kind").GetString() == "country" && m.GetProperty("key").GetString() == "IR");
        Assert.Contains(mentions, m => m.GetProperty("kind").GetString() == "person" && m.GetProperty("key").GetString() == "ebrahim-raisi");
        Assert.Contains(mentions, m => m.GetProperty("kind").GetString() == "organization" && m.GetProperty("key").GetString() == "united-nations");
        Assert.All(mentions, m =>
        {
            var (start, end) = (m.GetProperty("start").GetInt32(), m.GetProperty("end").GetInt32());
            Assert.InRange(start, 0, end - 1);
            Assert.InRange(end, 1, seed.Length);
            Assert.False(m.TryGetProperty("field", out _));
        });
        Assert.NotEmpty(row.GetProperty("focus").EnumerateArray());
        Assert.Contains(row.GetProperty("topics").EnumerateArray(), t => t.GetProperty("key").GetString() == "diplomacy" && t.GetProperty("score").GetDouble() is > 0 and <= 1);
    }

    [Fact]
    public async Task Title_mentions_carry_the_field()
    {
        var (_, rows, _) = await Run("""{"id": "t", "title": "Iran and Algeria meet", "text": "Talks were held."}""");
        var mentions = Assert.Single(rows).GetProperty("mentions").EnumerateArray().ToList();
        Assert.Equal(2, mentions.Count);
        Assert.All(mentions, m => Assert.Equal("title", m.GetProperty("field").GetString()));
        Assert.Equal("Iran", "Iran and Algeria meet"[mentions[0].GetProperty("start").GetInt32()..mentions[0].GetProperty("end").GetInt32()]);
    }

    [Fact]
    public async Task Malformed_lines_report_errors_in_order_and_the_run_goes_on()
    {
        var (exit, rows, errors) = await Run(
            """{"id": "a", "text": "Talks in Paris."}""",
            """{"id": "broken", "text": """,
            "",
            """{"id": 7, "text": 42}""",
            """{"id": "nodate", "text": "Rain in Oslo.", "date": "June 1st"}""",
            """{"text": "no id, Lima"}""",
            """[1, 2]""");

        Assert.Equal(1, exit);
        Assert.Equal(6, rows.Count);
        Assert.Equal("a", rows[0].GetProperty("id").GetString());
        Assert.False(rows[0].TryGetProperty("error", out _));

        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("id").ValueKind);
        Assert.Equal(2, rows[1].GetProperty("line").GetInt32());
        Assert.True(rows[1].TryGetProperty("error", out _));

        Assert.Equal(7, rows[2].GetProperty("id").GetInt32());
        Assert.Equal(4, rows[2].GetProperty("line").GetInt32());
        Assert.Contains("text", rows[2].GetProperty("error").GetString());

        Assert.Equal("nodate", rows[3].GetProperty("id").GetString());
        Assert.Contains("date", rows[3].GetProperty("error").GetString());

        Assert.Equal(JsonValueKind.Null, rows[4].GetProperty("id").ValueKind);
        Assert.False(rows[4].TryGetProperty("error", out _));
        Assert.Equal(7, rows[5].GetProperty("line").GetInt32());
        Assert.Contains("line 2", errors);
    }

    [Fact]
    public async Task Exit_code_is_zero_when_every_line_is_good()
    {
        var (exit, rows, errors) = await Run("""{"id": "1", "text": "Kenya and Uganda.", "date": "2024-06-01"}""", "   ", """{"id": "2", "text": ""}""");
        Assert.Equal(0, exit);
        Assert.Equal(["1", "2"], rows.Select(r => r.GetProperty("id").GetString()));
        Assert.Empty(errors);
    }
}
