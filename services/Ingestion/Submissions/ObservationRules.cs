using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EarlyWarning.Contracts;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>What a row's fields may be, whatever the format: the limits in force and the day they are judged on.</summary>
internal sealed record RowRules(int MaximumFieldLength, long MaximumCount, DateOnly EarliestPeriod, DateOnly LatestPeriod)
{
    /// <summary>Shapes of personal data the publishing country's agreement refuses in free-text fields.</summary>
    public IReadOnlyList<Agreements.PersonalDataPattern> PersonalData { get; init; } = [];

    public static RowRules From(SubmissionLimits limits, DateOnly today) =>
        new(limits.MaximumFieldLength, limits.MaximumCount, limits.EarliestPeriod, today.AddDays(7));
}

/// <summary>The checks every row passes whatever its format, and the normalisation of its fields.</summary>
internal static partial class ObservationRules
{
    public const int MaximumErrors = 100;
    private static readonly string[] Sexes = ["F", "M"];

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CountryCode();

    // [0-9], not \d: \d matches every Unicode digit, and the numbers are then parsed as ASCII.
    [GeneratedRegex("^([0-9]{4})-W([0-9]{2})$")]
    private static partial Regex IsoWeek();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex IsoDate();

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
            if (year < 1900 || year > 9998 || number < 1 || number > ISOWeek.GetWeeksInYear(year)) return false;
            monday = DateOnly.FromDateTime(ISOWeek.ToDateTime(year, number, DayOfWeek.Monday));
            return true;
        }
        if (!IsoDate().IsMatch(value)
            || !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            || date.Year < 1900) return false;
        monday = date.AddDays(-(((int)date.DayOfWeek + 6) % 7));
        return true;
    }

    /// <summary>
    /// Why a text field cannot be carried, or null when it can: too long, or a character no downstream key,
    /// format or reader should have to handle (controls, invisible formatting, unpaired surrogates, unassigned
    /// or private code points, and U+FFFD, which only appears where bytes were decoded with the wrong charset).
    /// </summary>
    public static string? TextProblem(string value, int maximumLength)
    {
        if (value.Length > maximumLength) return $"is {value.Length} characters long; at most {maximumLength} are allowed";
        var span = value.AsSpan();
        while (!span.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(span, out var rune, out var used) != System.Buffers.OperationStatus.Done)
                return "contains an unpaired surrogate (not a Unicode character)";
            span = span[used..];
            if (rune.Value == 0xFFFD) return "contains U+FFFD (a replacement character: the text was decoded with the wrong charset before it was sent)";
            var kind = Rune.GetUnicodeCategory(rune) switch
            {
                UnicodeCategory.Control => "the control character",
                UnicodeCategory.Format => "the invisible formatting character",
                UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => "the line break",
                UnicodeCategory.PrivateUse => "the private-use character",
                UnicodeCategory.OtherNotAssigned => "the unassigned code point",
                _ => null,
            };
            if (kind is not null) return $"contains {kind} U+{rune.Value:X4}";
        }
        return null;
    }

    /// <summary>Builds a row from its text fields, adding an error for each field that is wrong.</summary>
    public static RawObservation? Build(
        int line, RowRules rules, string? period, string? borderPoint, string? nationality, string? category,
        string? sex, string? ageGroup, string? count, IReadOnlyDictionary<string, string>? personal,
        List<SubmissionError> errors)
    {
        var before = errors.Count;
        DateOnly monday = default;
        if (string.IsNullOrWhiteSpace(period)) errors.Add(new(line, "period", "is required"));
        else if (TextProblem(period, rules.MaximumFieldLength) is { } periodProblem) errors.Add(new(line, "period", periodProblem));
        else if (!TryParsePeriod(period.Trim(), out monday))
            errors.Add(new(line, "period", $"'{period}' is not a date (yyyy-MM-dd) or an ISO week (yyyy-Www) in ASCII digits"));
        else if (monday < rules.EarliestPeriod.AddDays(-6) || monday > rules.LatestPeriod)
            errors.Add(new(line, "period", $"'{period}' is outside the accepted range ({rules.EarliestPeriod:yyyy-MM-dd} to one week from today, {rules.LatestPeriod:yyyy-MM-dd})"));
        Require(line, "border_point", borderPoint, rules, errors);
        Require(line, "nationality", nationality, rules, errors);
        Require(line, "category", category, rules, errors);
        if (ageGroup is not null && TextProblem(ageGroup, rules.MaximumFieldLength) is { } ageProblem)
            errors.Add(new(line, "age_group", ageProblem));
        PersonalData(line, rules, errors, ("border_point", borderPoint), ("nationality", nationality), ("category", category), ("age_group", ageGroup));
        // SDMX's total code (_T) is "not broken down by this dimension", like an empty field: a national cell that is a
        // total is then the same cell however it is written, and never a breakdown cell named like a published total.
        var normalizedSex = string.IsNullOrWhiteSpace(sex) || IsTotal(sex) ? null : sex.Trim().ToUpperInvariant();
        if (normalizedSex is not null && !Sexes.Contains(normalizedSex))
            errors.Add(new(line, "sex", $"'{Shorten(sex!)}' is not F, M, _T (total) or empty"));
        long value = 0;
        if (string.IsNullOrWhiteSpace(count)) errors.Add(new(line, "count", "is required"));
        else if (count.Trim() is var digits && (digits.Length > 19 || !digits.All(char.IsAsciiDigit)
                 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value)))
            errors.Add(new(line, "count", $"'{Shorten(count)}' is not a non-negative whole number in ASCII digits"));
        else if (value > rules.MaximumCount)
            errors.Add(new(line, "count", $"{value} is above the largest count accepted for one cell ({rules.MaximumCount})"));
        if (personal is not null)
            foreach (var (name, text) in personal)
                if (TextProblem(text, rules.MaximumFieldLength) is { } problem) errors.Add(new(line, name, problem));
        if (errors.Count > before) return null;
        return new RawObservation(line, monday, borderPoint!.Trim(), nationality!.Trim(), category!.Trim(),
            normalizedSex, string.IsNullOrWhiteSpace(ageGroup) || IsTotal(ageGroup) ? null : ageGroup.Trim(), value,
            personal is { Count: > 0 } ? personal : null);
    }

    /// <summary>Refuses a free-text field with a shape of personal data, without repeating the value (it may be one).</summary>
    private static void PersonalData(int line, RowRules rules, List<SubmissionError> errors, params (string Field, string? Value)[] fields)
    {
        foreach (var (field, value) in fields)
            if (value is not null && rules.PersonalData.FirstOrDefault(p => p.Regex.IsMatch(value)) is { } pattern)
                errors.Add(new(line, field, $"looks like personal data ({pattern.Name}); personal data may only be sent in the record-level columns the agreement declares"));
    }

    private static bool IsTotal(string value) => value.Trim().Equals("_T", StringComparison.OrdinalIgnoreCase);

    /// <summary>Two rows for the same cell would make the count ambiguous; the second is rejected, naming the first.</summary>
    public static void RejectDuplicateCells(IEnumerable<RawObservation> rows, List<SubmissionError> errors)
    {
        var seen = new Dictionary<(DateOnly, string, string, string, string?, string?), int>();
        foreach (var row in rows)
        {
            var key = (row.Period, row.BorderPoint.ToUpperInvariant(), row.Nationality.ToUpperInvariant(),
                row.Category.ToUpperInvariant(), row.Sex, row.AgeGroup?.ToUpperInvariant());
            if (seen.TryGetValue(key, out var first))
            {
                errors.Add(new(row.Line, "count", $"duplicates the cell of line {first} (same period, border point, nationality, category, sex and age group)"));
                if (errors.Count >= MaximumErrors) return;
            }
            else seen[key] = row.Line;
        }
    }

    /// <summary>Values quoted back in errors are cut, so an error list never grows with a hostile field.</summary>
    public static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private static void Require(int line, string field, string? value, RowRules rules, List<SubmissionError> errors)
    {
        if (string.IsNullOrWhiteSpace(value)) errors.Add(new(line, field, "is required"));
        else if (TextProblem(value, rules.MaximumFieldLength) is { } problem) errors.Add(new(line, field, problem));
    }
}
