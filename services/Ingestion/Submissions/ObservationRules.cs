using System.Globalization;
using System.Text.RegularExpressions;
using EarlyWarning.Contracts;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>The checks every row passes whatever its format, and the normalisation of its fields.</summary>
internal static partial class ObservationRules
{
    public const int MaximumErrors = 100;
    private static readonly string[] Sexes = ["F", "M"];

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CountryCode();

    [GeneratedRegex(@"^(\d{4})-W(\d{2})$")]
    private static partial Regex IsoWeek();

    public static bool IsCountryCode(string? value) => value is not null && CountryCode().IsMatch(value);

    /// <summary>
    /// Reads a period as an ISO date or an ISO week (2024-W05) and returns the Monday of its ISO week:
    /// series are weekly, so every date of a week lands on one period.
    /// </summary>
    public static bool TryParsePeriod(string value, out DateOnly monday)
    {
        monday = default;
        var week = IsoWeek().Match(value);
        if (week.Success)
        {
            var year = int.Parse(week.Groups[1].Value, CultureInfo.InvariantCulture);
            var number = int.Parse(week.Groups[2].Value, CultureInfo.InvariantCulture);
            if (year < 1900 || number < 1 || number > ISOWeek.GetWeeksInYear(year)) return false;
            monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, number, DayOfWeek.Monday));
            return true;
        }
        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return false;
        monday = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
        return true;
    }

    /// <summary>Builds a row from its text fields, adding an error for each field that is wrong.</summary>
    public static RawObservation? Build(
        int line, string? period, string? borderPoint, string? nationality, string? category,
        string? sex, string? ageGroup, string? count, IReadOnlyDictionary<string, string>? personal,
        List<SubmissionError> errors)
    {
        var before = errors.Count;
        DateOnly monday = default;
        if (string.IsNullOrWhiteSpace(period)) errors.Add(new(line, "period", "is required"));
        else if (!TryParsePeriod(period.Trim(), out monday))
            errors.Add(new(line, "period", $"'{period}' is not a date (yyyy-MM-dd) or an ISO week (yyyy-Www)"));
        Require(line, "border_point", borderPoint, errors);
        Require(line, "nationality", nationality, errors);
        Require(line, "category", category, errors);
        var normalizedSex = string.IsNullOrWhiteSpace(sex) ? null : sex.Trim().ToUpperInvariant();
        if (normalizedSex is not null && !Sexes.Contains(normalizedSex))
            errors.Add(new(line, "sex", $"'{sex}' is not F, M or empty"));
        long value = 0;
        if (string.IsNullOrWhiteSpace(count)) errors.Add(new(line, "count", "is required"));
        else if (!long.TryParse(count.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out value))
            errors.Add(new(line, "count", $"'{count}' is not a non-negative whole number"));
        if (errors.Count > before) return null;
        return new RawObservation(line, monday, borderPoint!.Trim(), nationality!.Trim(), category!.Trim(),
            normalizedSex, string.IsNullOrWhiteSpace(ageGroup) ? null : ageGroup.Trim(), value,
            personal is { Count: > 0 } ? personal : null);
    }

    /// <summary>Two rows for the same cell would make the count ambiguous; the second is rejected, naming the first.</summary>
    public static void RejectDuplicateCells(IEnumerable<RawObservation> rows, List<SubmissionError> errors)
    {
        var seen = new Dictionary<(DateOnly, string, string, string, string?, string?), int>();
        foreach (var row in rows)
        {
            var key = (row.Period, row.BorderPoint.ToUpperInvariant(), row.Nationality.ToUpperInvariant(),
                row.Category.ToUpperInvariant(), row.Sex, row.AgeGroup?.ToUpperInvariant());
            if (seen.TryGetValue(key, out var first))
                errors.Add(new(row.Line, "count", $"duplicates the cell of line {first} (same period, border point, nationality, category, sex and age group)"));
            else seen[key] = row.Line;
        }
    }

    private static void Require(int line, string field, string? value, List<SubmissionError> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new(line, field, "is required"));
    }
}
