namespace EarlyWarning.Anonymization.Agreements;

/// <summary>Where the agreement files are: policy/agreements beside the service (copied at build) unless configured.</summary>
public sealed class AgreementsOptions
{
    public const string Section = "Agreements";

    public string Directory { get; set; } = Path.Combine(AppContext.BaseDirectory, "policy", "agreements");
}

/// <summary>The agreements in force: one per publishing country, and the regional default for the others.</summary>
public sealed class AgreementCatalog
{
    private readonly IReadOnlyDictionary<string, Agreement> _byCountry;

    public AgreementCatalog(IEnumerable<Agreement> agreements)
    {
        _byCountry = agreements.ToDictionary(a => a.Country, StringComparer.OrdinalIgnoreCase);
        Default = _byCountry.TryGetValue("default", out var fallback)
            ? fallback
            : throw new InvalidAgreementException("default.yaml", "(file)", "the regional default agreement is missing");
    }

    public Agreement Default { get; }

    public IEnumerable<Agreement> All => _byCountry.Values;

    public Agreement For(string country) => _byCountry.GetValueOrDefault(country) ?? Default;

    /// <summary>Reads and validates every *.yaml of the directory; the first invalid one stops everything.</summary>
    public static AgreementCatalog Load(string directory, Func<string, string?> environment)
    {
        if (!System.IO.Directory.Exists(directory))
            throw new InvalidAgreementException(directory, "Agreements:Directory", "the agreements directory does not exist");
        return new AgreementCatalog(System.IO.Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal)
            .Select(f => AgreementFile.Load(f, environment)));
    }
}
