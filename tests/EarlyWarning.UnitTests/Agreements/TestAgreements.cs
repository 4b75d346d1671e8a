using EarlyWarning.Anonymization.Agreements;

namespace EarlyWarning.UnitTests.Agreements;

internal static class TestAgreements
{
    public static readonly GroupKey Group = new(new DateOnly(2025, 10, 13), "Colchane", "venezolana", "Ingreso por paso no habilitado");

    public static Agreement With(params PublishedTable[] tables) =>
        new("AGR-TEST", "CHL", 1, new DateOnly(2026, 1, 1), new RecordLevelPolicy([], [], null), Generalization.None, tables, "CHL.yaml", "");

    public static PublishedTable Series(DisclosureRule rule) => new("series", Breakdown.None, rule);
    public static PublishedTable BySex(DisclosureRule rule) => new("bySex", Breakdown.Sex, rule);
    public static PublishedTable ByAge(DisclosureRule rule) => new("byAge", Breakdown.AgeGroup, rule);
    public static PublishedTable BySexAndAge(DisclosureRule rule) => new("bySexAndAge", Breakdown.Sex | Breakdown.AgeGroup, rule);

    /// <summary>The usual agreement: series totals, by sex and by age, all under the threshold rule with k.</summary>
    public static Agreement Threshold(int k) => With(Series(new ThresholdRule(k)), BySex(new ThresholdRule(k)), ByAge(new ThresholdRule(k)));

    public static SourceCell Cell(string? sex, string? age, long count, GroupKey? group = null, int line = 1) =>
        new(group ?? Group, sex, age, count, line);

    public static Dictionary<CellKey, long[]> NothingReleased => [];
}
