namespace EarlyWarning.ServiceDefaults.Messaging;

/// <summary>
/// A message that breaks its contract. Retrying cannot help, so consumer definitions skip their retries
/// for it and MassTransit moves it to the endpoint's error queue at once, with this message as the reason.
/// </summary>
public sealed class InvalidBatchException(string reason) : Exception(reason);
