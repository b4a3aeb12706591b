using Dashboard.Web.Data;

namespace Dashboard.Tests.Data;

/// <summary>The matched-article bitmap counts the articles stored after a given one (a saved view's new arrivals).</summary>
public sealed class CoMentionMatchesTests
{
    [Theory]
    [InlineData(-1, 6)]
    [InlineData(0, 5)]
    [InlineData(5, 4)]
    [InlineData(63, 3)]
    [InlineData(64, 2)]
    [InlineData(129, 2)]
    [InlineData(130, 1)]
    [InlineData(191, 0)]
    [InlineData(long.MaxValue, 0)]
    public void Counts_the_matches_with_a_larger_id(long afterId, int expected)
    {
        long[] ids = [0, 5, 63, 64, 130, 191];
        // The bitmap comes from the shared pool, to which the matches return it.
        var bits = System.Buffers.ArrayPool<ulong>.Shared.Rent(3);
        Array.Clear(bits);
        foreach (var id in ids)
        {
            bits[id >> 6] |= 1UL << (int)(id & 63);
        }
        using var matches = new CoMentionIndex.Matches(bits, 3);

        Assert.Equal(expected, matches.CountAfter(afterId));
    }
}
