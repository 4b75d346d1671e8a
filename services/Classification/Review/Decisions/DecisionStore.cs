using Npgsql;

namespace EarlyWarning.Classification.Review.Decisions;

/// <summary>A decision as recorded: who took it, when, what it changed and the policy it produced.</summary>
internal sealed record RecordedDecision(DateTimeOffset DecidedAt, string DecidedBy, string Country, string Kind, string Written, string Action,
    string? Code, string? Reason, string PolicyDigest, string Diff);

/// <summary>Every decision a steward took through the review, with the diff it wrote: the audit beside the policy files' history.</summary>
internal static class DecisionStore
{
    public static async Task RecordAsync(NpgsqlDataSource db, DateTimeOffset at, string decidedBy, string country, IReadOnlyList<Decision> decisions,
        string policyDigest, string diff, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            INSERT INTO review_decisions (decided_at, decided_by, country, kind, written, action, code, reason, policy_digest, diff)
            SELECT @at, @by, @country, d.kind, d.written, d.action, d.code, d.reason, @digest, @diff
            FROM unnest(@kinds, @written, @actions, @codes, @reasons) AS d(kind, written, action, code, reason)
            """);
        cmd.Parameters.AddWithValue("at", at);
        cmd.Parameters.AddWithValue("by", decidedBy);
        cmd.Parameters.AddWithValue("country", country);
        cmd.Parameters.AddWithValue("digest", policyDigest);
        cmd.Parameters.AddWithValue("diff", diff);
        cmd.Parameters.AddWithValue("kinds", decisions.Select(d => d.Kind).ToArray());
        cmd.Parameters.AddWithValue("written", decisions.Select(d => d.Written).ToArray());
        cmd.Parameters.AddWithValue("actions", decisions.Select(d => d.Action).ToArray());
        cmd.Parameters.AddWithValue("codes", decisions.Select(d => d.Code ?? d.Point?.Code).ToArray());
        cmd.Parameters.AddWithValue("reasons", decisions.Select(d => d.Reason).ToArray());
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<List<RecordedDecision>> ListAsync(NpgsqlDataSource db, string? country, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            """
            SELECT decided_at, decided_by, country, kind, written, action, code, reason, policy_digest, diff FROM review_decisions
            WHERE @country::char(3) IS NULL OR country = @country ORDER BY id DESC LIMIT 1000
            """);
        cmd.Parameters.Add(new NpgsqlParameter("country", NpgsqlTypes.NpgsqlDbType.Char) { Value = (object?)country ?? DBNull.Value });
        var decisions = new List<RecordedDecision>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            decisions.Add(new RecordedDecision(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2).Trim(), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8), reader.GetString(9)));
        return decisions;
    }
}
