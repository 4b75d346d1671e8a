using System.CommandLine;
using EarlyWarning.ServiceDefaults.Security;
using Npgsql;

namespace EarlyWarning.Admin;

/// <summary>earlywarning-admin: the operators' command for credentials (keys issue | list | rotate | revoke) and the classification review (review …).</summary>
internal static class AdminCommand
{
    public const int InvalidArguments = 2;
    public const int NotFound = 3;
    public const int Failed = 1;

    public static RootCommand Create()
    {
        var connection = new Option<string?>("--connection")
        {
            Description = "PostgreSQL connection string of the administrator's role (default: $Database__ConnectionString)",
        };
        var root = new RootCommand("Administers EarlyWarning's credentials. New keys are printed once and stored only as salted hashes.");
        root.Options.Add(connection);
        var keys = new Command("keys", "API keys of publishers, analysts and operators");
        root.Subcommands.Add(keys);
        root.Subcommands.Add(ReviewCommand.Create());

        var name = new Option<string>("--name") { Description = "Who holds the key (e.g. 'Servicio Nacional de Migraciones, upload job')", Required = true };
        var role = new Option<string>("--role") { Description = "publisher, analyst or operator", Required = true };
        role.AcceptOnlyFromAmong([.. EarlyWarningClaims.Roles]);
        var country = new Option<string?>("--country") { Description = "A publisher's reporting country (ISO 3166-1 alpha-3)" };
        var countries = new Option<string?>("--countries") { Description = "An analyst's scope: reporting countries, comma-separated" };
        var issue = new Command("issue", "Issues a key and prints it once") { name, role, country, countries };
        keys.Subcommands.Add(issue);
        issue.SetAction((parse, ct) => RunAsync(parse, connection, async admin =>
        {
            var (roleValue, countryValue, scope) = (parse.GetValue(role)!, Normalize(parse.GetValue(country)), Split(parse.GetValue(countries)));
            var problem = CheckScope(roleValue, countryValue, scope);
            if (problem is not null) { Console.Error.WriteLine($"error: {problem}"); return InvalidArguments; }
            var issued = await admin.IssueAsync(parse.GetValue(name)!, roleValue, countryValue, scope, ct);
            PrintIssued(issued);
            return 0;
        }, ct));

        var all = new Option<bool>("--all") { Description = "Include revoked keys" };
        var list = new Command("list", "Lists keys (never the keys themselves)") { all };
        keys.Subcommands.Add(list);
        list.SetAction((parse, ct) => RunAsync(parse, connection, async admin =>
        {
            var stored = await admin.ListAsync(parse.GetValue(all), ct);
            Console.WriteLine($"{"key id",-32}  {"role",-9}  {"scope",-15}  {"created (UTC)",-16}  {"revoked (UTC)",-16}  name");
            foreach (var k in stored)
                Console.WriteLine($"{k.KeyId:N}  {k.Role,-9}  {Scope(k),-15}  {k.CreatedAt.UtcDateTime:yyyy-MM-dd HH:mm}  {(k.RevokedAt is { } r ? r.UtcDateTime.ToString("yyyy-MM-dd HH:mm") : "-"),-16}  {k.Name}");
            return 0;
        }, ct));

        var keyId = new Argument<Guid>("key-id") { Description = "The key id (as listed; the part after ew_ of the key)" };
        var rotate = new Command("rotate", "Issues a new key for the same holder, role and scope and revokes the old one") { keyId };
        keys.Subcommands.Add(rotate);
        rotate.SetAction((parse, ct) => RunAsync(parse, connection, async admin =>
        {
            var issued = await admin.RotateAsync(parse.GetValue(keyId), ct);
            if (issued is null) { Console.Error.WriteLine($"error: no active key {parse.GetValue(keyId):N}"); return NotFound; }
            PrintIssued(issued);
            return 0;
        }, ct));

        var revoke = new Command("revoke", "Revokes a key at once") { keyId };
        keys.Subcommands.Add(revoke);
        revoke.SetAction((parse, ct) => RunAsync(parse, connection, async admin =>
        {
            if (!await admin.RevokeAsync(parse.GetValue(keyId), ct)) { Console.Error.WriteLine($"error: no active key {parse.GetValue(keyId):N}"); return NotFound; }
            Console.Error.WriteLine($"revoked {parse.GetValue(keyId):N}");
            return 0;
        }, ct));
        return root;
    }

    /// <summary>Whether a role and a scope make a valid credential; null when they do.</summary>
    internal static string? CheckScope(string role, string? country, IReadOnlyList<string> countries)
    {
        if (country is not null && !IsCountryCode(country)) return $"--country '{country}' is not an ISO 3166-1 alpha-3 code";
        if (countries.FirstOrDefault(c => !IsCountryCode(c)) is { } bad) return $"--countries: '{bad}' is not an ISO 3166-1 alpha-3 code";
        return role switch
        {
            EarlyWarningClaims.Publisher when country is null => "a publisher needs --country (the one country it publishes for)",
            EarlyWarningClaims.Publisher when countries.Count > 0 => "a publisher has one --country, not --countries",
            EarlyWarningClaims.Analyst when country is not null => "an analyst has a scope (--countries), not a --country",
            EarlyWarningClaims.Analyst when countries.Count == 0 => "an analyst needs --countries (the reporting countries it may see)",
            EarlyWarningClaims.Operator when country is not null || countries.Count > 0 => "an operator sees every country; give no --country or --countries",
            _ => null,
        };
    }

    private static bool IsCountryCode(string code) => code.Length == 3 && code.All(char.IsAsciiLetterUpper);
    private static string? Normalize(string? code) => string.IsNullOrWhiteSpace(code) ? null : code.Trim().ToUpperInvariant();
    private static IReadOnlyList<string> Split(string? codes) =>
        (codes ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToUpperInvariant()).Distinct().ToArray();
    private static string Scope(StoredApiKey k) => k.Country ?? (k.Countries.Count > 0 ? string.Join(",", k.Countries) : "all");

    private static void PrintIssued(IssuedKey issued)
    {
        // The key on standard output alone, so scripts can capture it; everything else on standard error.
        Console.Error.WriteLine($"issued {issued.Stored.Role} key {issued.Stored.KeyId:N} ({Scope(issued.Stored)}) for '{issued.Stored.Name}'.");
        Console.Error.WriteLine("It is shown only now and cannot be recovered; send it in the X-Api-Key header:");
        Console.WriteLine(issued.Key.ToString());
    }

    private static async Task<int> RunAsync(ParseResult parse, Option<string?> connection, Func<KeyAdministration, Task<int>> action, CancellationToken ct)
    {
        var connectionString = parse.GetValue(connection) ?? Environment.GetEnvironmentVariable("Database__ConnectionString");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("error: give --connection or set Database__ConnectionString (the administrator's role)");
            return InvalidArguments;
        }
        try
        {
            await using var dataSource = NpgsqlDataSource.Create(connectionString);
            var admin = new KeyAdministration(dataSource);
            await admin.MigrateAsync(ct);
            return await action(admin);
        }
        catch (NpgsqlException ex)
        {
            Console.Error.WriteLine($"error: database: {ex.Message}");
            return 1;
        }
    }
}
