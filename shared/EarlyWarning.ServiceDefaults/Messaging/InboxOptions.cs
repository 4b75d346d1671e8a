using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>How long consumers remember what they processed. Bound from the "Inbox" section.</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>
    /// The duplicate-detection window: a redelivery of a message processed less than this long ago is a no-op.
    /// Redeliveries come within minutes (a consumer or broker crash, an outbox republish after a crash);
    /// a week also covers a message an operator replays from an error queue after a long weekend.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")] public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often inbox rows older than the window, and outbox rows published longer ago than the outbox retention, are deleted.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")] public TimeSpan PruneInterval { get; set; } = TimeSpan.FromMinutes(10);
}
