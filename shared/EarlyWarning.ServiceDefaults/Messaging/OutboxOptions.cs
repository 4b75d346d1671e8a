using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>Tuning of the outbox dispatcher. Bound from the "Outbox" section.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>Messages taken from the table and published (with confirms) per round trip.</summary>
    [Range(1, 10_000)] public int BatchSize { get; set; } = 100;

    /// <summary>How often the table is read when no local commit wakes the dispatcher.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")] public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The largest body the broker takes; a larger message is set aside at once instead of being refused by the
    /// broker again and again. deploy/local/infra.sh sets RabbitMQ's max_message_size to the same 16 MiB.
    /// </summary>
    [Range(1024, 536_870_912)] public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Refusals of one message, while the broker takes the messages around it, before it is set aside.</summary>
    [Range(1, 1000)] public int MaxAttempts { get; set; } = 5;

    /// <summary>How long published messages stay in the table (for operators to inspect or replay) before they are deleted.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")] public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
}
