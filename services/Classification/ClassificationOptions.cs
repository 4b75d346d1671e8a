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

    /// <summary>Cells per page of /api/export (?page=, from 1); a full page links to the next (Link: rel="next").</summary>
    [Range(1, 1_000_000)]
    public int ExportPageSize { get; set; } = 100_000;

    /// <summary>Cells /api/corridors may sum; a filter matching more is refused (narrow it by country or period).</summary>
    [Range(1, 50_000_000)]
    public int CorridorCellLimit { get; set; } = 2_000_000;
}
