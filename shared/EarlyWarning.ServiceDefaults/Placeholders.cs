using System.ComponentModel.DataAnnotations;

namespace EarlyWarning.ServiceDefaults;

/// <summary>
/// The values the example files ship with (deploy/docker/earlywarning.env.example: "change-me…"): a deployment that
/// forgot to replace one must not start with a secret everyone knows.
/// </summary>
public static class Placeholders
{
    private static readonly string[] Known = ["change-me", "changeme", "change_me", "replace-me"];

    public static bool Is(string? value) =>
        value is not null && Known.Any(k => value.Trim().Equals(k, StringComparison.OrdinalIgnoreCase)
            || value.Contains("change-me", StringComparison.OrdinalIgnoreCase));
}

/// <summary>A password, or the password of a PostgreSQL connection string, that is an example file's placeholder is refused.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class NotPlaceholderAttribute(bool connectionString = false) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        var text = value as string;
        if (connectionString && text is not null)
        {
            try
            {
                text = new Npgsql.NpgsqlConnectionStringBuilder(text).Password;
            }
            catch (ArgumentException)
            {
                return ValidationResult.Success; // the connection itself reports a malformed string
            }
        }
        return Placeholders.Is(text)
            ? new ValidationResult($"{context.MemberName} is a placeholder of an example file; set a real secret", [context.MemberName!])
            : ValidationResult.Success;
    }
}
