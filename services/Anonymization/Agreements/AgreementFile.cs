using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EarlyWarning.Anonymization.Agreements;

/// <summary>An agreement file that cannot be applied; the message names the file and the field.</summary>
public sealed class InvalidAgreementException(string file, string field, string reason)
    : Exception($"{file}: {field}: {reason}")
{
    public string File { get; } = file;
    public string Field { get; } = field;
}

/// <summary>
/// Reads and validates one agreement file (policy/agreements/*.yaml). Everything is checked before the
/// service takes any message: a typo must stop it, never silently weaken protection.
/// </summary>
internal static partial class AgreementFile
{
    private static readonly IDeserializer Yaml = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .Build();

    public static Agreement Load(string path, Func<string, string?> environment)
    {
        var name = Path.GetFileName(path);
        var bytes = File.ReadAllBytes(path);
        Document document;
        try
        {
            document = Yaml.Deserialize<Document?>(new StringReader(System.Text.Encoding.UTF8.GetString(bytes)))
                ?? throw new InvalidAgreementException(name, "(file)", "is empty");
        }
        catch (YamlException e)
        {
            // YamlDotNet names the key it did not expect and where; the inner exception says why.
            throw new InvalidAgreementException(name, $"line {e.Start.Line}", (e.InnerException ?? e).Message);
        }
        return Validate(name, document, Convert.ToHexStringLower(SHA256.HashData(bytes)), environment);
    }

    private static Agreement Validate(string file, Document d, string sha256, Func<string, string?> environment)
    {
        void Fail(string field, string reason) => throw new InvalidAgreementException(file, field, reason);

        if (string.IsNullOrWhiteSpace(d.Id)) Fail("id", "is required");
        var expectedCountry = Path.GetFileNameWithoutExtension(file);
        if (d.Country != expectedCountry) Fail("country", $"must be '{expectedCountry}', as the file is named (got '{d.Country}')");
        if (d.Country != "default" && !Iso3().IsMatch(d.Country ?? "")) Fail("country", $"'{d.Country}' is not an ISO 3166-1 alpha-3 code");
        if (d.Version is not >= 1) Fail("version", $"must be a whole number of at least 1 (got '{d.Version}')");
        if (!DateOnly.TryParseExact(d.EffectiveFrom, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var effectiveFrom))
            Fail("effectiveFrom", $"'{d.EffectiveFrom}' is not a date (yyyy-MM-dd)");

        if (d.RecordLevel is null) Fail("recordLevel", "is required (identifiers and quasiIdentifiers, possibly empty)");
        var identifiers = d.RecordLevel!.Identifiers ?? [];
        var quasi = d.RecordLevel.QuasiIdentifiers ?? [];
        if (identifiers.Concat(quasi).FirstOrDefault(string.IsNullOrWhiteSpace) is not null) Fail("recordLevel", "a column name is empty");
        if (identifiers.Intersect(quasi).FirstOrDefault() is { } both) Fail("recordLevel.quasiIdentifiers", $"'{both}' is also an identifier");
        PseudonymKey? pseudonym = null;
        if (d.RecordLevel.Pseudonym is { } p)
        {
            if (string.IsNullOrWhiteSpace(p.KeyId)) Fail("recordLevel.pseudonym.keyId", "is required");
            if ((p.SecretEnvironmentVariable is null) == (p.SecretFile is null))
                Fail("recordLevel.pseudonym", "give exactly one of secretEnvironmentVariable and secretFile");
            var secret = p.SecretEnvironmentVariable is { } variable
                ? environment(variable)
                : File.Exists(p.SecretFile) ? File.ReadAllText(p.SecretFile!).Trim() : null;
            var field = p.SecretEnvironmentVariable is not null ? "recordLevel.pseudonym.secretEnvironmentVariable" : "recordLevel.pseudonym.secretFile";
            if (secret is null) Fail(field, $"'{p.SecretEnvironmentVariable ?? p.SecretFile}' is not set");
            // A short key can be brute-forced as easily as an unkeyed hash of a document number.
            if (secret!.Length < 32) Fail(field, "the secret must be at least 32 characters");
            if (ServiceDefaults.Placeholders.Is(secret)) Fail(field, "the secret is an example file's placeholder; set a random one");
            pseudonym = new PseudonymKey(p.KeyId!, System.Text.Encoding.UTF8.GetBytes(secret));
        }

        var ageGroups = d.Generalization?.AgeGroups ?? [];
        var bands = new List<AgeBand>();
        foreach (var (band, i) in (d.Generalization?.AgeBands ?? []).Select((b, i) => (b, i)))
        {
            var m = AgeBandPattern().Match(band ?? "");
            if (!m.Success) Fail($"generalization.ageBands[{i}]", $"'{band}' is not a band such as 0-17 or 60+");
            var from = int.Parse(m.Groups["from"].Value, CultureInfo.InvariantCulture);
            var to = m.Groups["to"].Success ? int.Parse(m.Groups["to"].Value, CultureInfo.InvariantCulture) : int.MaxValue;
            if (to < from || bands.Any(b => from <= b.To && to >= b.From)) Fail($"generalization.ageBands[{i}]", $"'{band}' is empty or overlaps another band");
            bands.Add(new AgeBand(band!, from, to));
        }

        var period = (d.Generalization?.Period ?? "week") switch
        {
            "week" => PeriodLevel.Week,
            "month" => PeriodLevel.Month,
            var other => throw new InvalidAgreementException(file, "generalization.period", $"must be week or month (got '{other}')"),
        };
        var places = PlaceLevel.AsSubmitted;
        var regions = new Dictionary<string, string>();
        if (d.Generalization?.BorderPoints is { } bp)
        {
            places = bp.To switch
            {
                "asSubmitted" => PlaceLevel.AsSubmitted,
                "region" => PlaceLevel.Region,
                "country" => PlaceLevel.Country,
                var other => throw new InvalidAgreementException(file, "generalization.borderPoints.to", $"must be asSubmitted, region or country (got '{other}')"),
            };
            if ((places == PlaceLevel.Region) != (bp.Regions is { Count: > 0 }))
                Fail("generalization.borderPoints.regions", "list the points of each region exactly when the border points go to their region");
            foreach (var (region, points) in bp.Regions ?? [])
            {
                var at = $"generalization.borderPoints.regions.{region}";
                if (!Iso3166Part2().IsMatch(region ?? "")) Fail(at, $"'{region}' is not an ISO 3166-2 region code such as BR-RR");
                if (points is not { Count: > 0 }) Fail(at, "at least one border point is required");
                foreach (var point in points!)
                {
                    var key = Generalization.PlaceKey(point ?? "");
                    if (key.Length == 0) Fail(at, "a border point name is empty");
                    if (!regions.TryAdd(key, region!)) Fail(at, $"'{point}' is already placed in {regions[key]}");
                }
            }
        }
        int? rareBelow = null;
        if (d.Generalization?.RareNationalities is { } rare)
        {
            // Below 2 nothing would ever be grouped: a typo that silently turns the rule off.
            if (rare.Below is not >= 2) Fail("generalization.rareNationalities.below", $"must be a whole number of at least 2 (got '{rare.Below}')");
            rareBelow = rare.Below;
        }

        if (d.Published is not { Count: > 0 }) Fail("published", "at least the series table is required");
        var tables = new List<PublishedTable>();
        for (var i = 0; i < d.Published!.Count; i++)
        {
            var t = d.Published[i];
            var at = $"published[{i}]";
            if (string.IsNullOrWhiteSpace(t.Table)) Fail($"{at}.table", "a name is required");
            if (tables.Any(x => x.Name == t.Table)) Fail($"{at}.table", $"'{t.Table}' is listed twice");
            var dimensions = t.Dimensions ?? [];
            foreach (var required in SeriesDimensions.Where(r => !dimensions.Contains(r)))
                Fail($"{at}.dimensions", $"every table keeps {string.Join(", ", SeriesDimensions)} (the series); '{required}' is missing");
            var breakdown = Breakdown.None;
            foreach (var dimension in dimensions.Except(SeriesDimensions))
                breakdown |= dimension switch
                {
                    "sex" => Breakdown.Sex,
                    "ageGroup" => Breakdown.AgeGroup,
                    _ => throw new InvalidAgreementException(file, $"{at}.dimensions", $"'{dimension}' is not a dimension (borderPoint, nationality, category, sex, ageGroup)"),
                };
            if (tables.Any(x => x.Breakdown == breakdown)) Fail($"{at}.dimensions", "another table has the same dimensions");
            tables.Add(new PublishedTable(t.Table!, breakdown, Rule(t.Disclosure, $"{at}.disclosure")));
        }
        if (tables.All(t => t.Breakdown != Breakdown.None))
            Fail("published", $"a table of exactly {string.Join(", ", SeriesDimensions)} (the series totals Alerting judges) is required");
        if (d.Revisions != "holdSmallChanges") Fail("revisions", $"must be holdSmallChanges, the only rule implemented (got '{d.Revisions}')");

        return new Agreement(d.Id!, d.Country!, d.Version!.Value, effectiveFrom, new RecordLevelPolicy(identifiers, quasi, pseudonym),
            new Generalization(ageGroups, bands) { Period = period, BorderPoints = places, Regions = regions, RareNationalitiesBelow = rareBelow },
            tables, file, sha256);

        DisclosureRule Rule(DisclosureDocument? rule, string at)
        {
            if (rule is null || (rule.Threshold is null) == (rule.Rounding is null)) Fail(at, "give exactly one of threshold and rounding");
            if (rule!.Threshold is { } k)
            {
                if (k < 2) Fail($"{at}.threshold", $"k must be at least 2, or nothing is protected (got {k})");
                return new ThresholdRule(k);
            }
            var r = rule.Rounding!;
            if (r.Base is not >= 2) Fail($"{at}.rounding.base", $"must be at least 2 (got '{r.Base}')");
            if (r.Method is not ("random" or "deterministic")) Fail($"{at}.rounding.method", $"must be random or deterministic (got '{r.Method}')");
            return new RoundingRule(r.Base!.Value, r.Method == "random");
        }
    }

    private static readonly string[] SeriesDimensions = ["borderPoint", "nationality", "category"];

    [GeneratedRegex("^[A-Z]{3}$")] private static partial Regex Iso3();
    [GeneratedRegex("^[A-Z]{2}-[A-Z0-9]{1,3}$")] private static partial Regex Iso3166Part2();
    [GeneratedRegex(@"^(?<from>\d{1,3})(-(?<to>\d{1,3})|\+)$")] private static partial Regex AgeBandPattern();

    // The file's shape, for YamlDotNet; unknown keys are refused by the deserializer.
    private sealed class Document
    {
        public string? Id { get; set; }
        public string? Country { get; set; }
        public int? Version { get; set; }
        public string? EffectiveFrom { get; set; }
        public RecordLevelDocument? RecordLevel { get; set; }
        public GeneralizationDocument? Generalization { get; set; }
        public List<TableDocument>? Published { get; set; }
        public string? Revisions { get; set; }
    }

    private sealed class RecordLevelDocument
    {
        public List<string>? Identifiers { get; set; }
        public List<string>? QuasiIdentifiers { get; set; }
        public PseudonymDocument? Pseudonym { get; set; }
        /// <summary>Checked by Ingestion, in the country, before anything is stored (Ingestion's DeclaredColumns).</summary>
        public List<Dictionary<string, string>>? PersonalDataPatterns { get; set; }
    }

    private sealed class PseudonymDocument
    {
        public string? KeyId { get; set; }
        public string? SecretEnvironmentVariable { get; set; }
        public string? SecretFile { get; set; }
    }

    private sealed class GeneralizationDocument
    {
        public Dictionary<string, string>? AgeGroups { get; set; }
        public List<string>? AgeBands { get; set; }
        public string? Period { get; set; }
        public BorderPointsDocument? BorderPoints { get; set; }
        public RareNationalitiesDocument? RareNationalities { get; set; }
    }

    private sealed class BorderPointsDocument
    {
        public string? To { get; set; }
        public Dictionary<string, List<string?>?>? Regions { get; set; }
    }

    private sealed class RareNationalitiesDocument
    {
        public int? Below { get; set; }
    }

    private sealed class TableDocument
    {
        public string? Table { get; set; }
        public List<string>? Dimensions { get; set; }
        public DisclosureDocument? Disclosure { get; set; }
    }

    private sealed class DisclosureDocument
    {
        public int? Threshold { get; set; }
        public RoundingDocument? Rounding { get; set; }
    }

    private sealed class RoundingDocument
    {
        public int? Base { get; set; }
        public string? Method { get; set; }
    }
}
