using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EarlyWarning.Contracts;

namespace EarlyWarning.Anonymization.Agreements;

/// <summary>A batch reduced to what may be kept: table cells, how many personal values were removed, and pseudonyms to count persons.</summary>
public sealed record PreparedBatch(IReadOnlyList<SourceCell> Cells, int PersonalFieldsRemoved, int QuasiIdentifiersGeneralized, IReadOnlyList<string> Pseudonyms);

/// <summary>
/// Turns submitted rows into table cells under the agreement. Identifiers are dropped (or, when the agreement
/// keeps a pseudonym, turned into one that only counts distinct persons and never leaves the country);
/// quasi-identifiers are generalized (an exact age or birth date becomes the agreement's age band) and then
/// dropped; the threshold rule on the published tables then makes every released combination count at
/// least k persons or be suppressed. Pure.
/// </summary>
public static class RecordLevel
{
    public static PreparedBatch Prepare(IReadOnlyList<RawObservation> rows, Agreement agreement)
    {
        var cells = new SourceCell[rows.Count];
        int removed = 0, generalized = 0;
        var pseudonyms = new List<string>();
        var policy = agreement.RecordLevel;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            // A dimension written as its total (_T) is not broken down: it must not become a breakdown cell named like a total.
            var age = Total.Is(row.AgeGroup) ? null : row.AgeGroup;
            var sex = Total.Is(row.Sex) ? null : row.Sex;
            if (row.PersonalFields is { Count: > 0 } personal)
            {
                removed += personal.Count;
                if (age is null && ExactAge(personal, row.Period) is { } years && agreement.Generalization.BandOf(years) is { } band)
                {
                    age = band;
                    generalized++;
                }
                if (policy.Pseudonym is { } key && policy.Identifiers.FirstOrDefault(id => !string.IsNullOrWhiteSpace(personal.GetValueOrDefault(id))) is { } identifier)
                    pseudonyms.Add(Pseudonym(agreement.Id, key, identifier, personal[identifier]));
            }
            cells[i] = new SourceCell(new GroupKey(row.Period, row.BorderPoint, row.Nationality, row.Category), sex, age, row.Count, row.Line)
            {
                Version = row.Version,
                Deleted = row.Deleted,
                Confidential = row.Confidential,
            };
        }
        return new PreparedBatch(cells, removed, generalized, pseudonyms);
    }

    /// <summary>
    /// HMAC-SHA256 under the agreement's secret, over the agreement id, the key id and the normalized identifier:
    /// without the secret it cannot be recomputed from a guessed document number, and two agreements (different
    /// secrets and ids) give the same person unrelated pseudonyms.
    /// </summary>
    public static string Pseudonym(string agreementId, PseudonymKey key, string identifier, string value)
    {
        var message = Encoding.UTF8.GetBytes($"{agreementId}\n{key.KeyId}\n{identifier}\n{value.Trim().ToUpperInvariant()}");
        return key.KeyId + ":" + Convert.ToHexStringLower(HMACSHA256.HashData(key.Secret, message));
    }

    private static int? ExactAge(IReadOnlyDictionary<string, string> personal, DateOnly at)
    {
        if (personal.TryGetValue("age", out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var age)) return age;
        if (personal.TryGetValue("birth_date", out var birth) && DateOnly.TryParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var born) && born <= at)
            return at.Year - born.Year - (at < born.AddYears(at.Year - born.Year) ? 1 : 0);
        return null;
    }
}
