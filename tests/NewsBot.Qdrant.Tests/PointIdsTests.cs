namespace NewsBot.Qdrant.Tests;

public sealed class PointIdsTests
{
    [Fact]
    public void Name_based_uuid_matches_the_rfc_4122_version_5_reference()
    {
        // The DNS namespace and "www.example.com" give this UUID in every RFC 4122 implementation (Python's uuid5 too).
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("2ed6657d-e927-568b-95e1-2665a8aea6a2"), PointIds.NameBased(dns, "www.example.com"));
    }

    [Fact]
    public void Passage_ids_map_to_stable_distinct_uuids()
    {
        var first = PointIds.ForPassage("world/2024-05-01.txt#0");
        Assert.Equal(first, PointIds.ForPassage("world/2024-05-01.txt#0"));
        Assert.NotEqual(first, PointIds.ForPassage("world/2024-05-01.txt#1"));
        Assert.True(Guid.TryParseExact(first, "D", out _));
        Assert.Equal('5', first[14]);
    }
}
