using Npgsql;
using NpgsqlTypes;

namespace EarlyWarning.Classification.Export;

internal static class ExportStore
{
    /// <summary>
    /// The latest figure of every national cell: its highest version (Ingestion's, whatever order the messages came
    /// in), then the latest accepted for cells from before versions; a cell whose latest row deletes it is left out.
    /// Summed per regional cell (many national categories may map to one). A regional cell with any suppressed
    /// national cell in it is confidential as a whole: publishing the sum of the others would disclose it.
    /// </summary>
    /// <param name="offset">Cells of the ordered result to skip (paging).</param>
    /// <param name="limit">At most this many cells.</param>
    public static async Task<List<ExportedCell>> ReadAsync(NpgsqlDataSource db, ExportFilter filter, long offset, int limit, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            WITH latest AS (
                SELECT DISTINCT ON (reporting_country, period, coalesce(national_border_point, border_point), coalesce(national_nationality, nationality),
                                    national_category, coalesce(sex, ''), coalesce(national_age_group, age_group, ''))
                       reporting_country, period, border_point, nationality, category, coalesce(direction, '_Z') AS direction,
                       coalesce(vulnerability, '_Z') AS vulnerability, coalesce(sex, '_T') AS sex, coalesce(age_group, '_T') AS age_group, count, deleted
                FROM harmonized_observations
                WHERE (cardinality(@countries) = 0 OR reporting_country = ANY(@countries))
                  AND (@from::date IS NULL OR period >= @from) AND (@to::date IS NULL OR period <= @to)
                  AND (cardinality(@categories) = 0 OR category = ANY(@categories))
                  AND (cardinality(@places) = 0 OR border_point = ANY(@places))
                  AND (cardinality(@nationalities) = 0 OR nationality = ANY(@nationalities))
                ORDER BY reporting_country, period, coalesce(national_border_point, border_point), coalesce(national_nationality, nationality),
                         national_category, coalesce(sex, ''), coalesce(national_age_group, age_group, ''), version DESC, accepted_at DESC, submission_id DESC
            )
            SELECT reporting_country, period, border_point, nationality, category, direction, vulnerability, sex, age_group,
                   sum(count) AS value, bool_or(count IS NULL) AS confidential
            FROM latest WHERE NOT deleted
            GROUP BY reporting_country, period, border_point, nationality, category, direction, vulnerability, sex, age_group
            ORDER BY reporting_country, period, border_point COLLATE "C", nationality, category COLLATE "C", direction COLLATE "C",
                     vulnerability COLLATE "C", sex COLLATE "C", age_group COLLATE "C"
            OFFSET @offset LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("offset", offset);
        cmd.Parameters.AddWithValue("limit", limit);
        cmd.Parameters.Add(new NpgsqlParameter("countries", NpgsqlDbType.Array | NpgsqlDbType.Char) { Value = filter.ReportingCountries.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("from", NpgsqlDbType.Date) { Value = (object?)filter.From ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("to", NpgsqlDbType.Date) { Value = (object?)filter.To ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("categories", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = filter.Categories.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("places", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = filter.Places.ToArray() });
        cmd.Parameters.Add(new NpgsqlParameter("nationalities", NpgsqlDbType.Array | NpgsqlDbType.Char) { Value = filter.Nationalities.ToArray() });
        var cells = new List<ExportedCell>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var confidential = reader.GetBoolean(10);
            cells.Add(new ExportedCell(reader.GetString(0).Trim(), reader.GetFieldValue<DateOnly>(1), reader.GetString(2), reader.GetString(3).Trim(),
                reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.GetString(7), reader.GetString(8),
                confidential || reader.IsDBNull(9) ? null : reader.GetInt64(9), confidential));
        }
        return cells;
    }
}
