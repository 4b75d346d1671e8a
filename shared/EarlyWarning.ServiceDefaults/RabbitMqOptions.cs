using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.ServiceDefaults;

/// <summary>
/// Where the broker is and who this service is on it. Bound from the "RabbitMq" section (RabbitMq__Host etc. in
/// the environment). No default user: each service has its own broker user and password, given by the deployment.
/// </summary>
public sealed class RabbitMqOptions
{
    public const string Section = "RabbitMq";

    [Required] public string Host { get; set; } = "127.0.0.1";
    [Range(1, 65535)] public int Port { get; set; } = 5672;
    [Required] public string VirtualHost { get; set; } = "/";
    [Required] public string Username { get; set; } = "";
    [Required, NotPlaceholder] public string Password { get; set; } = "";

    /// <summary>
    /// Quorum queues in RabbitMQ 3.10 have no default delivery limit; a message redelivered more often is
    /// dead-lettered to "&lt;queue&gt;_dead". Every return of an unacknowledged message counts: a consumer
    /// process that dies, but also a connection or broker that drops with the message in flight. 50 leaves
    /// room for many such outages in one message's life while a message that kills its consumer each time
    /// is still set aside after 50 crashes (about two minutes with restarts).
    /// </summary>
    [Range(1, 1000)] public int DeliveryLimit { get; set; } = 50;

    /// <summary>
    /// Nodes of a RabbitMQ cluster as "host:port" (RabbitMq__ClusterNodes__0, __1, ...). When given, the service
    /// connects to one of them and, when that node goes away, to the next, instead of to <see cref="Host"/> alone.
    /// </summary>
    [ClusterNodes] public string[] ClusterNodes { get; set; } = [];
}

/// <summary>Each cluster node is "host:port" with a port from 1 to 65535.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ClusterNodesAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        foreach (var node in value as string[] ?? [])
        {
            var colon = node.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(node.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
                return new ValidationResult($"cluster node '{node}' is not host:port", [context.MemberName!]);
        }
        return ValidationResult.Success;
    }
}
