using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.ServiceDefaults;

/// <summary>The PostgreSQL database. Bound from the "Database" section; each service works in its own schema.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [Required, NotPlaceholder(connectionString: true)] public string ConnectionString { get; set; } = "Host=127.0.0.1;Port=5432;Database=earlywarning;Username=earlywarning";
}
