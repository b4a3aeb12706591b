using Dashboard.Web.Extraction;
using Dashboard.Web.Model;

namespace Dashboard.Tests.Extraction;

/// <summary>What a person or organisation is reported to have said, found where the article names them.</summary>
public sealed class StatementFinderTests
{
    /// <summary>The statements attributed to every occurrence of <paramref name="speaker"/> in <paramref name="text"/>, as their words.</summary>
    private static List<(string Quote, string Verb, bool Quoted)> Said(string text, string speaker) =>
        StatementFinder.Find(text, Spans(text, speaker)).Select(s => (text[s.QuoteStart..s.QuoteEnd], s.Verb, s.Quoted)).ToList();

    /// <summary>Every place <paramref name="name"/> is written in <paramref name="text"/>, as the extractor's spans would give it.</summary>
    private static List<(int Start, int End)> Spans(string text, string name)
    {
        var spans = new List<(int, int)>();
        for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.Ordinal))
        {
            spans.Add((at, at + name.Length));
        }
        return spans;
    }

    [Fact]
    public void Reads_reported_speech_and_an_attribution_after_the_words_in_the_seed_article()
    {
        var seed = SharedData.SeedText;
        var attaf = Assert.Single(Said(seed, "Attaf"));
        Assert.Equal(("his country welcomes and supports any initiative to be made by the OIC to reach ceasefire and relieve the pain of the Palestinians in Gaza", "said", false), attaf);

        var bagheri = Said(seed, "Bagheri");
        Assert.Contains(bagheri, s => s.Verb == "added" && s.Quote.StartsWith("The attacks, which led to the death", StringComparison.Ordinal)
            && s.Quote.EndsWith("added to the crimes of the bloodthirsty regime", StringComparison.Ordinal));
        Assert.Contains(bagheri, s => s.Verb == "called for" && s.Quote == "pursuing implementation of the mutual agreements");
        // "Bagheri thanked…" and "Bagheri further referred to…" report acts, not words.
        Assert.DoesNotContain(bagheri, s => s.Quote.Contains("condolence", StringComparison.Ordinal) || s.Quote.Contains("brutal attacks", StringComparison.Ordinal));
    }

    [Fact]
    public void Seed_statements_come_through_the_extractors_own_spans_and_roles()
    {
        var seed = SharedData.SeedText;
        var result = new ArticleExtractor().Extract(null, seed, new DateOnly(2024, 6, 1));
        var attaf = result.Mentions.Where(m => m.Key == "ahmed-attaf").Select(m => (m.Start, m.End)).ToList();
        var statements = StatementFinder.Find(seed, attaf);
        // "the Algerian foreign minister … expressed sympathy" is no reporting verb; "Attaf said his country…" is.
        var statement = Assert.Single(statements);
        Assert.Equal("Attaf", seed[statement.SpeakerStart..statement.SpeakerEnd]);
        Assert.StartsWith("About the Zionist regime", seed[statement.SentenceStart..statement.SentenceEnd], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u201CWe will not stop. We will go on,\u201D Netanyahu said on Sunday.", "Netanyahu", "We will not stop. We will go on", "said")]
    [InlineData("\u201CThe regime will pay for its crimes,\u201D said Bagheri.", "Bagheri", "The regime will pay for its crimes", "said")]
    [InlineData("\"The regime will pay for its crimes,\" said Bagheri.", "Bagheri", "The regime will pay for its crimes", "said")]
    [InlineData("\"I am very impressed with the earnings story,\" analyst Smith said, noting the lower costs.", "Smith", "I am very impressed with the earnings story", "said")]
    [InlineData("Raisi told reporters: \u201CWe will respond to any aggression.\u201D", "Raisi", "We will respond to any aggression", "told")]
    [InlineData("Raisi said that \u201Cthe response will be decisive\u201D if Israel attacks.", "Raisi", "the response will be decisive", "said")]
    public void Quotations_are_the_speakers_own_words(string text, string speaker, string quote, string verb)
    {
        Assert.Equal([(quote, verb, true)], Said(text, speaker));
    }

    [Theory]
    [InlineData("Bagheri, the acting foreign minister, warned that the attacks would not go unanswered.", "Bagheri", "the attacks would not go unanswered", "warned")]
    [InlineData("Raisi has also said on Friday that the talks were useful for both sides.", "Raisi", "the talks were useful for both sides", "said")]
    [InlineData("The meeting will be held in Jeddah next week, said Foreign Minister Bagheri.", "Bagheri", "The meeting will be held in Jeddah next week", "said")]
    [InlineData("The meeting will be held in Jeddah next week, Bagheri told reporters on Friday.", "Bagheri", "The meeting will be held in Jeddah next week", "told")]
    [InlineData("According to the OIC, the meeting will be held in Jeddah next week.", "OIC", "the meeting will be held in Jeddah next week", "according to")]
    [InlineData("The meeting will be held in Jeddah next week, according to the OIC.", "OIC", "The meeting will be held in Jeddah next week", "according to")]
    [InlineData("The Organization of the Islamic Cooperation (OIC) said the meeting was postponed again.", "Organization of the Islamic Cooperation", "the meeting was postponed again", "said")]
    [InlineData("Mr. Smith said the U.S. economy is strong. Jones disagreed.", "Smith", "the U.S. economy is strong", "said")]
    [InlineData("Byrd told reporters Baker visited him late on Friday.", "Byrd", "Baker visited him late on Friday", "told")]
    [InlineData("Commercial construction, Volcker said, is suffering from earlier over-building.", "Volcker", "Commercial construction, Volcker said, is suffering from earlier over-building", "said")]
    [InlineData("Sales fell sharply to 7.2 billion marks, managing board chairman Klaus Giesel told a news conference.", "Klaus Giesel", "Sales fell sharply to 7.2 billion marks", "told")]
    [InlineData("Clark told a press conference he was persuaded the administration had begun to deal seriously with Canada.", "Clark", "he was persuaded the administration had begun to deal seriously with Canada", "told")]
    [InlineData("Volcker told a committee the fall should be \"large enough to help.\" Baker said they agreed on the need for stability.", "Baker", "they agreed on the need for stability", "said")]
    [InlineData("Raisi said the resolution, which he called \u201Chistoric\u201D, was a step forward.", "Raisi", "the resolution, which he called \u201Chistoric\u201D, was a step forward", "said")]
    public void Reported_speech_is_the_clause_the_verb_reports(string text, string speaker, string quote, string verb)
    {
        Assert.Equal([(quote, verb, false)], Said(text, speaker));
    }

    [Theory]
    [InlineData("Officials close to Bagheri said the talks were useful.", "Bagheri")]
    [InlineData("Bagheri's aide said the talks were useful for both sides.", "Bagheri")]
    [InlineData("Bagheri thanked Algerian officials for their messages of condolence.", "Bagheri")]
    [InlineData("A meeting with the OIC said nothing new about the plan.", "OIC")]
    [InlineData("Yes, Bagheri said.", "Bagheri")]
    [InlineData("The Federal Reserve said . (NRKX 2024) WASHINGTON - The Treasury said it will sell bills.", "Federal Reserve")]
    [InlineData("Nakasone responded to the suggestion of a summit.", "Nakasone")]
    [InlineData("\u201CWe will respond,\u201D Raisi said, and Bagheri said nothing.", "Bagheri")]
    public void A_name_that_is_not_the_one_speaking_says_nothing(string text, string speaker)
    {
        Assert.Empty(Said(text, speaker));
    }

    /// <summary>The speaker's statements and those "he said" goes on with, with who else is named, as their words and how the speaker is written.</summary>
    private static List<(string Quote, string SpokenAs)> SaidAndContinued(string text, string speaker, params string[] others) =>
        SaidAndContinued(text, speaker, organisation: false, others);

    private static List<(string Quote, string SpokenAs)> SaidAndContinued(string text, string speaker, bool organisation, params string[] others)
    {
        var sentences = StatementFinder.SentenceList(text);
        var said = StatementFinder.Find(text, sentences, Spans(text, speaker));
        var more = StatementFinder.FindContinuations(text, sentences, said, others.SelectMany(o => Spans(text, o)).ToList(), organisation);
        return said.Concat(more).OrderBy(s => s.QuoteStart).Select(s => (text[s.QuoteStart..s.QuoteEnd], text[s.SpeakerStart..s.SpeakerEnd])).ToList();
    }

    [Fact]
    public void He_said_goes_on_with_the_last_speaker_until_another_person_is_named()
    {
        Assert.Equal([("We will not stop here", "Raisi"), ("We will go on until the end", "he")],
            SaidAndContinued("\u201CWe will not stop here,\u201D Raisi said. \u201CWe will go on until the end,\u201D he added.", "Raisi"));
        // Putin named in between: "he" may be Putin.
        Assert.Equal([("the talks were useful", "Raisi")],
            SaidAndContinued("Raisi said the talks were useful. Putin arrived later in the day. \u201CWe will respond,\u201D he said.", "Raisi", "Putin"));
        // A person named inside the quotation does not speak.
        Assert.Equal([("the talks were useful", "Raisi"), ("Putin agrees with us on this", "he")],
            SaidAndContinued("Raisi said the talks were useful. \u201CPutin agrees with us on this,\u201D he said.", "Raisi", "Putin"));
        // One sentence without an attribution may stand between; two end the chain.
        Assert.Equal([("the talks were useful", "Raisi"), ("more talks would follow", "He")],
            SaidAndContinued("Raisi said the talks were useful. The meeting lasted two hours. He added that more talks would follow. "
                + "The delegations left for lunch. Officials cleared the hall. He said the weather was fine.", "Raisi"));
        // "she said" after a quotation inside which "he" speaks.
        Assert.Equal([("the talks were useful", "Merkel"), ("He did what he could for the deal", "she")],
            SaidAndContinued("Merkel said the talks were useful. \u201CHe did what he could for the deal,\u201D she said.", "Merkel"));
    }

    [Fact]
    public void The_company_said_goes_on_with_the_last_organisation_until_another_is_named()
    {
        Assert.Equal([("it signed a venture with a Yugoslav maker", "Chronar Corp"), ("the plant would open in Split next year", "The company"), ("Output will start at one megawatt", "it")],
            SaidAndContinued("Chronar Corp said it signed a venture with a Yugoslav maker. The company said the plant would open in Split next year. "
                + "Output will start at one megawatt, it said.", "Chronar Corp", organisation: true));
        // Boeing named in between: "the company" may be Boeing.
        Assert.Equal([("it signed a venture with a Yugoslav maker", "Chronar Corp")],
            SaidAndContinued("Chronar Corp said it signed a venture with a Yugoslav maker. Boeing Co said it had no such plans. "
                + "The company said the plant would open in Split next year.", "Chronar Corp", organisation: true, "Boeing Co"));
    }

    [Fact]
    public void A_line_too_long_to_be_a_sentence_says_nothing_and_the_next_line_is_read()
    {
        var table = "Raisi said " + string.Join(" ", Enumerable.Repeat("12.5 \u201C13.1\u201D 14.2", 300));
        Assert.Equal([("the talks were useful for both sides", "said", false)], Said(table + "\nRaisi said the talks were useful for both sides.", "Raisi"));
    }

    [Fact]
    public void Sentences_are_not_split_inside_a_quotation_nor_after_a_title_or_an_initial()
    {
        const string Text = "Mr. J. Smith arrived. \u201CWe stay. We fight,\u201D he said. The U.S. envoy left.\nA new line";
        var sentences = StatementFinder.Sentences(Text).Select(s => Text[s.Start..s.End]).ToList();
        Assert.Equal(["Mr. J. Smith arrived.", "\u201CWe stay. We fight,\u201D he said.", "The U.S. envoy left.", "A new line"], sentences);
    }
}
