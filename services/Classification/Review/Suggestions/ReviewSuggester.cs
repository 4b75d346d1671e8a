using System.Collections.Frozen;
using EarlyWarning.Classification.Mapping;
using EarlyWarning.Classification.Policy;

namespace EarlyWarning.Classification.Review.Suggestions;

/// <summary>
/// Ranks the codes a held value could mean, from what the policy already knows: the country's own table, the other
/// countries' tables, the code lists' labels, the gazetteer, the agreements' age bands. It decides nothing: a
/// steward accepts a suggestion, chooses another code, or keeps the value held.
/// </summary>
internal sealed class ReviewSuggester
{
    /// <summary>The score a top candidate needs to be called a good one.</summary>
    public const double Good = 0.6;
    private const int Shown = 5;

    private readonly RegionalPolicy _policy;
    private readonly Candidates _categories, _sexes, _ages, _nationalities;
    private readonly FrozenDictionary<string, Candidates> _places;

    public ReviewSuggester(RegionalPolicy policy)
    {
        _policy = policy;
        var lexicon = policy.Lexicon;
        _categories = new Candidates(TableWritings(t => t.CategoryWritings).Concat(Labels(policy.Categories)), lexicon);
        _sexes = new Candidates(TableWritings(t => t.SexWritings).Concat(Labels(policy.SexCodes)), lexicon);
        _ages = new Candidates(TableWritings(t => t.AgeWritings).Concat(Labels(policy.AgeCodes)), lexicon);
        _nationalities = new Candidates(policy.NationalityForms.Select(f => new Writing(f.Value, f.Key, "CL_AREA and codelists/nationality-names.yaml", 1)), lexicon);
        _places = policy.Places.GroupBy(p => p.Country).ToFrozenDictionary(g => g.Key, g => new Candidates(
            g.SelectMany(p => p.Aliases.Prepend(p.Name).Append(p.Code[(p.Country.Length + 1)..].Replace('-', ' '))
                .Select(name => new Writing(p.Code, name, $"places ({p.Code})", 1))),
            lexicon, lexicon.PlaceKinds.Keys));
    }

    public RegionalPolicy Policy => _policy;

    public ValueReview Review(string country, string kind, string written) => kind switch
    {
        Classifier.Category => Category(country, written),
        Classifier.PlaceKind => Place(country, written),
        Classifier.Age => Age(country, written),
        Classifier.Sex => Ranked(Code(_sexes, written, _policy.SexCodes), _policy.Sex(country, written) is not null),
        Classifier.Nationality => Ranked(Code(_nationalities, written, _policy.Areas), _policy.Nationality(written) is not null),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a kind of held value"),
    };

    private ValueReview Category(string country, string written)
    {
        _policy.Tables.TryGetValue(country, out var table);
        var text = NationalText.Normalize(written);
        if (table?.KeepHeld.TryGetValue(text, out var reason) == true)
            return new ValueReview(ValueReview.HeldOnPurpose, $"mappings/{country}.yaml keepHeld: {reason}", []);
        if (_policy.Categories.Codes.ContainsKey(written.Trim().ToUpperInvariant()))
            return new ValueReview(ValueReview.MappedNow, "a code of the regional list", []);
        if (table?.Rules.TryGetValue(text, out var rules) == true)
        {
            if (rules.Any(r => r is { ValidFrom: null, ValidTo: null, When: null }))
                return new ValueReview(ValueReview.MappedNow, $"mappings/{country}.yaml maps it now; a replay releases its cells", []);
            return new ValueReview(ValueReview.HeldOnPurpose, string.Join("; ", rules.Select(r =>
                $"mappings/{country}.yaml rules[{r.Order}] maps it to {r.Regional} only {Limits(r)}")) + "; the held cells fall outside", []);
        }
        var matches = _categories.Match(written).Select(m => m with
        {
            // A writing of the country's own table is closest to what its authority means.
            Score = m.Writing.Source == TableSource(country) ? m.Score : m.Score * 0.97,
        });
        var suggestions = matches.GroupBy(m => m.Writing.Code).Select(g =>
        {
            var ranked = g.OrderByDescending(m => m.Score).ToList();
            var top = ranked[0];
            return new Suggestion(Suggestion.Map, g.Key, _policy.Categories.Codes[g.Key].NameEn, Math.Round(top.Score, 3),
                ranked.Take(3).Select(m => new Evidence(Where(m.Writing), m.Writing.Text, m.How)).ToList())
            {
                Rule = top.Writing.Source == TableSource(country) ? top.Writing.Rule : null,
            };
        });
        return Ranked(suggestions, mapped: false);
    }

    private ValueReview Place(string country, string written)
    {
        if (_policy.Place(country, written) is not null)
            return new ValueReview(ValueReview.MappedNow, "the gazetteer lists it now; a replay releases its cells", []);
        var points = _policy.Places.Where(p => p.Country == country).ToList();
        var words = _policy.Lexicon.Concepts(written).ToHashSet();
        // A province or state written as a prefix ("Darién - ERM Lajas Blancas") names the region, not the point.
        var regions = points.GroupBy(p => (p.Region, p.RegionName))
            .Select(g => (g.Key.Region, g.Key.RegionName, Concepts: _policy.Lexicon.Concepts(g.Key.RegionName).ToHashSet()))
            .Where(r => r.Concepts.Count > 0).ToList();
        var named = regions.Where(r => r.Concepts.IsSubsetOf(words)).ToList();
        var suggestions = new List<Suggestion>();
        if (_places.TryGetValue(country, out var candidates))
            foreach (var region in named.Select(r => r.Concepts).Append([]).Distinct())
                foreach (var g in candidates.Match(written, region).GroupBy(m => m.Writing.Code))
                {
                    var point = _policy.PlaceByCode(g.Key)!;
                    var inRegion = region.Count == 0 || named.Any(r => r.Region == point.Region && r.Concepts.SetEquals(region));
                    var ranked = g.OrderByDescending(m => m.Score).ToList();
                    var score = ranked[0].Score * (inRegion ? 1 : 0.8);
                    suggestions.Add(new Suggestion(Suggestion.Alias, point.Code, $"{point.Name} ({point.RegionName})", Math.Round(score, 3),
                        ranked.Take(3).Select(m => new Evidence(m.Writing.Source, m.Writing.Text,
                            region.Count > 0 && inRegion ? m.How + $", after the region's name ({point.RegionName})" : m.How)).ToList()));
                }
        var best = suggestions.Count == 0 ? 0 : suggestions.Max(s => s.Score);
        var kind = words.Select(w => _policy.Lexicon.PlaceKinds.GetValueOrDefault(w)).FirstOrDefault(k => k is not null);
        foreach (var region in named)
            suggestions.Add(new Suggestion(Suggestion.NewPoint, region.Region, $"new point in {region.RegionName} ({region.Region})", best >= 0.75 ? 0.4 : 0.7,
                [new Evidence($"places/{country}.yaml regions ({region.Region})", region.RegionName, "the spelling names the region")]) { PlaceKind = kind });
        if (named.Count == 0)
            suggestions.Add(new Suggestion(Suggestion.NewPoint, "", "new point (its region to be chosen)", 0.3,
                [new Evidence($"places/{country}.yaml", "", "no point or region of the gazetteer is named")]) { PlaceKind = kind });
        return Ranked(suggestions.GroupBy(s => (s.Action, s.Code)).Select(g => g.MaxBy(s => s.Score)!), mapped: false);
    }

    private ValueReview Age(string country, string written)
    {
        if (_policy.AgeGroup(country, written) is not null)
            return new ValueReview(ValueReview.MappedNow, "the policy in force maps it now; a replay releases its cells", []);
        var byText = Code(_ages, written, _policy.AgeCodes).ToDictionary(s => s.Code);
        if (AgeBand.OfWritten(written) is { } band)
        {
            var containing = _policy.AgeCodes.Codes.Keys.Where(id => id != RegionalPolicy.Total)
                .Select(id => (Id: id, Band: AgeBand.OfCode(id))).Where(c => c.Band?.Contains(band) == true)
                .OrderBy(c => c.Band!.Value.Width).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
            for (var i = 0; i < containing.Count; i++)
            {
                var (id, codeBand) = (containing[i].Id, containing[i].Band!.Value);
                var score = codeBand == band ? 0.98 : Math.Max(0.5, 0.92 - 0.12 * i);
                var evidence = new Evidence($"codelists/CL_AGE.yaml ({id})", _policy.AgeCodes.Codes[id].NameEn,
                    codeBand == band ? $"the same band ({band})" : $"{band} lies within {codeBand}");
                byText[id] = byText.TryGetValue(id, out var text) && text.Score > score
                    ? text
                    : new Suggestion(Suggestion.Map, id, _policy.AgeCodes.Codes[id].NameEn, score, [evidence, .. text?.Evidence ?? []]);
            }
        }
        return Ranked(byText.Values, mapped: false);
    }

    private IEnumerable<Suggestion> Code(Candidates candidates, string written, CodeList list) =>
        candidates.Match(written).Where(m => list.Codes.ContainsKey(m.Writing.Code)).GroupBy(m => m.Writing.Code).Select(g =>
        {
            var ranked = g.OrderByDescending(m => m.Score).ToList();
            return new Suggestion(Suggestion.Map, g.Key, list.Codes[g.Key].NameEn, Math.Round(ranked[0].Score, 3),
                ranked.Take(3).Select(m => new Evidence(Where(m.Writing), m.Writing.Text, m.How)).ToList());
        });

    private static ValueReview Ranked(IEnumerable<Suggestion> suggestions, bool mapped)
    {
        if (mapped) return new ValueReview(ValueReview.MappedNow, "the policy in force maps it now; a replay releases its cells", []);
        var ranked = suggestions.OrderByDescending(s => s.Score).ThenBy(s => s.Code, StringComparer.Ordinal).Take(Shown).ToList();
        return ranked.Count > 0 && ranked[0].Score >= Good
            ? new ValueReview(ValueReview.Suggested, null, ranked)
            : new ValueReview(ValueReview.NoGoodCandidate, $"no candidate scores {Good} or more: a steward chooses the code, or keeps it held", ranked);
    }

    private IEnumerable<Writing> TableWritings(Func<MappingTable, IReadOnlyList<NationalWriting>> section) =>
        _policy.Tables.Values.SelectMany(t => section(t).Select(w => new Writing(w.Regional, w.Written, TableSource(t.Country), 1) { Rule = w.Entry }));

    private static IEnumerable<Writing> Labels(CodeList list) => list.Codes.Values.SelectMany(c => new[]
    {
        new Writing(c.Id, c.NameEn, $"codelists/{list.Id}.yaml label en", 0.95),
        new Writing(c.Id, c.NameEs, $"codelists/{list.Id}.yaml label es", 0.95),
        new Writing(c.Id, c.NamePt, $"codelists/{list.Id}.yaml label pt", 0.95),
    });

    private static string TableSource(string country) => $"mappings/{country}.yaml";

    private static string Where(Writing w) => w.Rule is { } rule && w.Source.StartsWith("mappings/", StringComparison.Ordinal) ? $"{w.Source} [{rule}]" : w.Source;

    private static string Limits(MappingRule r) =>
        string.Join(", ", new[]
        {
            r.ValidFrom is { } from ? $"from {from:yyyy-MM-dd}" : null,
            r.ValidTo is { } to ? $"before {to:yyyy-MM-dd}" : null,
            r.When is { } when ? $"when {when.Key}" : null,
        }.Where(p => p is not null));
}
