namespace EarlyWarning.Classification.Policy;

// The shapes of the YAML files under policy/. Unknown keys are refused at load, so a misspelt field is an error.

internal sealed class LabelsFile
{
    public string? En { get; set; }
    public string? Es { get; set; }
    public string? Pt { get; set; }
}

internal sealed class CodeFile
{
    public string? Id { get; set; }
    public string? Alpha2 { get; set; }
    public int? M49 { get; set; }
    public LabelsFile? Name { get; set; }
    public string? Description { get; set; }
    public Dictionary<string, List<string>>? Names { get; set; }
    /// <summary>CL_MIGRANT_CATEGORY only: the direction of movement the category implies unless a mapping rule says otherwise.</summary>
    public string? Direction { get; set; }
}

internal sealed class CodeListFile
{
    public string? Agency { get; set; }
    public string? Id { get; set; }
    public string? Version { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public LabelsFile? Name { get; set; }
    public List<CodeFile>? Codes { get; set; }
}

internal sealed class NationalityNamesFile
{
    public string? Agency { get; set; }
    public string? Id { get; set; }
    public string? Version { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public Dictionary<string, Dictionary<string, List<string>>>? Demonyms { get; set; }
    public Dictionary<string, List<string>>? Names { get; set; }
}

internal sealed class PlacesFile
{
    public string? Country { get; set; }
    public int? Version { get; set; }
    public List<RegionFile>? Regions { get; set; }
}

internal sealed class RegionFile
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public List<PointFile>? Points { get; set; }
}

internal sealed class PointFile
{
    public string? Code { get; set; }
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Neighbour { get; set; }
    public double? Lat { get; set; }
    public double? Lon { get; set; }
    public List<string>? Aliases { get; set; }
}

internal sealed class MappingFile
{
    public string? Country { get; set; }
    public int? Version { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public List<MappingRuleFile>? Rules { get; set; }
    public List<CodeMappingFile>? Sexes { get; set; }
    public List<CodeMappingFile>? Ages { get; set; }
    public List<KeepHeldFile>? KeepHeld { get; set; }
}

/// <summary>National values a steward decided are not flow categories: they stay held on purpose.</summary>
internal sealed class KeepHeldFile
{
    public List<string>? National { get; set; }
    public string? Reason { get; set; }
}

/// <summary>National writings of one code of a regional code list (CL_SEX, CL_AGE).</summary>
internal sealed class CodeMappingFile
{
    public string? Regional { get; set; }
    public List<string>? National { get; set; }
}

internal sealed class MappingRuleFile
{
    public string? Regional { get; set; }
    public List<string>? National { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public ConditionFile? When { get; set; }
    public string? Direction { get; set; }
    public string? Vulnerability { get; set; }
}

internal sealed class ConditionFile
{
    public List<string>? Place { get; set; }
    public List<string>? PlaceKind { get; set; }
    public List<string>? Sex { get; set; }
    public List<string>? AgeGroup { get; set; }
}
