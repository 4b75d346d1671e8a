using System.ComponentModel.DataAnnotations;
using EarlyWarning.Classification.Mapping;

namespace EarlyWarning.Classification;

internal sealed class ClassificationOptions
{
    public const string Section = "Classification";

    /// <summary>The policy folder (codelists/, places/, mappings/). Empty: the nearest policy/ folder above the service's binaries.</summary>
    public string? PolicyDirectory { get; set; }

    /// <summary>What happens to a cell whose place the gazetteer does not list.</summary>
    [EnumDataType(typeof(UnlistedPlaces))]
    public UnlistedPlaces UnlistedPlaces { get; set; } = UnlistedPlaces.Hold;
}
