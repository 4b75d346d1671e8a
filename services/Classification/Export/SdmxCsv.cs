using System.Globalization;
using System.Text;

namespace EarlyWarning.Classification.Export;

/// <summary>
/// Writes the regional dataflow RCM_SACM:DF_MIGRATION_FLOWS(1.0) as SDMX-CSV 2.0 (the structure the README
/// documents, shared with Ingestion's SDMX-CSV import).
/// </summary>
internal static class SdmxCsv
{
    public const string StructureId = "RCM_SACM:DF_MIGRATION_FLOWS(1.0)";
    public const string Header = "STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA,FREQ,TIME_PERIOD,BORDER_POINT,NATIONALITY,CATEGORY,DIRECTION,VULNERABILITY,SEX,AGE,OBS_VALUE,OBS_STATUS,CONF_STATUS";

    public static string Write(IEnumerable<ExportedCell> cells)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var c in cells)
            text.Append("dataflow,").Append(StructureId).Append(",I,")
                .Append(Field(c.ReportingCountry)).Append(",W,").Append(Week(c.Period)).Append(',')
                .Append(Field(c.BorderPoint)).Append(',').Append(Field(c.Nationality)).Append(',').Append(Field(c.Category)).Append(',')
                .Append(Field(c.Direction)).Append(',').Append(Field(c.Vulnerability)).Append(',')
                .Append(Field(c.Sex)).Append(',').Append(Field(c.AgeGroup)).Append(',')
                .Append(c.Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "NaN")
                // Observation status A (normal); confidentiality F (free) or C (confidential: suppressed by an agreement).
                .Append(",A,").Append(c.Confidential ? 'C' : 'F').Append('\n');
        return text.ToString();
    }

    /// <summary>The ISO week of a period's Monday, as SDMX writes a weekly TIME_PERIOD (2025-W42).</summary>
    public static string Week(DateOnly monday)
    {
        var date = monday.ToDateTime(TimeOnly.MinValue);
        return $"{ISOWeek.GetYear(date):D4}-W{ISOWeek.GetWeekOfYear(date):D2}";
    }

    /// <remarks>
    /// A text starting with = + - @ (or a tab or carriage return) is a formula to a spreadsheet: it is written after an
    /// apostrophe. Codes never start so; a value derived from a national spelling might.
    /// </remarks>
    internal static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
