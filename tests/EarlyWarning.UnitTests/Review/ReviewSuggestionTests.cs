using EarlyWarning.Classification.Mapping;
using EarlyWarning.Classification.Policy;
using EarlyWarning.Classification.Review.Decisions;
using EarlyWarning.Classification.Review.Suggestions;
using EarlyWarning.Evaluation.Review;

namespace EarlyWarning.UnitTests.Review;

public sealed class ReviewSuggestionTests
{
    private static readonly RegionalPolicy Policy = RepositoryPolicy.Current;
    private static readonly ReviewSuggester Suggester = new(Policy);
    private static readonly IReadOnlyList<HeldOutTerm> HeldOut =
        HeldOutTerms.Load(Path.Combine(RepositoryPolicy.Directory, "..", "tests", "vocabulary", "heldout-review-terms.yaml"));

    [Theory]
    [InlineData("18-59", "Y18T59")]
    [InlineData("0-17", "Y_LT18")]
    [InlineData("60+", "Y_GE60")]
    [InlineData("5-11", "Y5T11")]
    public void The_bands_agreements_publish_map_to_the_age_code_that_defines_them_for_a_country_without_a_table(string band, string code) =>
        Assert.Equal(code, Policy.AgeGroup("ARG", band));

    [Theory]
    [InlineData("30-59")]
    [InlineData("18 a 29 años")]
    [InlineData("Adultos")]
    public void A_band_that_only_nests_in_a_code_is_not_mapped_without_a_decision(string band) => Assert.Null(Policy.AgeGroup("ARG", band));

    [Theory]
    [InlineData("30 a 59 años", 30, 59)]
    [InlineData("Infancia (6 a 11 años)", 6, 11)]
    [InlineData("60 años y más", 60, null)]
    [InlineData("65 anos ou mais", 65, null)]
    [InlineData("Menores de 18 años", 0, 17)]
    [InlineData("30-59 años", 30, 59)]
    public void Age_bands_written_in_words_are_read_as_intervals(string written, int from, int? to) =>
        Assert.Equal(new AgeBand(from, to), AgeBand.OfWritten(written));

    [Fact]
    public void A_nesting_band_suggests_the_narrowest_code_that_contains_it_first()
    {
        var review = Suggester.Review("COL", Classifier.Age, "30 a 59 años");
        Assert.Equal(ValueReview.Suggested, review.Status);
        Assert.Equal(["Y18T59", "Y_GE18"], review.Suggestions.Take(2).Select(s => s.Code));
        Assert.Contains("lies within", review.Suggestions[0].Evidence[0].How);
    }

    [Fact]
    public void A_category_with_a_qualifier_added_suggests_the_code_of_the_countrys_own_writing_with_its_rule()
    {
        var review = Suggester.Review("CHL", Classifier.Category, "Solicitudes de refugio formalizadas");
        var top = review.Suggestions[0];
        Assert.Equal(("ASYLUM_APPLICATION", Suggestion.Map), (top.Code, top.Action));
        Assert.NotNull(top.Rule);
        Assert.StartsWith("mappings/CHL.yaml", top.Evidence[0].Source);
    }

    [Fact]
    public void A_value_a_rule_maps_only_in_other_weeks_is_said_to_be_held_on_purpose() =>
        Assert.Equal(ValueReview.HeldOnPurpose, Suggester.Review("COL", Classifier.Category, "PEP").Status);

    [Fact]
    public void A_station_written_with_its_province_as_a_prefix_suggests_the_point()
    {
        var point = Policy.Places.First(p => p.Country == "ECU");
        var review = Suggester.Review("ECU", Classifier.PlaceKind, $"{point.RegionName} - {point.Name}");
        Assert.Equal((Suggestion.Alias, point.Code), (review.Suggestions[0].Action, review.Suggestions[0].Code));
    }

    [Fact]
    public void A_spelling_that_names_no_point_suggests_a_new_point_in_the_region_it_names()
    {
        var region = Policy.Places.First(p => p.Country == "ECU");
        var review = Suggester.Review("ECU", Classifier.PlaceKind, $"{region.RegionName} - Puerto Nuevo Inventado");
        Assert.Contains(review.Suggestions, s => s.Action == Suggestion.NewPoint && s.Code == region.Region && s.PlaceKind == "port");
    }

    [Fact]
    public void Nothing_is_called_a_good_candidate_for_a_value_unlike_anything_the_policy_knows() =>
        Assert.Equal(ValueReview.NoGoodCandidate, Suggester.Review("PER", Classifier.Category, "Xylofón quántico").Status);

    [Fact]
    public void No_held_out_term_is_mapped_by_the_tables_so_every_one_measures_a_suggestion() =>
        Assert.DoesNotContain(HeldOut, t => Suggester.Review(t.Country, t.Kind, t.Written).Status == ValueReview.MappedNow);

    [Fact]
    public void On_the_held_out_vocabulary_the_right_category_is_first_for_80_percent_and_in_the_first_three_for_95_percent()
    {
        var scores = SuggestionScores.Score(Suggester, HeldOut).Answerable(Classifier.Category);
        Assert.True(scores.Count >= 150);
        Assert.True(SuggestionScores.Share(scores, t => t.Top1) >= 0.80, $"top 1: {SuggestionScores.Share(scores, t => t.Top1):P1}");
        Assert.True(SuggestionScores.Share(scores, t => t.Top3) >= 0.95, $"top 3: {SuggestionScores.Share(scores, t => t.Top3):P1}");
    }

    [Fact]
    public void On_the_held_out_vocabulary_a_place_the_gazetteer_can_know_is_suggested_first()
    {
        // A locality in an unnamed region needs a gazetteer of localities the policy does not have yet (docs/classification-review.md).
        var scores = SuggestionScores.Score(Suggester, HeldOut).KnowablePlaces(Policy);
        Assert.True(scores.Count >= 25);
        Assert.True(SuggestionScores.Share(scores, t => t.Top1) >= 0.95, $"top 1: {SuggestionScores.Share(scores, t => t.Top1):P1}");
    }

    [Fact]
    public void Every_value_that_is_no_flow_category_or_place_gets_no_good_candidate() =>
        Assert.All(HeldOut.Where(t => t.Expected == HeldOutTerm.None), t =>
            Assert.Equal(ValueReview.NoGoodCandidate, Suggester.Review(t.Country, t.Kind, t.Written).Status));

    [Fact]
    public void A_new_countrys_template_loads_and_maps_the_code_lists_labels_and_its_agreements_bands()
    {
        var copy = RepositoryPolicy.Copy();
        try
        {
            File.WriteAllText(Path.Combine(copy, "mappings", "ARG.yaml"), MappingTemplate.Write(Policy, "ARG", copy, new DateOnly(2026, 12, 7)));
            var loaded = PolicyLoader.Load(copy);
            Assert.Equal("REGULAR_ENTRY", loaded.Category("ARG", "Ingreso regular", new DateOnly(2026, 1, 5), Policy.Places.First(), "_T", "_T")?.Code);
            Assert.Equal("Y18T59", loaded.AgeGroup("ARG", "18 a 59 años"));
            Assert.Equal("F", loaded.Sex("ARG", "Mujer"));
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }
}
