using System.Globalization;
using System.Text.RegularExpressions;

namespace EarlyWarning.Classification.Policy;

/// <summary>An age band in whole years, from <see cref="From"/> to <see cref="To"/> inclusive; no <see cref="To"/> is open-ended.</summary>
internal readonly record struct AgeBand(int From, int? To)
{
    /// <summary>Everyone: the interval of CL_AGE's total.</summary>
    public static readonly AgeBand All = new(0, null);

    public bool Contains(AgeBand other) => From <= other.From && (To is null || (other.To is { } end && end <= To));

    /// <summary>Years covered, open bands counting up to 100, so that a narrower containing band ranks first.</summary>
    public int Width => (To ?? 100) - From + 1;

    public override string ToString() => To is { } end ? $"{From}-{end}" : $"{From}+";

    /// <summary>
    /// The band a CL_AGE code defines by its SDMX id: Y18T59 (18 to 59), Y_GE60 (60 and over), Y_LT18 (under 18),
    /// Y5 (5 exactly) and _T (everyone); null for an id of another shape.
    /// </summary>
    public static AgeBand? OfCode(string id) => id switch
    {
        RegionalPolicy.Total => All,
        _ when Match(CodeRange, id) is { } m => new AgeBand(Int(m, 1), Int(m, 2)),
        _ when Match(CodeAtLeast, id) is { } m => new AgeBand(Int(m, 1), null),
        _ when Match(CodeUnder, id) is { } m && Int(m, 1) > 0 => new AgeBand(0, Int(m, 1) - 1),
        _ when Match(CodeExact, id) is { } m => new AgeBand(Int(m, 1), Int(m, 1)),
        _ => null,
    };

    /// <summary>
    /// The band of an age group as the agreements' generalization writes it: "18-59" or "60+". These are the
    /// project's own writings, so they mean their interval for every country, with or without a table.
    /// </summary>
    public static AgeBand? OfPublished(string written) => Match(PublishedRange, written.Trim()) is { } m
        ? (Int(m, 1) <= Int(m, 2) ? new AgeBand(Int(m, 1), Int(m, 2)) : null)
        : Match(PublishedAtLeast, written.Trim()) is { } o ? new AgeBand(Int(o, 1), null) : null;

    /// <summary>
    /// The band a national writing states in words, in Spanish, Portuguese or English ("30 a 59 años", "de 5 a 11",
    /// "60 años y más", "menores de 18", "65 anos ou mais", "under 5"); null when it states no numbers.
    /// </summary>
    public static AgeBand? OfWritten(string written)
    {
        if (OfPublished(written) is { } published) return published;
        var text = NationalText.Normalize(written);
        if (Match(WrittenRange, text) is { } range && Int(range, 1) <= Int(range, 2)) return new AgeBand(Int(range, 1), Int(range, 2));
        if (Match(WrittenAtLeast, text) is { } atLeast) return new AgeBand(Int(atLeast, 1), null);
        if (Match(WrittenAdults, text) is { } adults) return new AgeBand(Int(adults, 1), null);
        if (Match(WrittenMoreThan, text) is { } more) return new AgeBand(Int(more, 1) + 1, null);
        if (Match(WrittenUnder, text) is { } under && Int(under, 1) > 0) return new AgeBand(0, Int(under, 1) - 1);
        if (Match(WrittenUpTo, text) is { } upTo) return new AgeBand(0, Int(upTo, 1));
        return null;
    }

    private static Match? Match(Regex regex, string text) => regex.Match(text) is { Success: true } m ? m : null;
    private static int Int(Match m, int group) => int.Parse(m.Groups[group].ValueSpan, CultureInfo.InvariantCulture);

    private static readonly Regex CodeRange = new(@"^Y(\d{1,3})T(\d{1,3})$", RegexOptions.CultureInvariant);
    private static readonly Regex CodeAtLeast = new(@"^Y_GE(\d{1,3})$", RegexOptions.CultureInvariant);
    private static readonly Regex CodeUnder = new(@"^Y_LT(\d{1,3})$", RegexOptions.CultureInvariant);
    private static readonly Regex CodeExact = new(@"^Y(\d{1,3})$", RegexOptions.CultureInvariant);
    private static readonly Regex PublishedRange = new(@"^(\d{1,3})-(\d{1,3})$", RegexOptions.CultureInvariant);
    private static readonly Regex PublishedAtLeast = new(@"^(\d{1,3})\+$", RegexOptions.CultureInvariant);

    // On normalized text (lower case, no accents, punctuation folded to spaces): "60+" has become "60".
    private const string Years = @"(?:anos?|years?|yrs?)?";
    private static readonly Regex WrittenRange = new(
        $@"^(?:[a-z ]* )?(?:de |entre |from |dos |of )?(\d{{1,3}})(?: {Years})? (?:(?:a|y|e|to|ate|hasta|and) )?(\d{{1,3}})(?: {Years})?(?: .*)?$", RegexOptions.CultureInvariant);
    private static readonly Regex WrittenAtLeast = new(
        $@"^(?:[a-z ]* )?(?:de )?(\d{{1,3}})(?: {Years})? (?:y|e|o|ou|and|or) (?:mas|over|above|older|mais)(?: .*)?$", RegexOptions.CultureInvariant);
    // "Mayores de 18" is how bulletins write 18 and over (mayor de edad), unlike "más de 60".
    private static readonly Regex WrittenAdults = new($@"^(?:\w+ )?(?:mayores de|maiores de) (\d{{1,3}})(?: {Years})?$", RegexOptions.CultureInvariant);
    private static readonly Regex WrittenMoreThan = new($@"^(?:mas de|over|above|older than|acima de) (\d{{1,3}})(?: {Years})?$", RegexOptions.CultureInvariant);
    private static readonly Regex WrittenUnder = new($@"^(?:\w+ )?(?:menores de|menos de|menor de|menor que|under|below|younger than|abaixo de) (\d{{1,3}})(?: {Years})?$", RegexOptions.CultureInvariant);
    private static readonly Regex WrittenUpTo = new($@"^(?:hasta|ate|up to|0 a) (\d{{1,3}})(?: {Years})?$", RegexOptions.CultureInvariant);
}
