using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using EarlyWarning.Alerting.Delivery;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

/// <summary>The repository's policy as delivery reads it, OASIS's CAP 1.2 schema, and revisions to render.</summary>
internal static class DeliveryFixtures
{
    public static DeliveryPolicy Policy { get; } = DeliveryPolicy.Load(DeliveryPolicy.ResolveDirectory(null));

    private static readonly XmlSchemaSet CapSchema = LoadSchema();

    private static XmlSchemaSet LoadSchema()
    {
        var set = new XmlSchemaSet();
        set.Add("urn:oasis:names:tc:emergency:cap:1.2", Path.Combine(AppContext.BaseDirectory, "standards", "CAP-v1.2.xsd"));
        set.Compile();
        return set;
    }

    /// <summary>Every error and warning of validating the document against CAP-v1.2.xsd (none: valid).</summary>
    public static List<string> CapErrors(XDocument document)
    {
        var errors = new List<string>();
        // Validated from its text, as a receiver would parse it.
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = CapSchema };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity}: {e.Message}");
        using var reader = XmlReader.Create(new StringReader(document.ToString()), settings);
        while (reader.Read()) { }
        return errors;
    }

    public static readonly DateTimeOffset Sent = new(2025, 10, 13, 9, 30, 15, TimeSpan.Zero);

    public static AlertRevision Revision(int revision = 1, string msgType = "Alert", string state = "active", string place = "PAN-LAJAS-BLANCAS",
        string country = "PAN", string category = "TRANSIT", string severity = "Severe", string nationality = "VEN", string? reason = null) =>
        new(Guid.Parse("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"), revision, revision > 1 ? revision - 1 : null, msgType, state, country, place, nationality, category,
            new DateOnly(2025, 9, 29), new DateOnly(2025, 10, 6), state == "closed" ? new DateOnly(2025, 10, 20) : null, 2, new DateOnly(2025, 10, 6),
            1240, 410.5, 602.25, "farrington-flexible b=1", severity, "Likely", 0.9995, reason, Sent.AddDays(7 * (revision - 1)));
}
