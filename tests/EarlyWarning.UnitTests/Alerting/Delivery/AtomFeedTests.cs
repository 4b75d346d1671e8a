using System.ServiceModel.Syndication;
using System.Xml;
using EarlyWarning.Alerting.Delivery;
using static EarlyWarning.UnitTests.Alerting.Delivery.DeliveryFixtures;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

public sealed class AtomFeedTests
{
    private static SyndicationFeed Parse(System.Xml.Linq.XDocument document)
    {
        using var reader = XmlReader.Create(new StringReader(document.ToString()));
        return SyndicationFeed.Load(reader);
    }

    [Fact]
    public void A_feed_parses_with_SyndicationFeed_and_has_one_entry_per_revision_linking_its_CAP_document()
    {
        var revisions = new[] { Revision(3, "Update", "closed"), Revision(2, "Update"), Revision() };
        var feed = Parse(AtomFeed.Build("urn:earlywarning:feed:test", "Alerts", "https://a.example/api/feeds/alerts", "https://a.example", revisions, 1, 1, Policy, "en"));

        Assert.Equal(3, feed.Items.Count());
        Assert.Equal(revisions.Select(r => r.Identifier), feed.Items.Select(i => i.Id));
        var link = Assert.Single(feed.Items.First().Links, l => l.RelationshipType == "alternate");
        Assert.Equal("application/cap+xml", link.MediaType);
        Assert.Equal("https://a.example/api/alerts/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b/revisions/3/cap", link.Uri.ToString());
        Assert.Equal(revisions.Max(r => r.SentAt), feed.LastUpdatedTime);
    }

    [Fact]
    public void A_middle_page_links_the_next_and_previous_pages_and_the_first_and_last()
    {
        var feed = Parse(AtomFeed.Build("urn:x", "Alerts", "https://a.example/f", "https://a.example", [Revision()], 2, 3, Policy, "es"));
        var links = feed.Links.ToDictionary(l => l.RelationshipType, l => l.Uri.ToString());
        Assert.Equal("https://a.example/f?page=3", links["next"]);
        Assert.Equal("https://a.example/f", links["previous"]);
        Assert.Equal("https://a.example/f", links["first"]);
        Assert.Equal("https://a.example/f?page=3", links["last"]);
        Assert.Equal("https://a.example/f?page=2", links["self"]);
    }

    [Fact]
    public void The_last_page_has_no_next_link_and_the_first_no_previous()
    {
        var last = Parse(AtomFeed.Build("urn:x", "Alerts", "https://a.example/f", "https://a.example", [Revision()], 1, 1, Policy, "en"));
        Assert.DoesNotContain(last.Links, l => l.RelationshipType is "next" or "previous");
    }

    [Fact]
    public void The_same_revisions_give_the_same_bytes_so_the_ETag_only_changes_with_the_feed()
    {
        string Render() => AtomFeed.Build("urn:x", "Alerts", "https://a.example/f", "https://a.example", [Revision()], 1, 1, Policy, "en").ToString();
        Assert.Equal(Render(), Render());
    }
}
