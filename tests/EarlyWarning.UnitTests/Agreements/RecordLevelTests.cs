using EarlyWarning.Anonymization.Agreements;
using EarlyWarning.Contracts;

namespace EarlyWarning.UnitTests.Agreements;

public sealed class RecordLevelTests
{
    private static readonly PseudonymKey ChileKey = new("chl-2026-1", "chile-secret-of-at-least-thirty-two-characters"u8.ToArray());
    private static readonly PseudonymKey PeruKey = new("per-2026-1", "peru-secret-of-at-least-thirty-two-characters!"u8.ToArray());

    private static Agreement Chile => TestAgreements.Threshold(5) with
    {
        Id = "AGR-CHL",
        RecordLevel = new RecordLevelPolicy(["document_number", "full_name"], ["birth_date", "age"], ChileKey),
        Generalization = new Generalization(new Dictionary<string, string>(), [new AgeBand("0-17", 0, 17), new AgeBand("18-59", 18, 59), new AgeBand("60+", 60, int.MaxValue)]),
    };

    private static RawObservation Person(int line, string document, string birth) =>
        new(line, new DateOnly(2025, 10, 13), "Colchane", "venezolana", "Ingreso por paso no habilitado", "F", null, 1,
            new Dictionary<string, string> { ["document_number"] = document, ["full_name"] = "Ana Pérez", ["birth_date"] = birth });

    [Fact]
    public void Birth_dates_become_the_agreement_age_band_at_the_period_and_no_personal_value_is_kept()
    {
        var prepared = RecordLevel.Prepare([Person(1, "V123", "2010-10-14"), Person(2, "V456", "2007-10-13")], Chile);

        Assert.Equal(["0-17", "18-59"], prepared.Cells.Select(c => c.AgeGroup));
        Assert.Equal(6, prepared.PersonalFieldsRemoved);
        Assert.Equal(2, prepared.QuasiIdentifiersGeneralized);
        Assert.DoesNotContain(prepared.Cells, c => c.ToString().Contains("V123") || c.ToString().Contains("Ana") || c.ToString().Contains("2010"));
    }

    [Fact]
    public void A_sex_or_age_group_written_as_the_total_code_is_a_cell_not_broken_down_by_it()
    {
        var total = new RawObservation(1, new DateOnly(2025, 10, 13), "Colchane", "venezolana", "Ingreso regular", "F", "_T", 12, null);
        var both = total with { Line = 2, Sex = " _t", AgeGroup = "18-59" };

        var prepared = RecordLevel.Prepare([total, both], Chile);

        Assert.Equal([("F", (string?)null), (null, "18-59")], prepared.Cells.Select(c => (c.Sex, c.AgeGroup)));
        var release = TableReleaser.Apply(Chile, prepared.Cells, new Dictionary<CellKey, long[]>());
        Assert.Equal(release.Cells.Count, release.Cells.Select(c => c.Key).Distinct().Count());
    }

    [Fact]
    public void A_pseudonym_counts_the_same_person_once_and_never_shows_the_document_number()
    {
        var prepared = RecordLevel.Prepare([Person(1, "V123", "1990-01-01"), Person(2, " v123 ", "1990-01-01"), Person(3, "V456", "1990-01-01")], Chile);

        Assert.Equal(2, prepared.Pseudonyms.Distinct().Count());
        Assert.All(prepared.Pseudonyms, p => Assert.DoesNotContain("V123", p, StringComparison.OrdinalIgnoreCase));
        Assert.All(prepared.Pseudonyms, p => Assert.StartsWith("chl-2026-1:", p));
    }

    [Fact]
    public void Two_agreements_give_the_same_person_unlinkable_pseudonyms_and_a_rotated_key_gives_new_ones()
    {
        var chile = RecordLevel.Pseudonym("AGR-CHL", ChileKey, "document_number", "V123");
        var peru = RecordLevel.Pseudonym("AGR-PER", PeruKey, "document_number", "V123");
        var sameSecretOtherAgreement = RecordLevel.Pseudonym("AGR-PER", ChileKey, "document_number", "V123");
        var rotated = RecordLevel.Pseudonym("AGR-CHL", ChileKey with { KeyId = "chl-2026-2" }, "document_number", "V123");

        Assert.Equal(chile, RecordLevel.Pseudonym("AGR-CHL", ChileKey, "document_number", "V123"));
        Assert.Equal(4, new[] { chile, peru, sameSecretOtherAgreement, rotated }.Select(p => p.Split(':')[1]).Distinct().Count());
    }
}
