using EarlyWarning.Ingestion.Submissions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EarlyWarning.Ingestion.Agreements;

/// <summary>
/// The record-level columns each publishing country's agreement declares as personal (policy/agreements/
/// &lt;ISO3&gt;.yaml, else default.yaml). Ingestion reads only <c>recordLevel</c>: any other column a
/// submission carries that is not a standard one is refused with its name.
/// </summary>
internal sealed class DeclaredColumns(IReadOnlyDictionary<string, AgreementColumns> byCountry, AgreementColumns fallback)
{
    public AgreementColumns For(string? country) =>
        country is not null && byCountry.TryGetValue(country, out var columns) ? columns with { Patterns = columns.Patterns ?? fallback.Patterns } : fallback;

    /// <summary>Reads and validates every agreement; throws naming the file and field of the first fault.</summary>
    public static DeclaredColumns Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new InvalidOperationException($"Agreements folder '{directory}' does not exist (Ingestion:AgreementsDirectory)");
        var deserializer = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).IgnoreUnmatchedProperties().Build();
        var byCountry = new Dictionary<string, AgreementColumns>(StringComparer.Ordinal);
        AgreementColumns? fallback = null;
        foreach (var path in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileNameWithoutExtension(path);
            var columns = Parse(path, name, deserializer);
            if (name == "default") fallback = columns;
            else byCountry[name] = columns;
        }
        if (fallback is null) throw new InvalidOperationException($"{Path.Combine(directory, "default.yaml")}: the regional default agreement is missing");
        return new DeclaredColumns(byCountry, fallback);
    }

    private static AgreementColumns Parse(string path, string name, IDeserializer deserializer)
    {
        AgreementFile file;
        try
        {
            file = deserializer.Deserialize<AgreementFile>(File.ReadAllText(path)) ?? throw new InvalidOperationException($"{path}: the file is empty");
        }
        catch (YamlException ex)
        {
            throw new InvalidOperationException($"{path}: not valid YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }
        if (name != "default" && (name.Length != 3 || !name.All(char.IsAsciiLetterUpper)))
            throw new InvalidOperationException($"{path}: the file name must be an ISO 3166-1 alpha-3 code or 'default'");
        if (file.Country != name)
            throw new InvalidOperationException($"{path}: field 'country' is '{file.Country}'; it must match the file name ('{name}')");
        if (file.RecordLevel is null)
            throw new InvalidOperationException($"{path}: field 'recordLevel' is missing");
        var declared = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        Add("recordLevel.identifiers", file.RecordLevel.Identifiers);
        Add("recordLevel.quasiIdentifiers", file.RecordLevel.QuasiIdentifiers);
        return new AgreementColumns(file.Id ?? name, declared.Keys.ToHashSet(StringComparer.OrdinalIgnoreCase))
        {
            Patterns = file.RecordLevel.PersonalDataPatterns?.Select((p, i) => PersonalDataPattern.Parse(path, $"recordLevel.personalDataPatterns[{i}]", p.Name, p.Pattern)).ToList(),
        };

        void Add(string field, List<string?>? names)
        {
            for (var i = 0; i < (names?.Count ?? 0); i++)
            {
                var column = names![i]?.Trim();
                if (string.IsNullOrEmpty(column) || column.Length > 100 || !column.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
                    throw new InvalidOperationException($"{path}: field '{field}[{i}]' ('{names[i]}') must be a column name of letters, digits and '_'");
                if (StandardColumns.IsStandard(column))
                    throw new InvalidOperationException($"{path}: field '{field}[{i}]' declares the standard column '{column}' as personal");
                if (!declared.TryAdd(column, field))
                    throw new InvalidOperationException($"{path}: field '{field}[{i}]' declares '{column}' a second time");
            }
        }
    }

    private sealed class AgreementFile
    {
        public string? Id { get; set; }
        public string? Country { get; set; }
        public RecordLevelSection? RecordLevel { get; set; }
    }

    private sealed class RecordLevelSection
    {
        public List<string?>? Identifiers { get; set; }
        public List<string?>? QuasiIdentifiers { get; set; }
        public List<PatternSection>? PersonalDataPatterns { get; set; }
    }

    private sealed class PatternSection
    {
        public string? Name { get; set; }
        public string? Pattern { get; set; }
    }
}

/// <summary>The personal columns one agreement declares (names compared without regard to case).</summary>
internal sealed record AgreementColumns(string AgreementId, IReadOnlySet<string> Personal)
{
    /// <summary>Shapes of personal data refused in free-text fields; null: the regional default's.</summary>
    public IReadOnlyList<PersonalDataPattern>? Patterns { get; init; }
}
