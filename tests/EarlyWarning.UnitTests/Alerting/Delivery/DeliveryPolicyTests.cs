using EarlyWarning.Alerting.Delivery;

namespace EarlyWarning.UnitTests.Alerting.Delivery;

public sealed class DeliveryPolicyTests
{
    [Fact]
    public void The_repositorys_places_and_labels_load()
    {
        var policy = DeliveryFixtures.Policy;
        Assert.Equal("Darién", policy.Place("PAN-LAJAS-BLANCAS")!.RegionName);
        Assert.Equal("Ingreso irregular", policy.Category("IRREGULAR_ENTRY", "es"));
        Assert.Equal("Venezuela", policy.Country("VEN", "pt").Split(' ')[0]);
    }

    [Fact]
    public void A_place_with_only_one_of_its_coordinates_stops_the_load_naming_the_file_and_field()
    {
        var directory = Directory.CreateTempSubdirectory("earlywarning-delivery-policy-").FullName;
        try
        {
            var source = DeliveryPolicy.ResolveDirectory(null);
            Directory.CreateDirectory(Path.Combine(directory, "codelists"));
            Directory.CreateDirectory(Path.Combine(directory, "places"));
            foreach (var file in new[] { "CL_MIGRANT_CATEGORY.yaml", "CL_AREA.yaml" })
                File.Copy(Path.Combine(source, "codelists", file), Path.Combine(directory, "codelists", file));
            File.WriteAllText(Path.Combine(directory, "places", "PAN.yaml"),
                "country: PAN\nversion: 1\nregions:\n  - code: PA-5\n    name: Darién\n    points:\n      - {code: PAN-X, name: X, kind: flow-monitoring, lat: 8.1}\n");
            var error = Assert.Throws<DeliveryPolicyException>(() => DeliveryPolicy.Load(directory));
            Assert.Equal("places/PAN.yaml: regions[0].points[0].lat: lat and lon go together", error.Message);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
