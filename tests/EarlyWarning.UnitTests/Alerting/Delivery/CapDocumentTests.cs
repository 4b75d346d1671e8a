using System.Xml.Linq;
using EarlyWarning.Alerting.Delivery;
using static EarlyWarning.UnitTests.Alerting.Delivery.DeliveryFixtures;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

public sealed class CapDocumentTests
{
    private static readonly XNamespace Cap = CapDocument.Cap;
    private const string Sender = "earlywarning-alerting@rcm-sacm.example";

    private static XDocument Build(AlertRevision r, params (int, DateTimeOffset)[] earlier) =>
        CapDocument.Build(r, earlier, Policy, Sender, "https://alerts.example/api/alerts/x/revisions/1/cap", DeliveryPolicy.Languages);

    [Fact]
    public void An_alert_an_update_a_closing_and_a_cancel_are_each_valid_against_the_CAP_1_2_schema()
    {
        var documents = new[]
        {
            Build(Revision()),
            Build(Revision(2, "Update"), (1, Sent)),
            Build(Revision(3, "Update", "closed"), (1, Sent), (2, Sent.AddDays(7))),
            Build(Revision(4, "Cancel", "withdrawn", reason: "the revised count 81 no longer exceeds the bound 104.2"), (1, Sent), (2, Sent.AddDays(7)), (3, Sent.AddDays(14))),
            Build(Revision(place: "PAN-TEST-UNLISTED & <odd>")),
        };
        foreach (var document in documents) Assert.Empty(CapErrors(document));
    }

    [Fact]
    public void The_schema_check_refuses_what_CAP_refuses_a_time_in_Z_and_a_missing_scope()
    {
        var document = Build(Revision());
        document.Root!.Element(Cap + "sent")!.Value = "2025-10-13T09:30:15Z";
        document.Root!.Element(Cap + "scope")!.Remove();
        Assert.Equal(2, CapErrors(document).Count);
    }

    [Fact]
    public void A_first_revision_is_an_Alert_that_references_nothing()
    {
        var alert = Build(Revision()).Root!;
        Assert.Equal("Alert", alert.Element(Cap + "msgType")!.Value);
        Assert.Null(alert.Element(Cap + "references"));
        Assert.Equal("urn:earlywarning:alert:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:1", alert.Element(Cap + "identifier")!.Value);
        Assert.Equal("2025-10-13T09:30:15+00:00", alert.Element(Cap + "sent")!.Value);
    }

    [Fact]
    public void An_update_references_its_alert_and_a_cancel_its_last_revision_as_sender_identifier_and_sent()
    {
        var update = Build(Revision(2, "Update"), (1, Sent)).Root!;
        Assert.Equal($"{Sender},urn:earlywarning:alert:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:1,2025-10-13T09:30:15+00:00", update.Element(Cap + "references")!.Value);

        var cancel = Build(Revision(3, "Cancel", "withdrawn", reason: "no count"), (1, Sent), (2, Sent.AddDays(7))).Root!;
        Assert.Equal("Cancel", cancel.Element(Cap + "msgType")!.Value);
        var references = cancel.Element(Cap + "references")!.Value.Split(' ');
        Assert.Equal($"{Sender},urn:earlywarning:alert:0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b:2,2025-10-20T09:30:15+00:00", references[^1]);
        Assert.Contains("no count", cancel.Descendants(Cap + "description").First().Value);
    }

    [Fact]
    public void Each_language_has_its_info_with_the_code_list_labels_and_the_place_name()
    {
        var infos = Build(Revision()).Root!.Elements(Cap + "info").ToList();
        Assert.Equal(["es", "pt", "en"], infos.Select(i => i.Element(Cap + "language")!.Value));
        Assert.StartsWith("Tránsito de nacionales de Venezuela", infos[0].Element(Cap + "headline")!.Value);
        Assert.StartsWith("Trânsito de nacionais de", infos[1].Element(Cap + "headline")!.Value);
        Assert.StartsWith("Transit of", infos[2].Element(Cap + "headline")!.Value);
        Assert.All(infos, i => Assert.Contains("Estación de Recepción Migratoria Lajas Blancas", i.Element(Cap + "headline")!.Value));
        Assert.All(infos, i => Assert.Equal("Severe", i.Element(Cap + "severity")!.Value));
        Assert.All(infos, i => Assert.Equal("Likely", i.Element(Cap + "certainty")!.Value));
    }

    [Fact]
    public void The_area_names_the_place_its_region_and_country_and_draws_a_circle_around_its_coordinates()
    {
        var area = Build(Revision()).Root!.Elements(Cap + "info").Last().Element(Cap + "area")!;
        Assert.Equal("Estación de Recepción Migratoria Lajas Blancas, Darién, Panama", area.Element(Cap + "areaDesc")!.Value);
        Assert.Equal("8.29,-77.84 10", area.Element(Cap + "circle")!.Value);
        Assert.Contains(area.Elements(Cap + "geocode"), g => g.Element(Cap + "valueName")!.Value == "ISO3166-2" && g.Element(Cap + "value")!.Value == "PA-5");
    }

    [Fact]
    public void A_place_the_gazetteer_does_not_list_is_named_by_its_code_without_a_circle()
    {
        var area = Build(Revision(place: "PAN-UNLISTED")).Root!.Elements(Cap + "info").Last().Element(Cap + "area")!;
        Assert.Equal("PAN-UNLISTED, Panama", area.Element(Cap + "areaDesc")!.Value);
        Assert.Null(area.Element(Cap + "circle"));
    }

    [Fact]
    public void The_parameters_carry_the_observed_count_the_expected_value_and_the_bound()
    {
        var parameters = Build(Revision()).Root!.Elements(Cap + "info").First().Elements(Cap + "parameter")
            .ToDictionary(p => p.Element(Cap + "valueName")!.Value, p => p.Element(Cap + "value")!.Value);
        Assert.Equal("1240", parameters["observed"]);
        Assert.Equal("410.5", parameters["expected"]);
        Assert.Equal("602.25", parameters["upperBound"]);
        Assert.Equal("farrington-flexible b=1", parameters["detector"]);
    }

    [Fact]
    public void A_closed_or_withdrawn_alert_is_past_and_all_clear()
    {
        var closed = Build(Revision(2, "Update", "closed"), (1, Sent)).Root!.Elements(Cap + "info").Last();
        Assert.Equal("Past", closed.Element(Cap + "urgency")!.Value);
        Assert.Equal("AllClear", closed.Element(Cap + "responseType")!.Value);
        Assert.Contains("closed in the week of 2025-10-20", closed.Element(Cap + "description")!.Value);
    }
}
