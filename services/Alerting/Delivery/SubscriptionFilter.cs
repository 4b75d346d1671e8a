namespace EarlyWarning.Alerting.Delivery;

/// <summary>
/// What a subscription wants: each list, when not empty, must contain the revision's value (an empty list
/// accepts anything). Places are at any level of the gazetteer: a border point's code ("PAN-LAJAS-BLANCAS"),
/// its region ("PA-5") or a country ("PAN"). A corridor is "&lt;from&gt;-&lt;to&gt;": the neighbouring country a
/// border point faces and the reporting country ("COL-PAN": the Darién stations). States are active, closed
/// and withdrawn; the minimum severity is one of CAP's Minor, Moderate, Severe, Extreme.
/// </summary>
internal sealed record SubscriptionFilter(
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> Places,
    IReadOnlyList<string> Corridors,
    IReadOnlyList<string> Categories,
    IReadOnlyList<string> Nationalities,
    string? MinimumSeverity,
    IReadOnlyList<string> States)
{
    public static readonly string[] AlertStates = ["active", "closed", "withdrawn"];

    /// <summary>Whether the revision passes the filter and its reporting country is in <paramref name="scope"/> (null: every country).</summary>
    public bool Matches(AlertRevision r, DeliveryPolicy policy, IReadOnlySet<string>? scope)
    {
        if (scope is not null && !scope.Contains(r.ReportingCountry)) return false;
        if (Countries.Count > 0 && !Countries.Contains(r.ReportingCountry)) return false;
        if (Categories.Count > 0 && !Categories.Contains(r.Category)) return false;
        if (Nationalities.Count > 0 && !Nationalities.Contains(r.Nationality)) return false;
        if (States.Count > 0 && !States.Contains(r.State)) return false;
        if (MinimumSeverity is not null && AlertRevision.SeverityRank(r.Severity) < AlertRevision.SeverityRank(MinimumSeverity)) return false;
        var place = policy.Place(r.BorderPoint);
        if (Places.Count > 0 && !Places.Any(p => p == r.BorderPoint || p == r.ReportingCountry || (place is not null && p == place.Region)))
            return false;
        if (Corridors.Count > 0 && (place?.Neighbour is not { } from || !Corridors.Contains($"{from}-{r.ReportingCountry}")))
            return false;
        return true;
    }

    /// <summary>The problems of a filter an analyst sent, each naming its field; empty when it is valid.</summary>
    public List<string> Problems(DeliveryPolicy policy)
    {
        var problems = new List<string>();
        foreach (var c in Countries)
            if (!policy.Countries.ContainsKey(c)) problems.Add($"countries: '{c}' is not an ISO 3166-1 alpha-3 code of CL_AREA");
        foreach (var n in Nationalities)
            if (!policy.Countries.ContainsKey(n)) problems.Add($"nationalities: '{n}' is not an ISO 3166-1 alpha-3 code of CL_AREA");
        foreach (var c in Categories)
            if (!policy.Categories.ContainsKey(c)) problems.Add($"categories: '{c}' is not a code of CL_MIGRANT_CATEGORY");
        foreach (var p in Places)
            if (!policy.Places.ContainsKey(p) && !policy.Countries.ContainsKey(p) && !policy.Places.Values.Any(x => x.Region == p))
                problems.Add($"places: '{p}' is neither a border point, a region nor a country of policy/places");
        foreach (var c in Corridors)
            if (c.Split('-') is not [var from, var to] || !policy.Countries.ContainsKey(from) || !policy.Countries.ContainsKey(to))
                problems.Add($"corridors: '{c}' is not '<from>-<to>' with two ISO 3166-1 alpha-3 codes (e.g. COL-PAN)");
        foreach (var s in States)
            if (!AlertStates.Contains(s)) problems.Add($"states: '{s}' is not one of {string.Join(", ", AlertStates)}");
        if (MinimumSeverity is not null && AlertRevision.SeverityRank(MinimumSeverity) < 0)
            problems.Add($"minimumSeverity: '{MinimumSeverity}' is not one of {string.Join(", ", AlertRevision.Severities)}");
        return problems;
    }

    /// <summary>
    /// The reporting countries the filter can reach within a scope (null: every country): its countries, or the
    /// countries of its places and corridors, or else the whole scope. Used to refuse a subscription that asks for
    /// a country outside the analyst's scope.
    /// </summary>
    public IEnumerable<string> NamedCountries(DeliveryPolicy policy) =>
        Countries
            .Concat(Places.Select(p => policy.Place(p)?.Country ?? (policy.Countries.ContainsKey(p) ? p : policy.Places.Values.FirstOrDefault(x => x.Region == p)?.Country)).OfType<string>())
            .Concat(Corridors.Select(c => c.Split('-') is [_, var to] ? to : null).OfType<string>())
            .Distinct();
}
