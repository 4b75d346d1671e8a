using System.Text.RegularExpressions;
using EarlyWarning.Contracts;

namespace EarlyWarning.Ingestion.Submissions;

/// <summary>
/// SDMX-CSV 2.0 rows of the regional dataflow RCM_SACM:DF_MIGRATION_FLOWS(1.0) (its structure is in the
/// README): one reporting country (REF_AREA) per submission, weekly or daily periods, totals written _T.
/// </summary>
internal sealed partial class SdmxCsv(string[] header, ReadContext context) : CsvSubmissionReader.RowReader(header, sdmx: true, context)
{
    public const string StructureId = "RCM_SACM:DF_MIGRATION_FLOWS(1.0)";
    public static readonly string[] Required = ["STRUCTURE", "STRUCTURE_ID", "REF_AREA", "FREQ", "TIME_PERIOD", "BORDER_POINT", "NATIONALITY", "CATEGORY", "SEX", "AGE", "OBS_VALUE"];
    // DIRECTION and VULNERABILITY are in Classification's export; it derives them again from the category, so they are accepted and not read.
    public static readonly string[] Columns = [.. Required, "ACTION", "OBS_STATUS", "CONF_STATUS", "DIRECTION", "VULNERABILITY"];
    // SDMX CL_OBS_STATUS and CL_CONF_STATUS (SDMX global code lists).
    private static readonly string[] ObservationStatuses = ["A", "B", "D", "E", "F", "G", "I", "K", "L", "M", "N", "O", "P", "Q", "S", "U", "V"];
    private static readonly string[] ConfidentialityStatuses = ["F", "N", "C", "D", "S", "A", "O"];
    // C (confidential), N (not for publication) and D (secondary confidentiality set by the sender) are the publisher's
    // "do not publish"; A, O and S are the receiver's to set, F is free.

    [GeneratedRegex("^[0-9]{4}-W[0-9]{2}$")]
    private static partial Regex Week();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
    private static partial Regex Day();

    public override RawObservation? Read(int line, string[] fields, List<SubmissionError> errors)
    {
        var before = errors.Count;
        if (!string.Equals(Field(fields, "STRUCTURE")?.Trim(), "dataflow", StringComparison.OrdinalIgnoreCase))
            errors.Add(new(line, "STRUCTURE", $"'{Short(fields, "STRUCTURE")}' is not 'dataflow'"));
        if (Field(fields, "STRUCTURE_ID")?.Trim() != StructureId)
            errors.Add(new(line, "STRUCTURE_ID", $"'{Short(fields, "STRUCTURE_ID")}' is not the regional dataflow {StructureId}"));
        var action = Field(fields, "ACTION")?.Trim().ToUpperInvariant();
        if (action is not (null or "" or "I" or "M" or "R" or "D"))
            errors.Add(new(line, "ACTION", $"'{Short(fields, "ACTION")}' is not I, M, R or D"));
        var delete = action == "D";
        var area = Field(fields, "REF_AREA")?.Trim();
        if (!ObservationRules.IsCountryCode(area))
            errors.Add(new(line, "REF_AREA", $"'{Short(fields, "REF_AREA")}' is not an ISO 3166-1 alpha-3 code"));
        else if (Country is null) Country = area;
        else if (Country != area)
            errors.Add(new(line, "REF_AREA", $"is {area}, but the submission is {Country}'s (one reporting country per submission)"));
        var frequency = Field(fields, "FREQ")?.Trim();
        var period = Field(fields, "TIME_PERIOD")?.Trim() ?? "";
        if (frequency == "W" && !Week().IsMatch(period)) errors.Add(new(line, "TIME_PERIOD", $"'{Short(fields, "TIME_PERIOD")}' is not a week (yyyy-Www) as FREQ W requires"));
        else if (frequency == "D" && !Day().IsMatch(period)) errors.Add(new(line, "TIME_PERIOD", $"'{Short(fields, "TIME_PERIOD")}' is not a day (yyyy-MM-dd) as FREQ D requires"));
        else if (frequency is not ("W" or "D")) errors.Add(new(line, "FREQ", $"'{Short(fields, "FREQ")}' is not W (weekly) or D (daily)"));
        var status = Field(fields, "OBS_STATUS")?.Trim();
        if (!string.IsNullOrEmpty(status) && !ObservationStatuses.Contains(status))
            errors.Add(new(line, "OBS_STATUS", $"'{Short(fields, "OBS_STATUS")}' is not a code of SDMX CL_OBS_STATUS"));
        var confidentiality = Field(fields, "CONF_STATUS")?.Trim();
        if (!string.IsNullOrEmpty(confidentiality) && !ConfidentialityStatuses.Contains(confidentiality))
            errors.Add(new(line, "CONF_STATUS", $"'{Short(fields, "CONF_STATUS")}' is not a code of SDMX CL_CONF_STATUS"));
        var value = Field(fields, "OBS_VALUE")?.Trim();
        // A deleted cell needs no value.
        if (delete) value = "0";
        else if (value is "NaN" or "")
            errors.Add(new(line, "OBS_VALUE", "is missing (NaN); a confidential cell is sent with its count and CONF_STATUS, and the agreement suppresses it"));
        var sex = Field(fields, "SEX")?.Trim();
        if (sex is not ("F" or "M" or "_T")) errors.Add(new(line, "SEX", $"'{Short(fields, "SEX")}' is not F, M or _T"));
        var age = Field(fields, "AGE")?.Trim();
        if (errors.Count > before) return null;
        var row = ObservationRules.Build(line, Context.Rules, period, Field(fields, "BORDER_POINT"), Field(fields, "NATIONALITY"),
            Field(fields, "CATEGORY"), sex == "_T" ? null : sex, age == "_T" ? null : age, value, Personal(fields), errors);
        if (row is null) return null;
        if (confidentiality is "C" or "N" or "D") row = row with { Confidential = true };
        return delete ? row with { Deleted = true } : row;
    }

    private string Short(string[] fields, string name) => ObservationRules.Shorten(Field(fields, name) ?? "");
}
