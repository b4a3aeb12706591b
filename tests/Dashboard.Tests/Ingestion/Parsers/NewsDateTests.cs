using Dashboard.Web.Ingestion.Parsers;

namespace Dashboard.Tests.Ingestion.Parsers;

public class NewsDateTests
{
    [Theory]
    [InlineData("20240601T101500Z", "2024-06-01T10:15:00+00:00")]
    [InlineData("20240601T1015+0330", "2024-06-01T10:15:00+03:30")]
    [InlineData("Thu, 01 Jan 2004 19:48:21 GMT", "2004-01-01T19:48:21+00:00")]
    [InlineData("Mon, 06 Sep 2010 00:01:00 +0000", "2010-09-06T00:01:00+00:00")]
    [InlineData("Sat, 07 Jan 2017 10:15:00 EST", "2017-01-07T10:15:00-05:00")]
    [InlineData("Fri, 06 Jan 2017 23:30:00 PDT", "2017-01-06T23:30:00-07:00")]
    [InlineData("Fri, 06 Jan 2017 23:30:00 UT", "2017-01-06T23:30:00+00:00")]
    [InlineData("6 Jan 2017 23:30 Z", "2017-01-06T23:30:00+00:00")]
    [InlineData("Fri, 06 Jan 2017 23:30:00 A", "2017-01-06T23:30:00+01:00")]
    [InlineData("Fri, 06 Jan 2017 23:30:00 Y", "2017-01-06T23:30:00-12:00")]
    [InlineData("Fri, 6 Jan 17 23:30 +0100", "2017-01-06T23:30:00+01:00")]
    [InlineData("Wed, 02 Oct 02 08:00:00 EST", "2002-10-02T08:00:00-05:00")]
    [InlineData("Sun, 19 May 99 12:00:00 GMT", "1999-05-19T12:00:00+00:00")]
    [InlineData("  Tuesday,   10   Jun  2003   04:00:00   GMT ", "2003-06-10T04:00:00+00:00")]
    [InlineData("Do, 22 Dez 2016 17:36:00 +0000", "2016-12-22T17:36:00+00:00")]
    [InlineData("2024-06-01T12:30:45Z", "2024-06-01T12:30:45+00:00")]
    [InlineData("2024-06-01T12:30:45.123+02:00", "2024-06-01T12:30:45.123+02:00")]
    [InlineData("2024-06-01T12:30+05:30", "2024-06-01T12:30:00+05:30")]
    [InlineData("2024-06-01 12:30:45", "2024-06-01T12:30:45+00:00")]
    [InlineData("2024-06-01T23:30:00-0500", "2024-06-01T23:30:00-05:00")]
    [InlineData("2024-06-01", "2024-06-01T00:00:00+00:00")]
    public void Reads_the_dates_real_feeds_use_and_keeps_their_offset(string text, string expected)
    {
        var parsed = NewsDate.Parse(text);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), parsed);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).Offset, parsed!.Value.Offset);
    }

    [Fact]
    public void The_stored_day_is_the_utc_day()
    {
        Assert.Equal(new DateOnly(2024, 6, 2), NewsDate.UtcDay(NewsDate.Parse("2024-06-01T23:30:00-05:00")));
        Assert.Equal(new DateOnly(2024, 5, 31), NewsDate.UtcDay(NewsDate.Parse("Sat, 01 Jun 2024 01:00:00 +0200")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("yesterday")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("2024-02-30")]
    [InlineData("Fri, 06 Foo 2017 23:30:00 GMT")]
    [InlineData("Fri, 06 Jan 2017 25:30:00 GMT")]
    public void Is_null_for_what_is_not_a_publication_date(string text)
    {
        Assert.Null(NewsDate.Parse(text));
    }
}
