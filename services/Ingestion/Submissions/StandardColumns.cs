namespace EarlyWarning.Ingestion.Submissions;

/// <summary>The columns each tabular format knows; anything else must be declared personal by the agreement.</summary>
internal static class StandardColumns
{
    public static readonly string[] CsvRequired = ["period", "border_point", "nationality", "category", "count"];
    public static readonly string[] CsvOptional = ["sex", "age_group"];

    /// <summary>A standard column of plain CSV (the names an agreement may not declare personal).</summary>
    public static bool IsStandard(string column) =>
        CsvRequired.Contains(column, StringComparer.OrdinalIgnoreCase) || CsvOptional.Contains(column, StringComparer.OrdinalIgnoreCase);

    public static bool IsStandard(string column, bool sdmx) =>
        sdmx ? SdmxCsv.Columns.Contains(column, StringComparer.OrdinalIgnoreCase) : IsStandard(column);
}
