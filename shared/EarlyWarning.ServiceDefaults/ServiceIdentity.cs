namespace EarlyWarning.ServiceDefaults;

/// <summary>Who this service is: its name in traces and logs, and the PostgreSQL schema it owns.</summary>
public sealed record ServiceIdentity(string Name, string Schema);
