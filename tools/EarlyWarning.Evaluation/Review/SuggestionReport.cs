using System.Globalization;
using EarlyWarning.Classification.Mapping;
using EarlyWarning.Classification.Policy;

namespace EarlyWarning.Evaluation.Review;

/// <summary>Prints the suggestion scores by kind and country, and every term whose answer was not ranked first.</summary>
internal static class SuggestionReport
{
    public static void Print(TextWriter output, SuggestionScores scores, RegionalPolicy policy, bool misses)
    {
        var main = scores.Answerable(Classifier.Category, Classifier.PlaceKind);
        output.WriteLine($"held-out terms: {scores.Terms.Count} ({main.Count} categories and places with an answer)");
        output.WriteLine($"{"kind",-12} {"terms",6} {"top 1",7} {"top 3",7}");
        foreach (var kind in new[] { Classifier.Category, Classifier.PlaceKind, Classifier.Age, Classifier.Nationality, Classifier.Sex })
            Line(output, kind, scores.Answerable(kind));
        Line(output, "cat.+place", main);
        var knowable = scores.KnowablePlaces(policy);
        output.WriteLine($"  of the places, those the gazetteer can know (an existing point, or a new point in a region the spelling names):");
        Line(output, "  knowable", knowable);
        Line(output, "  cat.+known", [.. scores.Answerable(Classifier.Category), .. knowable]);
        var none = scores.Terms.Where(t => t.Term.Expected == HeldOutTerm.None).ToList();
        if (none.Count > 0)
            output.WriteLine($"not a flow value: {none.Count(t => t.Top1)} of {none.Count} said to have no good candidate");
        output.WriteLine();
        output.WriteLine($"{"country",-12} {"terms",6} {"top 1",7} {"top 3",7}   (categories and places)");
        foreach (var country in main.Select(t => t.Term.Country).Distinct().Order(StringComparer.Ordinal))
            Line(output, country, main.Where(t => t.Term.Country == country).ToList());
        var top1 = SuggestionScores.Share(main, t => t.Top1);
        var top3 = SuggestionScores.Share(main, t => t.Top3);
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"goal: top 1 >= {SuggestionScores.Top1Goal:P0} and top 3 >= {SuggestionScores.Top3Goal:P0} of categories and places: {(top1 >= SuggestionScores.Top1Goal && top3 >= SuggestionScores.Top3Goal ? "met" : "NOT met")}"));
        if (!misses) return;
        output.WriteLine();
        output.WriteLine("not ranked first:");
        foreach (var t in scores.Terms.Where(t => !t.Top1))
            output.WriteLine($"  {t.Term.Country} {t.Term.Kind,-11} {t.Term.Written,-45} expected {t.Term.Expected,-24} {t.Review.Status}: " +
                string.Join(", ", t.Review.Suggestions.Take(3).Select(s => string.Create(CultureInfo.InvariantCulture, $"{(s.Action == "new-point" ? "new:" : "")}{s.Code} {s.Score:0.00}"))));
    }

    private static void Line(TextWriter output, string label, IReadOnlyList<ScoredTerm> terms)
    {
        if (terms.Count == 0) return;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-12} {terms.Count,6} {SuggestionScores.Share(terms, t => t.Top1),7:P1} {SuggestionScores.Share(terms, t => t.Top3),7:P1}"));
    }
}
