using System.Globalization;
using System.Xml.Linq;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// An Atom feed (RFC 4287) of alert revisions, one entry per revision, newest first, each linking its CAP
/// document (rel="alternate", type application/cap+xml), paged as RFC 5005 says (first, last, next and previous
/// links, ?page=N from 1). The feed's updated time is its newest entry's, so an unchanged page is the same bytes
/// (what its ETag is made of).
/// </summary>
internal static class AtomFeed
{
    public static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    public const string MediaType = "application/atom+xml";

    /// <param name="selfUrl">The feed's address without the page parameter.</param>
    public static XDocument Build(string feedId, string title, string selfUrl, string baseUrl, IReadOnlyList<AlertRevision> page, int pageNumber, int pageCount,
        DeliveryPolicy policy, string language)
    {
        var updated = page.Count > 0 ? page.Max(r => r.SentAt) : DateTimeOffset.UnixEpoch;
        var feed = new XElement(Atom + "feed",
            new XElement(Atom + "id", feedId),
            new XElement(Atom + "title", title),
            new XElement(Atom + "updated", Time(updated)),
            new XElement(Atom + "author", new XElement(Atom + "name", "RCM/SACM migration early warning")),
            Link("self", PageUrl(selfUrl, pageNumber)),
            Link("first", PageUrl(selfUrl, 1)),
            Link("last", PageUrl(selfUrl, Math.Max(pageCount, 1))));
        if (pageNumber > 1) feed.Add(Link("previous", PageUrl(selfUrl, pageNumber - 1)));
        if (pageNumber < pageCount) feed.Add(Link("next", PageUrl(selfUrl, pageNumber + 1)));
        foreach (var r in page)
        {
            var place = policy.Place(r.BorderPoint)?.Name ?? r.BorderPoint;
            var summary = string.Format(CultureInfo.InvariantCulture, "{0} {1} ({2}): {3} of {4} at {5}, {6}; peak {7} against an expected {8:0.0} (bound {9:0.0}).",
                r.MsgType, r.State, r.Severity, policy.Category(r.Category, language), policy.Country(r.Nationality, language), place,
                policy.Country(r.ReportingCountry, language), r.Observed, r.Expected, r.UpperBound);
            feed.Add(new XElement(Atom + "entry",
                new XElement(Atom + "id", r.Identifier),
                new XElement(Atom + "title", $"{r.MsgType}: {policy.Category(r.Category, language)}, {place} ({r.ReportingCountry}), {r.Severity}"),
                new XElement(Atom + "updated", Time(r.SentAt)),
                new XElement(Atom + "published", Time(r.SentAt)),
                new XElement(Atom + "link", new XAttribute("rel", "alternate"), new XAttribute("type", CapDocument.MediaType), new XAttribute("href", baseUrl + r.CapPath)),
                new XElement(Atom + "category", new XAttribute("term", r.MsgType), new XAttribute("scheme", "urn:oasis:names:tc:emergency:cap:1.2#msgType")),
                new XElement(Atom + "category", new XAttribute("term", r.Severity), new XAttribute("scheme", "urn:oasis:names:tc:emergency:cap:1.2#severity")),
                new XElement(Atom + "summary", summary)));
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), feed);
    }

    private static XElement Link(string rel, string href) => new(Atom + "link", new XAttribute("rel", rel), new XAttribute("href", href));

    private static string PageUrl(string selfUrl, int page) => page == 1 ? selfUrl : $"{selfUrl}{(selfUrl.Contains('?') ? '&' : '?')}page={page}";

    private static string Time(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
