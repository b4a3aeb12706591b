using Dashboard.Web.Extraction;
using Dashboard.Web.Model;

namespace Dashboard.Tests.Extraction;

/// <summary>Words that look like places or people but are not, and the reverse.</summary>
public sealed class TrapTests
{
    private static readonly ArticleExtractor Extractor = new();

    private static List<(string Kind, string Key, string Surface)> Find(string text, string? title = null) =>
        [.. Extractor.Extract(title, text).Mentions.Select(m => (m.Kind.ToString(), m.Key, (m.Field == "title" ? title! : text)[m.Start..m.End]))];

    [Theory]
    [InlineData("Nice to meet you. It was a nice day and reading was fun.")]
    [InlineData("We ate turkey and then some more turkey at the dinner.")]
    [InlineData("Let us know what they told us about it.")]
    [InlineData("Mobile phones split the vote on that date. Split decisions are common.")]
    public void Common_words_are_not_countries(string text)
    {
        Assert.DoesNotContain(Find(text), m => m.Kind == "Country");
    }

    [Theory]
    [InlineData("It signed licensing agreements with Merck and Co Inc, the drug maker said.")]
    [InlineData("The offering was led by Morgan Stanley and Co Inc. Shares rose.")]
    [InlineData("Kidder, Peabody and Co said it retained D.F. King and Co to work on the bid.")]
    public void A_legal_form_cut_off_its_name_by_and_is_no_organisation(string text)
    {
        // Newswire names like "Merck and Co Inc" are broken by their "and": the tail alone is no name.
        Assert.DoesNotContain(Find(text), m => m.Kind == "Organization" && m.Surface is "Co Inc" or "Co" or "Inc");
    }

    [Fact]
    public void A_legal_form_ends_a_company_name_and_the_generic_tail_of_a_known_one_is_no_other_organisation()
    {
        var found = Find("Committee vice-chairmen Morgan Guaranty Trust Co and Lloyds Bank Plc told the banks. It obtained a credit line from Lloyds Bank PLC and Citicorp.");

        // "Lloyds" is the bank; "Bank Plc" after it is the rest of its name, not a second bank, and "and" joins no two companies.
        Assert.Equal(2, found.Count(m => m is ("Organization", "lloyds-banking-group", _)));
        Assert.DoesNotContain(found, m => m.Kind == "Organization" && (m.Surface.StartsWith("Bank", StringComparison.Ordinal) || m.Surface.Contains(" and ")));
        Assert.Contains(found, m => m is ("Organization", _, "Morgan Guaranty Trust Co"));
    }

    [Theory]
    [InlineData("The plant at Shoreham, Long Island, N.Y., and Seabrook, N.H., had been refused.")]
    [InlineData("It will build the plant in Chester, N.Y. The facility opens in May, then one in Newark, N.J., and one in Sacramento, Calif.")]
    public void A_us_state_abbreviated_in_a_dateline_is_the_united_states_not_a_person(string text)
    {
        var found = Find(text);

        Assert.DoesNotContain(found, m => m.Kind == "Person");
        Assert.Contains(found, m => m.Kind == "Country" && m.Key == "US" && m.Surface.StartsWith("N.", StringComparison.Ordinal));
    }

    [Fact]
    public void In_an_archive_a_lone_surname_or_a_role_is_not_todays_office_holder()
    {
        const string Text = "Harris said the bank would lend more. The U.S. president met Sen. Robert Dole, and Costa spoke for Brazil.";
        static List<string> People(DateOnly? published) =>
            [.. Extractor.Extract(null, Text, published).Mentions.Where(m => m.Kind == EntityKind.Person).Select(m => m.Key)];

        // Reuters in 1987: no Kamala Harris, no Antonio Costa, no president of our time; "Sen." is no Hun Sen in any year.
        var archive = People(new DateOnly(1987, 3, 2));
        Assert.DoesNotContain("kamala-harris", archive);
        Assert.DoesNotContain("antonio-costa", archive);
        Assert.DoesNotContain("hun-sen", archive);
        Assert.Contains("robert-dole", archive);
        Assert.Contains("kamala-harris", People(new DateOnly(2024, 6, 1)));
        Assert.Contains("kamala-harris", People(null));
        // Named in full, she is herself in any year.
        Assert.Contains(Extractor.Extract(null, "Kamala Harris spoke. Harris said more.", new DateOnly(1990, 1, 1)).Mentions, m => m.Key == "kamala-harris");
    }

    [Theory]
    [InlineData("Treasury Secretary James Baker said the dollar was stable.", "james-baker")]
    [InlineData("Federal Reserve Board Chairman Paul Volcker testified.", "paul-volcker")]
    [InlineData("Commerce Secretary Malcolm Baldrige visited Tokyo.", "malcolm-baldrige")]
    public void A_department_before_a_title_is_not_part_of_the_name(string text, string key)
    {
        Assert.Equal(key, Assert.Single(Find(text), m => m.Kind == "Person").Key);
    }

    [Theory]
    [InlineData("Yi said the talks went well, and Sen added nothing.")]
    [InlineData("Qiang and Loong were not there.")]
    public void A_given_name_that_follows_the_family_name_is_nobody_alone(string text)
    {
        // "Wang Yi", "Hun Sen", "Li Qiang", "Lee Hsien Loong": their family names come first.
        Assert.DoesNotContain(Find(text), m => m.Key is "wang-yi" or "hun-sen" or "li-qiang" or "lee-hsien-loong");
    }

    [Fact]
    public void Wire_copy_amounts_and_abbreviations_are_not_people_and_an_and_inside_a_company_name_holds()
    {
        var found = Find("It paid 40 mln N.Z. Dlrs and 3 H.K. Dlrs to Citibank N.A and Banco S.A, U.S officials said. "
            + "Shares of American Telephone and Telegraph Co rose, and the Savings and Loan Association agreed. Ferdinand Marcos fled.", null);

        Assert.DoesNotContain(found, m => m.Kind == "Person" && m.Key != "ferdinand-marcos");
        // The father in 1987, not the son of today's people list.
        Assert.DoesNotContain(found, m => m.Key == "ferdinand-marcos-jr");
        Assert.Contains(found, m => m is ("Organization", _, "American Telephone and Telegraph Co"));
        Assert.Contains(found, m => m is ("Organization", _, "Savings and Loan Association"));
        Assert.DoesNotContain(found, m => m.Surface is "Telegraph Co" or "Loan Association");
    }

    [Fact]
    public void A_town_inside_a_company_name_is_part_of_it_and_and_or_of_still_end_a_name_before_a_town()
    {
        var found = Find("Analysts at First Boston Corp and First Chicago Corp said so, and in Boston prices rose. "
            + "The Chicago Board of Trade and Texas Instruments Inc reported.");

        Assert.Contains(found, m => m is ("Organization", _, "First Boston Corp"));
        Assert.Contains(found, m => m is ("Organization", _, "First Chicago Corp"));
        Assert.Contains(found, m => m is ("Organization", _, "Chicago Board of Trade"));
        Assert.Contains(found, m => m is ("Organization", _, "Texas Instruments Inc"));
        Assert.DoesNotContain(found, m => m.Surface is "Boston Corp" or "Chicago Corp" || m.Surface.Contains(" and Texas", StringComparison.Ordinal));
        // Boston alone is still the city.
        Assert.Contains(found, m => m is ("Country", "US", "Boston"));
    }

    [Theory]
    [InlineData("Reading room reopens", "Reading rooms across the town have new lamps.")]
    [InlineData("Best of the week", "Start the day early: Seat belts and a Nice view wait on the coast road.")]
    public void Ordinary_words_that_name_clubs_in_results_tables_are_not_organisations(string title, string text)
    {
        Assert.DoesNotContain(Find(text, title), m => m.Kind == "Organization");
    }

    [Theory]
    [InlineData("Cruise line announces wearable tech", "This gadget could make your time on board so much easier.")]
    [InlineData("Bill targeting H1-B visas reintroduced in US", "Will it pass? Mark the date: the vote is on Friday.")]
    [InlineData("Streaming service launches", "It carries new shows. \"Will it have The Walking Dead?\" Potentially.")]
    [InlineData("Telecoms rules", "A new Bill would require telecoms firms to act. The policy was called \"Don't ask, don't tell\".")]
    public void Ordinary_words_that_open_a_headline_or_a_sentence_are_not_people(string title, string text)
    {
        Assert.DoesNotContain(Find(text, title), m => m.Kind == "Person");
    }

    [Fact]
    public void The_same_words_are_people_where_the_article_names_them_or_a_capital_means_something()
    {
        var found = Find("Cruise arrived on Monday. Later, Cruise said he liked it. Fans met Grant and Will at the door.", "Tom Cruise films in Rome");
        Assert.Equal(3, found.Count(m => m is ("Person", "tom-cruise", _)));
        // Mid-sentence a learnt name word keeps its capital's meaning, as in CoNLL's sports pages.
        Assert.Contains(found, m => m is ("Person", _, "Grant"));
        Assert.Contains(found, m => m is ("Person", _, "Will"));
    }

    [Fact]
    public void The_nations_and_counties_of_Britain_are_the_United_Kingdom_not_namesakes_or_cricket_clubs()
    {
        var found = Find("Heavy rain fell in Wales, Scotland and Cornwall on Monday, and roads in Kent and Yorkshire were closed. Scottish ministers met.");

        Assert.Equal(["Cornwall", "Kent", "Scotland", "Scottish", "Wales", "Yorkshire"], found.Where(m => m.Key == "GB").Select(m => m.Surface).Order());
        // Cornwall, Ontario is the smaller namesake; the learnt cricket clubs of CoNLL's 1996 sports pages are places now.
        Assert.DoesNotContain(found, m => m.Key == "CA" || m.Kind == "Organization");
        Assert.Contains(("Country", "IE", "Cork"), Find("Flights from Cork were cancelled after the storm."));
        // A place where people speak is no speaker ("Lawson said" is).
        Assert.Contains(("Country", "GB", "Kent"), Find("Officers in Kent warned drivers about the ice."));
        // Counties without a cricket club too, the American namesakes of some (Suffolk and Cheshire) aside.
        var counties = Find("Flooding in Lincolnshire and Norfolk closed roads; rivers rose in Cheshire, Suffolk and North Yorkshire, and in Powys.");
        Assert.Equal(["Cheshire", "Lincolnshire", "Norfolk", "North Yorkshire", "Powys", "Suffolk"], counties.Where(m => m.Key == "GB").Select(m => m.Surface).Order());
        // Surrey is English unless the article places it in Canada.
        Assert.Contains(("Country", "GB", "Surrey"), Find("Storms closed roads in Kent and Surrey on Sunday."));
        Assert.Contains(("Country", "CA", "Surrey"), Find("Police in Surrey, British Columbia, arrested two men in Vancouver."));
    }

    [Fact]
    public void Two_towns_joined_by_a_hyphen_are_a_route_between_two_places_not_a_name()
    {
        var found = Find("Aer Lingus launches a new Cork-Cornwall route. The Leeds-Bradford line reopens on Monday.");

        Assert.Contains(("Country", "IE", "Cork"), found);
        Assert.Contains(("Country", "GB", "Cornwall"), found);
        // A town joined to a word that is no place is still part of a name.
        Assert.DoesNotContain(Find("Kelsey-Hayes shares rose on Monday."), m => m.Kind == "Country");
    }

    [Fact]
    public void A_county_is_its_cricket_club_in_a_sports_article_and_a_place_elsewhere()
    {
        var storm = Find("Flooding in Gloucestershire closed roads, and rivers rose in Somerset, Hampshire and Durham.", "Storm");
        Assert.Equal(["Durham", "Gloucestershire", "Hampshire", "Somerset"], storm.Where(m => m.Key == "GB").Select(m => m.Surface).Order());
        Assert.DoesNotContain(storm, m => m.Kind == "Organization");

        var cricket = Find("Surrey captain Chris Lewis made 80 not out as Surrey closed on 429 for seven against Warwickshire in the county " +
            "championship. Kent beat Sussex by an innings and 39 runs.", "County cricket");
        Assert.Equal(["Kent", "Surrey", "Surrey", "Sussex", "Warwickshire"], cricket.Where(m => m.Kind == "Organization").Select(m => m.Surface).Order());
        Assert.DoesNotContain(cricket, m => m.Kind == "Country");
    }

    [Fact]
    public void A_town_inside_a_name_that_an_organisation_word_ends_is_part_of_the_organisation()
    {
        var found = Find("The study is published in the New England Journal of Medicine, the New York Times reported.");

        Assert.Contains(("Organization", "new-england-journal", "New England Journal"), found);
        Assert.Contains(("Organization", "new-york-times", "New York Times"), found);
        Assert.DoesNotContain(found, m => m.Kind == "Country");
    }

    [Theory]
    [InlineData("When Warner Brothers wanted a way to promote the film, they called.", "Warner Brothers")]
    [InlineData("Both bear the Arduino name: Arduino LLC and Arduino SRL.", "Arduino SRL")]
    [InlineData("He flew from Kennedy Airport on Monday.", "Kennedy Airport")]
    [InlineData("Bosch GmbH agreed to the deal.", "Bosch GmbH")]
    public void A_first_name_before_a_company_or_an_airport_word_is_an_organisation(string text, string name)
    {
        var found = Find(text);

        Assert.Contains(found, m => m.Kind == "Organization" && m.Surface == name);
        Assert.DoesNotContain(found, m => m.Kind == "Person");
    }

    [Fact]
    public void A_famous_surname_after_another_given_name_is_somebody_else_and_a_lone_surname_is_the_bearer_named_last()
    {
        var found = Find("The jury includes writer Joanne Harris. Harris said it was hard. Vice President Kamala Harris spoke. Harris left later.", "Harris wins prize");

        Assert.Equal(["joanne-harris", "joanne-harris", "joanne-harris", "kamala-harris", "kamala-harris"], found.Where(m => m.Kind == "Person").Select(m => m.Key));
    }

    [Fact]
    public void An_occupation_opening_a_sentence_is_no_part_of_the_name_after_it()
    {
        var found = Find("Writer Joanne Harris met Vice President Kamala Harris. Actor Hugh Grant left. \"I just thank God,\" he said.");

        Assert.Equal(["joanne-harris", "kamala-harris", "hugh-grant"], found.Where(m => m.Kind == "Person").Select(m => m.Key));
    }

    [Theory]
    [InlineData("Henman decided to retire from Davis Cup tennis.", "Davis Cup")]
    [InlineData("Liverpool meet Chelsea in the Carling Cup final.", "Carling Cup")]
    [InlineData("Channel 4 will air documentaries such as The Leonard Cohen Story.", "Leonard Cohen Story")]
    [InlineData("The parties will set out their plans closer to the General Election.", "Election")]
    [InlineData("An ecstatic Ellis Park crowd cheered the Springboks.", "Ellis Park")]
    [InlineData("The head of the Roman Catholic archdiocese spoke on Friday.", "Roman Catholic")]
    [InlineData("Taxi drivers marched outside Charles de Gaulle airport north of Paris.", "Charles de Gaulle")]
    public void A_competition_a_venue_a_faith_or_a_thing_named_after_someone_is_nobody(string text, string name)
    {
        Assert.DoesNotContain(Find(text), m => m.Kind == "Person" && m.Surface == name);
    }

    [Theory]
    [InlineData("Nokia launched a phone and Hitachi a television.")]
    [InlineData("Youssou N'Dour wins a music prize; Batman v Superman opened.")]
    [InlineData("Subs: Weir, Hyde, Morley, Hayes.")]
    public void Companies_people_and_words_that_share_a_towns_name_are_no_place(string text)
    {
        Assert.DoesNotContain(Find(text), m => m.Kind == "Country");
    }

    [Fact]
    public void British_names_for_Britain_are_the_United_Kingdom()
    {
        var found = Find("Newcastle beat Bolton 2-1. Ministers are unhappy about plans to use Whitehall cash.", "Brits return Keane to number one");

        Assert.Equal(["Bolton", "Brits", "Newcastle", "Whitehall"], found.Where(m => m.Key == "GB").Select(m => m.Surface).Order());
        Assert.DoesNotContain(found, m => m.Kind == "Country" && m.Key != "GB");
    }

    [Fact]
    public void In_another_language_articles_and_prepositions_are_no_people_but_given_names_and_surnames_still_are()
    {
        var found = Find("La portavoz del Govern, Neus Munté, ha instado a los comunes a no rehuir su compromiso. Munté ha sido tajante " +
            "al reiterar que el Govern de la Generalitat no se moverá. El Ayuntamiento de Barcelona y la Zona Franca lo han pedido " +
            "también, según ha explicado el secretario general, que añade que esto no significa que el Govern cambie de opinión.",
            "El Govern insta los comunes a no rehuir su compromiso");

        Assert.Equal(["neus-munte", "neus-munte"], found.Where(m => m.Kind is "Person" or "Organization").Select(m => m.Key));
        Assert.DoesNotContain(Find("Das ist anstrengend. Und sehr lehrreich, sagt sie, und das Jahr war für die Firma und für die " +
            "Kunden nicht einfach, aber die Ergebnisse sind da. Das Ziel ist klar, und die Arbeit geht weiter, auch im Dezember."),
            m => m.Kind == "Person");
    }

    [Fact]
    public void A_given_name_that_is_also_a_word_opens_a_name_mid_sentence_but_not_a_question()
    {
        var found = Find("R&B singer Mark Morrison was stopped by the court. Morrison said he would appeal. England are without " +
            "Jonny Wilkinson, Will Greenwood and Mike Tindall.");

        Assert.Equal(["mark-morrison", "mark-morrison"], found.Where(m => m.Surface.Contains("Morrison", StringComparison.Ordinal)).Select(m => m.Key));
        Assert.Contains(("Person", "will-greenwood", "Will Greenwood"), found);
        Assert.DoesNotContain(found, m => m.Key is "scott-morrison" || m.Kind == "Country" && m.Surface == "Greenwood");
        // A question or a headline's capitals: the modal verb, and the famous bearer of the surname.
        var asked = Find("Will Johnson resign? Nobody knows.", "What Will Trump's Divided Administration Do About It?");
        Assert.DoesNotContain(asked, m => m.Surface.StartsWith("Will", StringComparison.Ordinal));
        Assert.Contains(asked, m => m.Key == "donald-trump");
    }

    [Fact]
    public void Companies_named_like_people_are_companies_and_people_named_like_companies_are_people()
    {
        var found = Find("Analysts at Morgan Stanley said Mercedes-Benz and Marks & Spencer would gain. Walt Disney has settled " +
            "charges with the regulator. Former director Roy Disney quit, and singer Fiona Apple and Sir Bobby Charlton spoke.");

        Assert.Equal(["Bobby Charlton", "Fiona Apple", "Roy Disney"], found.Where(m => m.Kind == "Person").Select(m => m.Surface).Order());
        Assert.Equal(["Disney", "Marks & Spencer", "Mercedes-Benz", "Morgan Stanley"],
            found.Where(m => m.Kind == "Organization").Select(m => m.Surface).Order());
    }

    [Fact]
    public void Of_after_an_organisation_word_carries_its_name_on_but_a_run_never_ends_on_of_the()
    {
        var found = Find("The case went to the European Court of Human Rights. The Motion Picture Association of America sued. " +
            "The International Federation of the Red Cross helped. The Archbishop of Canterbury spoke at the Royal Academy of Arts. " +
            "The National Institute of Economic and Social Research agreed.");

        Assert.Equal(["European Court of Human Rights", "International Federation", "Motion Picture Association of America",
            "National Institute of Economic and Social Research", "Royal Academy of Arts"],
            found.Where(m => m.Kind == "Organization" && !m.Surface.Contains("Red Cross", StringComparison.Ordinal)).Select(m => m.Surface).Order());
    }

    [Theory]
    [InlineData("Prime Minister <Han Duck-soo> said the budget would pass.")]
    [InlineData("<Park Geun-hye> was impeached in 2017.")]
    [InlineData("Former President <Park Geun-hye> was impeached in 2017.")]
    [InlineData("The court said <Park Chung-hee> ruled for 18 years.")]
    [InlineData("Finance minister <Choo Kyung-ho> briefed reporters.")]
    public void A_romanised_given_name_of_two_syllables_is_read_whole(string marked)
    {
        // The name the sentence marks with angle brackets, and the sentence without them.
        var surface = marked[(marked.IndexOf('<') + 1)..marked.IndexOf('>')];
        var text = marked.Replace("<", "").Replace(">", "");

        Assert.Contains(Find(text), m => m.Kind == "Person" && m.Surface == surface);
    }

    [Theory]
    [InlineData("The Saudi-led coalition struck again, and Islamic State-run media said so.")]
    [InlineData("A Kremlin-backed group and a Hamas-run ministry gave figures; a Trump-appointed judge ruled.")]
    [InlineData("Prime Minister Boris Johnson-led talks ended. Mark Smith-born players and New York-based firms joined.")]
    public void English_words_after_a_hyphen_join_no_name(string text)
    {
        Assert.DoesNotContain(Find(text), m => m.Kind == "Person" && m.Surface.Contains('-'));
    }

    [Theory]
    [InlineData("soo", true)]
    [InlineData("hye", true)]
    [InlineData("myung", true)]
    [InlineData("yeol", true)]
    [InlineData("wen", true)]
    [InlineData("shek", true)]
    [InlineData("led", false)]
    [InlineData("backed", false)]
    [InlineData("run", false)]
    [InlineData("based", false)]
    [InlineData("born", false)]
    [InlineData("style", false)]
    public void Given_name_syllables_are_told_from_english_words(string word, bool syllable)
    {
        Assert.Equal(syllable, ActorRecognizer.IsGivenNameSyllable(word));
    }

    [Fact]
    public void An_airline_named_after_a_place_is_the_airline_not_the_place()
    {
        var found = Find("Air France unions protest. Passengers of Air India were stranded, and Air New Zealand cancelled flights. " +
            "The Air Force flew supplies to France.", "Air Berlin strike");

        Assert.Equal(["Air Berlin", "Air France", "Air India", "Air New Zealand"], found.Where(m => m.Kind == "Organization").Select(m => m.Surface).Order());
        Assert.Equal([("Country", "FR", "France")], found.Where(m => m.Kind == "Country"));
    }

    [Fact]
    public void A_broadcaster_or_a_league_is_an_organisation_and_its_founders_name_a_person()
    {
        var found = Find("Michael Bloomberg spoke to CNN and Fox News. Bloomberg reported that the NFL would talk.", "Blair Labour's longest-serving PM");

        Assert.Equal([("Person", "michael-bloomberg", "Michael Bloomberg")], found.Where(m => m.Kind == "Person"));
        Assert.Equal(["bloomberg", "cnn", "fox-news", "labour-party", "national-football-league"],
            found.Where(m => m.Kind == "Organization").Select(m => m.Key).Order());
    }

    [Theory]
    [InlineData("Peace in Chechnya needs more work, the general said.", "RU")]
    [InlineData("Tourists return to Sicily as the summer begins.", "IT")]
    [InlineData("Tourists return to Majorca and Catalonia as the summer begins.", "ES")]
    [InlineData("Aid reaches Darfur after months of fighting.", "SD")]
    [InlineData("Self-rule for the Afrikaners was debated.", "ZA")]
    public void Provinces_and_islands_that_news_names_for_their_country_place_it(string text, string country)
    {
        var found = Find(text);

        Assert.Contains(found, m => m.Kind == "Country");
        Assert.All(found.Where(m => m.Kind == "Country"), m => Assert.Equal(country, m.Key));
        Assert.DoesNotContain(found, m => m.Kind == "Person");
    }

    [Fact]
    public void Surnames_that_are_also_venue_words_stay_people()
    {
        Assert.Equal(["damon-hill", "wayne-bridge"],
            Find("Wayne Bridge and Damon Hill were there.").Where(m => m.Kind == "Person").Select(m => m.Key).Order());
    }

    [Fact]
    public void In_another_language_its_function_words_are_no_places()
    {
        const string Spanish = "Como dijo el ministro ayer, el Gobierno no tiene prisa. Para los analistas, es una buena noticia para el " +
            "país. Como se esperaba, el presupuesto fue aprobado por el Congreso de Madrid. Para el presidente del Gobierno, Pedro " +
            "Sánchez, es un paso adelante. Como en años anteriores, el debate fue largo y los socios votaron a favor.";

        var found = Find(Spanish, "El Gobierno aprueba el presupuesto");

        Assert.DoesNotContain(found, m => m.Kind == "Country" && m.Key is "IT" or "BR");
        Assert.Contains(("Country", "ES", "Madrid"), found);
        Assert.Contains(found, m => m.Key == "pedro-sanchez");
        // In English the same word is the place.
        Assert.Contains(("Country", "IT", "Como"), Find("The silk factory in Como will close. Buyers flock to Como every spring."));
    }

    [Fact]
    public void A_town_before_a_country_it_is_not_in_is_a_list_not_an_address()
    {
        var found = Find("The musical goes on tour, with road shows in Toronto, South Korea and Madrid.");

        Assert.Contains(("Country", "CA", "Toronto"), found);
        Assert.Contains(("Country", "KR", "South Korea"), found);
        // An address keeps its country: "Perth, Scotland" is the Scottish Perth, not the Australian one.
        Assert.Contains(("Country", "GB", "Perth"), Find("The conference was held in Perth, Scotland, on Monday."));
    }

    [Fact]
    public void A_name_the_article_calls_a_company_is_the_company_wherever_it_appears()
    {
        var found = Find("Ford, the US car company, reported higher profits. In the fourth quarter alone Ford reported net income of $104m. " +
            "Varig, Brazil's biggest airline, asked for help. However, the company said it would recover.", "Ford gains from finance not cars");

        Assert.Equal(["ford", "ford", "ford", "varig"], found.Where(m => m.Kind == "Organization").Select(m => m.Key));
        Assert.DoesNotContain(found, m => m.Kind == "Person");
        // Not a person the apposition describes by a role: "an analyst at the bank", "the company's chairman".
        Assert.Contains(Find("Birgit Kuhlhoff, an analyst at the bank, said it was cheap. John Smith, the company's chairman, agreed."),
            m => m is ("Person", "birgit-kuhlhoff", _));
        // One word of the company's name stands for it too, never for the person the lexicon knows by it.
        var disney = Find("Walt Disney, the media company, has settled charges. Disney failed to tell investors.", "Disney settles charges");
        Assert.Equal(["walt-disney-company", "walt-disney-company", "walt-disney-company"], disney.Where(m => m.Kind == "Organization").Select(m => m.Key));
        Assert.DoesNotContain(disney, m => m.Kind == "Person");
    }

    [Fact]
    public void A_town_after_a_title_and_a_given_name_is_a_surname()
    {
        var found = Find("Chancellor Gerhard Schroeder spoke in Berlin on Monday.");

        Assert.Contains(("Person", "gerhard-schroeder", "Gerhard Schroeder"), found);
        Assert.DoesNotContain(found, m => m.Key == "BR");
    }

    [Fact]
    public void A_name_right_after_a_company_or_team_noun_is_the_company_or_team()
    {
        var found = Find("US insurer Marsh cuts 2,500 jobs. Italian tyre giant Pirelli and first division team Deportivo Coruna agreed. " +
            "Marsh said the cuts were needed.");

        Assert.Equal(["marsh", "pirelli", "deportivo-coruna", "marsh"], found.Where(m => m.Kind == "Organization").Select(m => m.Key));
        Assert.DoesNotContain(found, m => m.Kind == "Person");
        // A maker of films and a rugby position are no companies.
        var people = Find("Documentary maker Michael Cockerell was given access, and open-side Martyn Williams is fit to start.");
        Assert.Equal(["michael-cockerell", "martyn-williams"], people.Where(m => m.Kind == "Person").Select(m => m.Key));
    }

    [Fact]
    public void A_route_between_two_places_is_not_a_person()
    {
        var found = Find("Aer Lingus Regional is to launch a new service to Newquay in Cornwall.", "Aer Lingus launches new Cork-Cornwall route");

        Assert.DoesNotContain(found, m => m.Kind == "Person");
        // Both ends of the route are places: Cork in Ireland, Cornwall in the United Kingdom.
        Assert.Equal(["GB", "IE"], found.Where(m => m.Kind == "Country").Select(m => m.Key).Distinct().Order());
    }

    [Fact]
    public void Capitalised_country_names_and_acronyms_are()
    {
        var found = Find("Turkey and the US signed a deal, the U.S. envoy said, while Nice hosted talks on Gaza Strip.");
        Assert.Contains(("Country", "TR", "Turkey"), found);
        Assert.Contains(("Country", "US", "US"), found);
        Assert.Contains(("Country", "US", "U.S."), found);
        Assert.Contains(("Country", "PS", "Gaza Strip"), found);
        Assert.DoesNotContain(found, m => m.Surface == "Gaza");
    }

    [Theory]
    [InlineData("Wheat sold at 120 U.S. dlrs a tonne and the bond pays in Swiss francs.")]
    [InlineData("Tankers in the Persian Gulf and rigs in the Gulf of Mexico were idle.")]
    public void Currencies_and_seas_named_after_a_country_are_not_mentions(string text)
    {
        Assert.DoesNotContain(Find(text), m => m.Kind == "Country");
    }

    [Fact]
    public void Currency_words_leave_the_country_itself_counted()
    {
        var found = Find("The Swiss franc rose after Switzerland cut rates.");
        Assert.Equal([("Country", "CH", "Switzerland")], found);
    }

    [Theory]
    [InlineData("GREENWICH, Conn., March 3 - The company said sales rose.", "GREENWICH")]
    [InlineData("The plant in Birmingham, Ala., will close.", "Birmingham")]
    public void A_city_followed_by_a_us_state_is_american(string text, string city)
    {
        Assert.Contains(("Country", "US", city), Find(text));
    }

    [Fact]
    public void Longest_name_wins()
    {
        var found = Find("The United States and the United Kingdom met in the Kremlin and the White House.");
        Assert.Equal([("Country", "US", "United States"), ("Country", "GB", "United Kingdom"), ("Country", "RU", "Kremlin"), ("Country", "US", "White House")], found);
    }

    [Fact]
    public void Jordan_the_person_is_not_the_country()
    {
        var found = Find("Jordan Peterson spoke in Toronto. Michael Jordan played basketball. Jordan said talks in Amman went well.");
        Assert.DoesNotContain(found, m => m.Surface.StartsWith("Jordan Peterson", StringComparison.Ordinal) && m.Kind == "Country");
        Assert.Contains(("Person", "jordan-peterson", "Jordan Peterson"), found);
        Assert.Contains(("Person", "michael-jordan", "Michael Jordan"), found);
        Assert.Contains(("Country", "JO", "Jordan"), found);
        Assert.Contains(("Country", "JO", "Amman"), found);
    }

    [Fact]
    public void Georgia_the_us_state_is_not_the_country()
    {
        Assert.DoesNotContain(Find("Voters in Atlanta, Georgia, backed the Republican governor."), m => m.Key == "GE");
        Assert.Contains(("Country", "GE", "Georgia"), Find("Georgia and Armenia held talks in Tbilisi."));
    }

    [Fact]
    public void Georgia_the_us_state_counts_for_the_united_states()
    {
        Assert.Contains(("Country", "US", "Georgia"), Find("Voters in Atlanta, Georgia, backed the Republican governor."));
    }

    [Fact]
    public void Washington_after_a_given_name_or_title_is_a_person()
    {
        var found = Find("Denzel Washington said the film was good. Washington imposed sanctions.");
        Assert.Contains(("Person", "denzel-washington", "Denzel Washington"), found);
        Assert.Single(found, m => m.Kind == "Country" && m.Key == "US");
        Assert.Equal([("Person", "washington", "Washington")], Find("President Washington crossed the river."));
    }

    [Fact]
    public void Names_stop_at_line_breaks_and_capitalised_lines_are_not_names()
    {
        var found = Find("TALKS OPEN IN GENEVA AS ENVOYS MEET\nJane Fowler\nGENEVA 2024-06-01\nS. Waugh and Keith O'Neill said the Central Bank of Iran agreed.");
        Assert.Contains(("Person", "jane-fowler", "Jane Fowler"), found);
        Assert.Contains(("Person", "s-waugh", "S. Waugh"), found);
        Assert.Contains(("Person", "keith-oneill", "Keith O'Neill"), found);
        Assert.Contains(("Organization", "central-bank-of-iran", "Central Bank of Iran"), found);
        Assert.Contains(("Country", "IR", "Iran"), found);
        Assert.DoesNotContain(found, m => m.Kind is "Person" or "Organization" && m.Surface.Contains('\n', StringComparison.Ordinal));
    }

    [Fact]
    public void A_country_is_never_a_person()
    {
        var found = Find("President Iran said nothing. Israel said the talks would go on.");
        Assert.DoesNotContain(found, m => m.Kind == "Person");
    }

    [Fact]
    public void Accents_are_folded()
    {
        Assert.Contains(("Country", "PS", "Rafaḩ"), Find("Strikes hit Rafaḩ overnight."));
        Assert.Contains(("Country", "CI", "Côte d'Ivoire"), Find("Côte d'Ivoire won."));
    }

    [Fact]
    public void People_found_by_title_first_name_and_speech()
    {
        var found = Find("Prime Minister Kwame Mensah met Sheikh Abdullah. Later Carlos Ferreira said the plan was sound. Mensah agreed.");
        Assert.Contains(("Person", "kwame-mensah", "Kwame Mensah"), found);
        Assert.Contains(("Person", "kwame-mensah", "Mensah"), found);
        Assert.Contains(("Person", "carlos-ferreira", "Carlos Ferreira"), found);
        Assert.Contains(("Person", "abdullah", "Abdullah"), found);
    }

    [Fact]
    public void Organisations_from_patterns_and_defined_acronyms()
    {
        var found = Find("The Ministry of Foreign Affairs and the Algerian Foreign Ministry welcomed the Islamic Development Bank (IsDB). IsDB will pay.");
        Assert.Contains(("Organization", "ministry-of-foreign-affairs", "Ministry of Foreign Affairs"), found);
        Assert.Contains(("Organization", "algerian-foreign-ministry", "Algerian Foreign Ministry"), found);
        Assert.Contains(("Country", "DZ", "Algerian"), found);
        Assert.Equal(3, found.Count(m => m.Key == "islamic-development-bank"));
    }

    [Fact]
    public void Title_mentions_say_so()
    {
        var result = Extractor.Extract("Iran and Algeria meet", "Talks were held.");
        Assert.Equal(["IR", "DZ"], result.Mentions.Where(m => m.Field == "title").Select(m => m.Key));
        Assert.Equal(["IR", "DZ"], result.Focus.Order(StringComparer.Ordinal).Reverse());
    }

    [Fact]
    public void Sport_pages_are_not_armed_conflict()
    {
        var text = "Arsenal striker Bukayo Saka scored twice as the Gunners beat Chelsea 3-1 in the Premier League on Saturday. "
            + "The midfielder attacked down the wing all match and the defence was killed on the counter, the coach said after the win. "
            + "Fans in the stadium celebrated the victory, which lifts the team to second place in the league table this season.";
        var topics = Extractor.Extract("Saka double sinks Chelsea", text).Topics.Select(t => t.Key).ToList();
        Assert.Equal("sport", topics.First());
        Assert.DoesNotContain("armed-conflict", topics);
    }

    [Fact]
    public void Taxonomy_is_exposed_with_parents()
    {
        var topics = Extractor.Taxonomy.Topics;
        Assert.Contains(topics, t => t is { Key: "armed-conflict", Name: "Armed conflict", Parent: null });
        Assert.Contains(topics, t => t is { Key: "ceasefire", Parent: "armed-conflict" });
        Assert.All(topics.Where(t => t.Parent is not null), t => Assert.Contains(topics, p => p.Key == t.Parent));
    }

    [Theory]
    [InlineData("Shares of Credit Suisse and Nippon Steel Corp rose in Zurich trading.", "Suisse")]
    [InlineData("Shares of Credit Suisse and Nippon Steel Corp rose in Zurich trading.", "Nippon")]
    [InlineData("American Express Co and Swiss Bank Corporation agreed the terms.", "American")]
    [InlineData("American Express Co and Swiss Bank Corporation agreed the terms.", "Swiss")]
    public void A_country_word_in_a_company_name_is_not_a_mention(string text, string word)
    {
        Assert.DoesNotContain(Find(text), m => m.Kind == "Country" && m.Surface == word);
    }

    [Fact]
    public void A_government_body_keeps_its_country()
    {
        Assert.Contains(("Country", "IR", "Iranian"), Find("The Iranian Foreign Ministry said talks would go on."));
    }

    [Theory]
    [InlineData("Buyers took 20,000 tonnes of South American soyoil.")]
    [InlineData("The bank lends across Latin America and North America.")]
    [InlineData("WORLD BANK SAYS S. AMERICAN DEBTORS STILL TALKING")]
    public void America_as_a_continent_is_not_the_united_states(string text)
    {
        Assert.DoesNotContain(Find(text), m => m.Key == "US");
    }

    [Theory]
    [InlineData("HANOVER, West Germany, March 27 - A manager said orders rose.", "HANOVER", "DE")]
    [InlineData("The company sold its plant in Milan, Italy, last year.", "Milan", "IT")]
    [InlineData("SAN JOSE, Calif., Feb 26 - Excelan Inc said it had a loss.", "SAN JOSE", "US")]
    public void A_city_placed_by_the_text_takes_that_country(string text, string city, string country)
    {
        Assert.Contains(("Country", country, city), Find(text));
    }

    [Fact]
    public void Naming_the_united_states_does_not_move_a_european_city_there()
    {
        var found = Find("GENEVA, March 19 - The U.S. delegation left the coffee talks early.");
        Assert.Contains(("Country", "CH", "GENEVA"), found);
    }

    [Fact]
    public void Former_names_and_capitals_map_to_todays_states()
    {
        var found = Find("Bonn said it would lend to Yugoslavia, while Peking and Rangoon backed Kampuchea and Zaire.");
        Assert.Contains(("Country", "DE", "Bonn"), found);
        Assert.Contains(("Country", "RS", "Yugoslavia"), found);
        Assert.Contains(("Country", "CN", "Peking"), found);
        Assert.Contains(("Country", "MM", "Rangoon"), found);
        Assert.Contains(("Country", "KH", "Kampuchea"), found);
        Assert.Contains(("Country", "CD", "Zaire"), found);
    }

    [Fact]
    public void Cities_in_a_results_table_are_teams_and_elsewhere_places()
    {
        var text = "Results of games played on Thursday:\nATLANTA AT TORONTO\nAtlanta 5 Toronto 1\nShe moved from Atlanta to Toronto 3 years ago.\n";
        var found = Find(text);
        Assert.Equal(
            [("Organization", "atlanta", "ATLANTA"), ("Organization", "toronto", "TORONTO"), ("Organization", "atlanta", "Atlanta"), ("Organization", "toronto", "Toronto"),
             ("Country", "US", "Atlanta"), ("Country", "CA", "Toronto")],
            found);
    }

    [Fact]
    public void A_dated_dateline_is_no_score()
    {
        Assert.Equal([("Country", "CA", "Toronto")], Find("Toronto 1996-08-30\nThe company said sales rose."));
    }
    [Theory]
    [InlineData("Fluor received a contract from Union Carbide Corp <UK> for the plant.")]
    [InlineData("Boeing said <Air France> ordered two more jets.")]
    [InlineData("The loan pays 50 basis points over the London Interbank Offered Rate.")]
    [InlineData("Aluminium stocks on the London Metal Exchange fell last week.")]
    [InlineData("Soybean futures rose on the Chicago Board of Trade.")]
    [InlineData("The bonds will be listed in Luxembourg and fees total two pct.")]
    [InlineData("He said the Paris accord was working well.")]
    [InlineData("Traders sold the West German mark against the dollar.")]
    [InlineData("Lending by the Bank of Tokyo rose, and shares rose on the Tokyo Stock Exchange.")]
    [InlineData("The tender offer is led by Union Bank of Switzerland Securities Ltd.")]
    [InlineData("Lead manager is Union Bank of Switzerland.")]
    [InlineData("Michael Seibel, Bank of America vice-president, said card use rose.")]
    [InlineData("Earnings per American Depositary Receipt rose to 12.38 crowns.")]
    public void A_place_in_a_company_or_market_name_is_not_a_mention(string text)
    {
        Assert.DoesNotContain(Find(text), m => m.Kind == "Country");
    }

    [Theory]
    [InlineData("LOMBARD, Ill., March 3 - MidCon Corp said it sold a unit.", "Ill.")]
    [InlineData("GREENWICH, Conn, April 3 - Iroquois Brands Ltd said it sold a unit.", "GREENWICH")]
    [InlineData("BOSTON, March 27 - The bank raised its dividend.", "BOSTON")]
    [InlineData("CHICAGO, March 6 - The Chicago Board of Trade said volume rose.", "CHICAGO")]
    public void A_dateline_town_is_placed_by_its_state_or_its_name(string text, string surface)
    {
        Assert.Contains(("Country", "US", surface), Find(text));
    }

    [Fact]
    public void An_undotted_state_abbreviation_must_end_the_name()
    {
        Assert.DoesNotContain(Find("Good rains fell in Cordoba, La Pampa and Santa Fe provinces."), m => m.Key == "US");
    }

    [Fact]
    public void A_town_after_initials_is_a_surname()
    {
        var found = Find("Harvey T. Lyon was named managing director.");
        Assert.Contains(("Person", "harvey-t-lyon", "Harvey T. Lyon"), found);
        Assert.DoesNotContain(found, m => m.Kind == "Country");
    }

    [Fact]
    public void A_country_only_glimpsed_beside_the_main_one_is_not_a_mention()
    {
        var found = Find("Iran said its forces had crossed into Iraq. Iran said the offensive would go on, a Japanese firm said.");
        Assert.Contains(("Country", "IR", "Iran"), found);
        Assert.Contains(("Country", "IQ", "Iraq"), found);
        Assert.DoesNotContain(found, m => m.Key == "JP");
    }

    [Fact]
    public void A_glimpsed_country_is_kept_when_the_setting_asks_for_it()
    {
        const string Text = "Iran said its forces had crossed into Iraq. Iran said the offensive would go on, a Japanese firm said.";
        var keeping = new ArticleExtractor { KeepIncidentalCountries = true }.Extract(null, Text).Mentions;
        Assert.Contains(keeping, m => m.Key == "JP" && Text[m.Start..m.End] == "Japanese");
        Assert.DoesNotContain(Extractor.Extract(null, Text).Mentions, m => m.Key == "JP");
    }

    [Theory]
    [InlineData("A Japanese firm said it would build the plant.", "JP")]
    [InlineData("Iran said it had agreed, the Iranian Foreign Ministry and Algeria's envoy said.", "IR")]
    [InlineData("The Algerian foreign minister met Iran's envoy in Tehran, Iran said.", "DZ")]
    public void A_country_alone_in_the_text_or_in_a_government_body_or_a_role_stays(string text, string key)
    {
        Assert.Contains(Find(text), m => m.Key == key);
    }

    [Fact]
    public void A_country_in_the_headline_stays()
    {
        Assert.Contains(Find("The company said Iran had agreed. Iran will pay.", "JAPANESE FIRM TO BUILD PLANT IN IRAN"), m => m.Key == "JP");
    }
}
