using System.Collections.Concurrent;

namespace EarlyWarning.ServiceDefaults.Operations;

/// <summary>The queues this service consumes from, recorded as MassTransit configures each consumer's endpoint.</summary>
public sealed class ConsumerQueues
{
    private readonly ConcurrentDictionary<string, bool> _queues = new();

    public void Add(string queue) => _queues.TryAdd(queue, true);

    public IReadOnlyList<string> All => _queues.Keys.Order(StringComparer.Ordinal).ToList();
}
