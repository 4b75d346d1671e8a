using System.Globalization;
using System.Xml.Linq;

namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// An alert revision as an OASIS CAP 1.2 message: msgType Alert, Update or Cancel; an Update or a Cancel
/// references every earlier revision of the alert (so an Update names its Alert and a Cancel its last revision);
/// one info block per language (es, pt, en) with the category and nationality labels of the code lists, an area
/// with the place's name, region and country and a circle around its coordinates when the gazetteer lists it,
/// and parameters carrying the observed count, the expected value and the bound. Pure: same revision, same document.
/// </summary>
internal static class CapDocument
{
    public static readonly XNamespace Cap = "urn:oasis:names:tc:emergency:cap:1.2";
    public const string MediaType = "application/cap+xml";

    /// <summary>The radius, in km, of the circle drawn around a place's coordinates (a crossing's catchment, not a boundary).</summary>
    public const double CircleRadiusKm = 10;

    /// <param name="earlier">The earlier revisions of the same alert (revision number and time sent), oldest first.</param>
    /// <param name="capUrl">The absolute address of this document, given as the info's web link.</param>
    public static XDocument Build(AlertRevision r, IReadOnlyList<(int Revision, DateTimeOffset SentAt)> earlier, DeliveryPolicy policy,
        string sender, string? capUrl, IReadOnlyList<string> languages)
    {
        var alert = new XElement(Cap + "alert",
            new XElement(Cap + "identifier", r.Identifier),
            new XElement(Cap + "sender", sender),
            new XElement(Cap + "sent", Time(r.SentAt)),
            new XElement(Cap + "status", "Actual"),
            new XElement(Cap + "msgType", r.MsgType),
            new XElement(Cap + "source", r.Algorithm),
            // Shared with the analysts of the data-sharing agreements, not with the public.
            new XElement(Cap + "scope", "Restricted"),
            new XElement(Cap + "restriction", $"Analysts of the RCM/SACM early warning whose scope includes {r.ReportingCountry}"));
        if (r.MsgType != "Alert" && earlier.Count > 0)
            alert.Add(new XElement(Cap + "references",
                string.Join(' ', earlier.Select(e => $"{sender},{AlertRevision.CapIdentifier(r.AlertId, e.Revision)},{Time(e.SentAt)}"))));
        alert.Add(new XElement(Cap + "incidents", $"urn:earlywarning:alert:{r.AlertId:D}"));
        foreach (var language in languages) alert.Add(Info(r, policy, sender, capUrl, language));
        return new XDocument(new XDeclaration("1.0", "utf-8", null), alert);
    }

    private static XElement Info(AlertRevision r, DeliveryPolicy policy, string sender, string? capUrl, string language)
    {
        var text = Text.For(language);
        var place = policy.Place(r.BorderPoint);
        var placeName = place?.Name ?? r.BorderPoint;
        var country = policy.Country(r.ReportingCountry, language);
        var category = policy.Category(r.Category, language);
        var nationality = policy.Country(r.Nationality, language);
        var ratio = r.Expected > 0 ? r.Observed / r.Expected : double.PositiveInfinity;
        var headline = string.Format(CultureInfo.InvariantCulture, text.Headline, category, nationality, placeName, country, r.Observed,
            r.PeakWeek.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ratio, r.Expected);
        var description = string.Format(CultureInfo.InvariantCulture, text.Description, r.FirstWeek.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            r.WeeksAbove, r.Observed, r.Expected, r.UpperBound, r.Algorithm)
            + " " + (r.State switch
            {
                "closed" => string.Format(CultureInfo.InvariantCulture, text.Closed, r.ClosedWeek?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                "withdrawn" => string.Format(CultureInfo.InvariantCulture, text.Withdrawn, r.Reason),
                _ => text.Active,
            });

        var info = new XElement(Cap + "info",
            new XElement(Cap + "language", language),
            new XElement(Cap + "category", "Other"),
            new XElement(Cap + "event", text.Event),
            new XElement(Cap + "responseType", r.State == "active" ? "Monitor" : "AllClear"),
            new XElement(Cap + "urgency", r.State == "active" ? "Expected" : "Past"),
            new XElement(Cap + "severity", AlertRevision.SeverityRank(r.Severity) >= 0 ? r.Severity : "Unknown"),
            new XElement(Cap + "certainty", r.Certainty is "Observed" or "Likely" or "Possible" or "Unlikely" ? r.Certainty : "Unknown"),
            new XElement(Cap + "eventCode", new XElement(Cap + "valueName", "RCM_SACM:CL_MIGRANT_CATEGORY"), new XElement(Cap + "value", r.Category)),
            new XElement(Cap + "effective", Time(r.SentAt)),
            new XElement(Cap + "onset", Time(new DateTimeOffset(r.FirstWeek.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero))),
            new XElement(Cap + "senderName", text.SenderName),
            new XElement(Cap + "headline", headline),
            new XElement(Cap + "description", description));
        if (capUrl is not null) info.Add(new XElement(Cap + "web", capUrl));
        foreach (var (name, value) in Parameters(r)) info.Add(new XElement(Cap + "parameter", new XElement(Cap + "valueName", name), new XElement(Cap + "value", value)));

        var area = new XElement(Cap + "area",
            new XElement(Cap + "areaDesc", place is null ? $"{placeName}, {country}" : $"{place.Name}, {place.RegionName}, {country}"));
        if (place is not null && double.IsFinite(place.Lat))
            area.Add(new XElement(Cap + "circle", string.Format(CultureInfo.InvariantCulture, "{0:0.0####},{1:0.0####} {2:0.#}", place.Lat, place.Lon, CircleRadiusKm)));
        area.Add(Geocode("ISO3166-1-alpha-3", r.ReportingCountry));
        if (place is not null) area.Add(Geocode("ISO3166-2", place.Region));
        area.Add(Geocode("RCM_SACM:BORDER_POINT", r.BorderPoint));
        info.Add(area);
        return info;
    }

    private static IEnumerable<(string, string)> Parameters(AlertRevision r)
    {
        var c = CultureInfo.InvariantCulture;
        yield return ("observed", r.Observed.ToString(c));
        yield return ("expected", r.Expected.ToString("0.###", c));
        yield return ("upperBound", r.UpperBound.ToString("0.###", c));
        yield return ("peakWeek", r.PeakWeek.ToString("yyyy-MM-dd", c));
        yield return ("firstWeek", r.FirstWeek.ToString("yyyy-MM-dd", c));
        yield return ("lastSurgeWeek", r.LastSurgeWeek.ToString("yyyy-MM-dd", c));
        if (r.ClosedWeek is { } closed) yield return ("closedWeek", closed.ToString("yyyy-MM-dd", c));
        yield return ("weeksAbove", r.WeeksAbove.ToString(c));
        yield return ("detector", r.Algorithm);
        if (r.Probability is { } p) yield return ("probability", p.ToString("0.#####", c));
        yield return ("reportingCountry", r.ReportingCountry);
        yield return ("borderPoint", r.BorderPoint);
        yield return ("nationality", r.Nationality);
        yield return ("category", r.Category);
        yield return ("state", r.State);
        yield return ("revision", r.Revision.ToString(c));
    }

    private static XElement Geocode(string name, string value) =>
        new(Cap + "geocode", new XElement(Cap + "valueName", name), new XElement(Cap + "value", value));

    /// <summary>CAP's time format: seconds, and an explicit offset ("+00:00", never "Z", which the schema refuses).</summary>
    public static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);

    private sealed record Text(string Event, string SenderName, string Headline, string Description, string Active, string Closed, string Withdrawn)
    {
        // {0} category, {1} nationality, {2} place, {3} country, {4} observed, {5} peak week, {6} ratio, {7} expected
        // and in the description {0} first week, {1} weeks above, {2} observed, {3} expected, {4} bound, {5} detector.
        private static readonly Text En = new(
            "Migration flow surge",
            "RCM/SACM migration early warning",
            "{0} of {1} nationals at {2} ({3}): {4} in the week of {5}, {6:0.0} times the expected {7:0.0}",
            "Surge since the week of {0}, {1} week(s) above the bound; peak {2} against an expected {3:0.0} (upper bound {4:0.0}, detector {5}).",
            "The surge is ongoing.",
            "The surge ended: closed in the week of {0}.",
            "Withdrawn: {0}.");
        private static readonly Text Es = new(
            "Aumento súbito de flujos migratorios",
            "Alerta temprana migratoria CRM/CSM",
            "{0} de nacionales de {1} en {2} ({3}): {4} en la semana del {5}, {6:0.0} veces lo esperado ({7:0.0})",
            "Aumento desde la semana del {0}, {1} semana(s) sobre el umbral; máximo {2} frente a {3:0.0} esperados (umbral superior {4:0.0}, detector {5}).",
            "El aumento continúa.",
            "El aumento terminó: cerrada en la semana del {0}.",
            "Retirada: {0}.");
        private static readonly Text Pt = new(
            "Aumento súbito de fluxos migratórios",
            "Alerta precoce migratório CRM/CSM",
            "{0} de nacionais de {1} em {2} ({3}): {4} na semana de {5}, {6:0.0} vezes o esperado ({7:0.0})",
            "Aumento desde a semana de {0}, {1} semana(s) acima do limiar; pico {2} contra {3:0.0} esperados (limiar superior {4:0.0}, detector {5}).",
            "O aumento continua.",
            "O aumento terminou: encerrado na semana de {0}.",
            "Retirado: {0}.");

        public static Text For(string language) => language switch { "es" => Es, "pt" => Pt, _ => En };
    }
}
