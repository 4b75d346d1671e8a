using EarlyWarning.Classification.Mapping;
using EarlyWarning.Classification.Policy;
using EarlyWarning.Contracts;

namespace EarlyWarning.UnitTests;

/// <summary>The policy files of the repository, loaded once as the service loads them.</summary>
internal static class RepositoryPolicy
{
    public static string Directory { get; } = Find();
    public static RegionalPolicy Current { get; } = PolicyLoader.Load(Directory);

    /// <summary>A copy of policy/ in a new temporary folder, for a test to edit.</summary>
    public static string Copy()
    {
        var copy = Path.Combine(Path.GetTempPath(), "ew-policy-" + Guid.NewGuid().ToString("N"));
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.yaml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(Directory, file));
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return copy;
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, "policy", "codelists"))) return Path.Combine(dir.FullName, "policy");
        throw new InvalidOperationException("policy/ not found above " + AppContext.BaseDirectory);
    }
}

public sealed class ClassifierTests
{
    private static readonly RegionalPolicy Policy = RepositoryPolicy.Current;
    private static readonly DateOnly Week = new(2025, 10, 13);

    private static ClassifiedBatch Classify(string country, string point, string nationality, string category, DateOnly? period = null, string? sex = null, string? age = null) =>
        Classifier.Classify(country, [new AnonymizedObservation(1, period ?? Week, point, nationality, category, sex, age, 12, false)], Policy);

    private static HarmonizedObservation One(string country, string point, string nationality, string category, DateOnly? period = null)
    {
        var result = Classify(country, point, nationality, category, period);
        Assert.True(result.Held.Count == 0, $"held: {string.Join(", ", result.Held.SelectMany(h => h.Reasons))}");
        return Assert.Single(result.Harmonized).Observation;
    }

    [Theory]
    [InlineData("CHL", "Colchane", "Ingreso por paso no habilitado", "IRREGULAR_ENTRY")]
    [InlineData("CHL", "Colchane", "INGRESOS POR PASOS NO HABILITADOS", "IRREGULAR_ENTRY")]
    [InlineData("CHL", "Chacalluta", "Autodenuncia", "IRREGULAR_ENTRY")]
    [InlineData("CHL", "Colchane", "Reconducción", "REFUSAL_OF_ENTRY")]
    [InlineData("CHL", "Colchane", "reconduccion", "REFUSAL_OF_ENTRY")]
    [InlineData("CHL", "AMB", "Solicitudes de reconocimiento de la condición de refugiado", "ASYLUM_APPLICATION")]
    [InlineData("PER", "Tumbes CEBAF", "CPP otorgado", "REGULARIZATION_GRANTED")]
    [InlineData("PER", "CEBAF Tumbes", "Carné de Permiso Temporal de Permanencia", "REGULARIZATION_GRANTED")]
    [InlineData("PER", "Desaguadero", "Inadmitidos", "REFUSAL_OF_ENTRY")]
    [InlineData("COL", "Puente Simón Bolívar", "PPT", "REGULARIZATION_GRANTED")]
    [InlineData("COL", "Puente Simon Bolivar", "Permisos por Protección Temporal", "REGULARIZATION_GRANTED")]
    [InlineData("COL", "Necoclí", "Tránsito irregular", "TRANSIT")]
    [InlineData("COL", "Rumichaca", "Salvoconducto SC-2", "ASYLUM_APPLICATION")]
    [InlineData("ECU", "Huaquillas", "Visa VIRTE", "REGULARIZATION_GRANTED")]
    [InlineData("ECU", "Rumichaca", "VIRTE", "REGULARIZATION_GRANTED")]
    [InlineData("ECU", "Tulcán", "Ingreso por pasos irregulares", "IRREGULAR_ENTRY")]
    [InlineData("PAN", "Lajas Blancas", "Tránsito por Darién", "TRANSIT")]
    [InlineData("PAN", "ERM San Vicente", "Transito por Darien", "TRANSIT")]
    [InlineData("CRI", "Paso Canoas", "Flujo migratorio irregular en tránsito", "TRANSIT")]
    [InlineData("CRI", "Peñas Blancas", "Rechazos", "REFUSAL_OF_ENTRY")]
    [InlineData("CRI", "Penas Blancas", "Solicitudes de refugio", "ASYLUM_APPLICATION")]
    [InlineData("BRA", "Pacaraima", "Autorização de residência", "REGULARIZATION_GRANTED")]
    [InlineData("BRA", "PRI Pacaraima", "Solicitações de refúgio", "ASYLUM_APPLICATION")]
    [InlineData("BRA", "Pacaraima", "Atendimentos de entrada", "REGULAR_ENTRY")]
    [InlineData("MEX", "Tapachula", "Eventos de personas en situación migratoria irregular", "IRREGULAR_ENTRY")]
    [InlineData("MEX", "Tapachula", "Eventos de personas extranjeras presentadas ante la autoridad migratoria", "IRREGULAR_ENTRY")]
    [InlineData("CHL", "Colchane", "Denuncias por ingreso clandestino", "IRREGULAR_ENTRY")]
    [InlineData("CHL", "Chacalluta", "Expulsiones administrativas", "FORCED_RETURN")]
    [InlineData("MEX", "Ciudad Hidalgo", "TVRH", "REGULARIZATION_GRANTED")]
    [InlineData("MEX", "Cd. Hidalgo", "Tarjetas de Visitante por Razones Humanitarias", "REGULARIZATION_GRANTED")]
    [InlineData("MEX", "Tapachula", "Solicitantes de la condición de refugiado", "ASYLUM_APPLICATION")]
    public void National_categories_as_each_authority_writes_them_map_to_the_regional_category(string country, string point, string category, string expected) =>
        Assert.Equal(expected, One(country, point, "VEN", category).Category);

    [Fact]
    public void Many_national_permits_map_to_one_regional_category()
    {
        var permits = new[] { "PPT otorgado", "PEP otorgado", "ETPV", "Permiso por Protección Temporal" };
        Assert.All(permits, p => Assert.Equal("REGULARIZATION_GRANTED", One("COL", "Rumichaca", "VEN", p, new DateOnly(2021, 6, 7)).Category));
    }

    [Fact]
    public void The_same_word_maps_by_the_place_it_was_recorded_at()
    {
        // Panama: an "Ingreso" at a Darién reception station is irregular transit; at Tocumen airport a regular entry.
        Assert.Equal("TRANSIT", One("PAN", "Lajas Blancas", "HTI", "Ingreso").Category);
        Assert.Equal("REGULAR_ENTRY", One("PAN", "Tocumen", "HTI", "Ingreso").Category);
        Assert.Equal("TRANSIT", One("PAN", "San Vicente", "HTI", "Ingresos irregulares").Category);
        Assert.Equal("IRREGULAR_ENTRY", One("PAN", "Paso Canoas", "HTI", "Ingresos irregulares").Category);
    }

    [Fact]
    public void A_national_category_maps_only_within_its_validity_dates()
    {
        // Colombia's PEP was issued until the Estatuto Temporal de Protección replaced it; a PEP reported later is held.
        Assert.Equal("REGULARIZATION_GRANTED", One("COL", "Rumichaca", "VEN", "PEP otorgado", new DateOnly(2020, 3, 2)).Category);
        var late = Classify("COL", "Rumichaca", "VEN", "PEP otorgado", new DateOnly(2023, 3, 6));
        Assert.Equal([Classifier.Category], Assert.Single(late.Held).Reasons);
        // Peru's PTP gave way to the CPP.
        Assert.Single(Classify("PER", "Tumbes", "VEN", "PTP otorgado", new DateOnly(2018, 5, 7)).Harmonized);
        Assert.Single(Classify("PER", "Tumbes", "VEN", "PTP otorgado", new DateOnly(2022, 5, 2)).Held);
        Assert.Single(Classify("PER", "Tumbes", "VEN", "CPP", new DateOnly(2019, 5, 6)).Held);
        // Ecuador's VIRTE exists from the 2022 regularization; the 2019 one granted the VERHU.
        Assert.Single(Classify("ECU", "Huaquillas", "VEN", "VIRTE", new DateOnly(2023, 1, 2)).Harmonized);
        Assert.Single(Classify("ECU", "Huaquillas", "VEN", "VIRTE", new DateOnly(2020, 1, 6)).Held);
        Assert.Single(Classify("ECU", "Rumichaca", "VEN", "VERHU", new DateOnly(2019, 11, 4)).Harmonized);
        // Costa Rica's Categoría Especial Temporal was open from March 2023 to February 2024.
        Assert.Single(Classify("CRI", "Paso Canoas", "NIC", "CET", new DateOnly(2023, 9, 4)).Harmonized);
        Assert.Single(Classify("CRI", "Paso Canoas", "NIC", "CET", new DateOnly(2024, 6, 3)).Held);
    }

    [Fact]
    public void The_same_category_name_means_nothing_for_another_country_until_its_table_says_so()
    {
        // Brazil's "interiorização" relocates people within the country: no regional category, held for an analyst.
        Assert.Equal([Classifier.Category], Assert.Single(Classify("BRA", "Boa Vista", "VEN", "Interiorização").Held).Reasons);
        Assert.Equal("IRREGULAR_ENTRY", One("CHL", "Colchane", "VEN", "Autodenuncia").Category);
        Assert.Single(Classify("PER", "Tumbes", "VEN", "Autodenuncia").Held);
    }

    [Theory]
    [InlineData("VEN")] [InlineData("ve")] [InlineData("862")] [InlineData("Venezuela")] [InlineData("venezolana")] [InlineData("Venezolanos")]
    [InlineData("VENEZOLANAS")] [InlineData("venezuelano")] [InlineData("Venezuelanas")] [InlineData("Venezuelan")] [InlineData("Venezuelans")]
    [InlineData("vénézuélien")] [InlineData("Vénézuéliennes")] [InlineData("Venezuela (República Bolivariana de)")]
    [InlineData("Venezuela, Bolivarian Republic of")] [InlineData("República Bolivariana de Venezuela")] [InlineData("  venezolano ")]
    public void Nationalities_written_as_codes_names_or_demonyms_in_four_languages_map_to_the_iso_code(string written) =>
        Assert.Equal("VEN", Policy.Nationality(written));

    [Theory]
    [InlineData("haitianos", "HTI")] [InlineData("Haïtienne", "HTI")] [InlineData("Haití", "HTI")] [InlineData("haitiana", "HTI")]
    [InlineData("cubanas", "CUB")] [InlineData("Cubain", "CUB")] [InlineData("colombianos", "COL")] [InlineData("ecuatorianas", "ECU")]
    [InlineData("equatorianos", "ECU")] [InlineData("hondureña", "HND")] [InlineData("Hondurenos", "HND")] [InlineData("chinos", "CHN")]
    [InlineData("chinesa", "CHN")] [InlineData("Chinese", "CHN")] [InlineData("indios", "IND")] [InlineData("nepalíes", "NPL")]
    [InlineData("afganos", "AFG")] [InlineData("afegãos", "AFG")] [InlineData("senegaleses", "SEN")] [InlineData("camerunés", "CMR")]
    [InlineData("Estados Unidos de América", "USA")] [InlineData("estadounidenses", "USA")] [InlineData("Brasil", "BRA")]
    [InlineData("brasileiras", "BRA")] [InlineData("Brésil", "BRA")] [InlineData("apátrida", "XXA")] [InlineData("Apatrides", "XXA")]
    [InlineData("Sin información", "XXX")] [InlineData("HT", "HTI")] [InlineData("332", "HTI")] [InlineData("004", "AFG")] [InlineData("4", "AFG")]
    [InlineData("Bolivia (Estado Plurinacional de)", "BOL")] [InlineData("nicaragüenses", "NIC")] [InlineData("Rep. Dominicana", "DOM")]
    public void Nationalities_ignore_case_accents_plural_and_gender(string written, string expected) =>
        Assert.Equal(expected, Policy.Nationality(written));

    [Theory]
    [InlineData("CHL", "Colchane", "CHL-COLCHANE")]
    [InlineData("CHL", "Complejo Fronterizo Colchane", "CHL-COLCHANE")]
    [InlineData("CHL", "Paso Chacalluta", "CHL-CHACALLUTA")]
    [InlineData("PER", "Tumbes CEBAF", "PER-TUMBES-CEBAF")]
    [InlineData("PER", "CEBAF Tumbes", "PER-TUMBES-CEBAF")]
    [InlineData("PER", "desaguadero", "PER-DESAGUADERO")]
    [InlineData("COL", "Puente Simón Bolívar", "COL-PUENTE-SIMON-BOLIVAR")]
    [InlineData("COL", "Puente Francisco de Paula Santander", "COL-PUENTE-FRANCISCO-DE-PAULA-SANTANDER")]
    [InlineData("COL", "Necocli", "COL-NECOCLI")]
    [InlineData("COL", "Rumichaca", "COL-RUMICHACA")]
    [InlineData("ECU", "Rumichaca", "ECU-RUMICHACA")]
    [InlineData("ECU", "Huaquillas", "ECU-HUAQUILLAS")]
    [InlineData("PAN", "ETRM Lajas Blancas", "PAN-LAJAS-BLANCAS")]
    [InlineData("PAN", "San Vicente", "PAN-SAN-VICENTE")]
    [InlineData("CRI", "Paso Canoas", "CRI-PASO-CANOAS")]
    [InlineData("PAN", "Paso Canoas", "PAN-PASO-CANOAS")]
    [InlineData("CRI", "Peñas Blancas", "CRI-PENAS-BLANCAS")]
    [InlineData("BRA", "Pacaraima", "BRA-PACARAIMA")]
    [InlineData("MEX", "Tapachula", "MEX-TAPACHULA")]
    [InlineData("MEX", "Cd. Hidalgo", "MEX-CIUDAD-HIDALGO")]
    [InlineData("MEX", "MEX-CIUDAD-HIDALGO", "MEX-CIUDAD-HIDALGO")]
    public void Places_as_national_data_writes_them_map_to_the_gazetteer(string country, string written, string expected) =>
        Assert.Equal(expected, Policy.Place(country, written)?.Code);

    [Fact]
    public void A_crossing_knows_its_region_and_neighbour_so_corridors_can_be_counted()
    {
        var colchane = Policy.Place("CHL", "Colchane")!;
        Assert.Equal(("CL-TA", "BOL", "border-crossing"), (colchane.Region, colchane.Neighbour, colchane.Kind));
        Assert.Contains("CHL-COLCHANE", Policy.PlacesUnder("CL-TA"));
        Assert.Contains("CHL-COLCHANE", Policy.PlacesUnder("CHL"));
    }

    [Fact]
    public void Regional_codes_map_to_themselves_so_an_export_re_imports_to_the_same_cells()
    {
        var cell = One("CHL", "CHL-COLCHANE", "VEN", "IRREGULAR_ENTRY");
        Assert.Equal(("CHL-COLCHANE", "VEN", "IRREGULAR_ENTRY"), (cell.BorderPoint, cell.Nationality, cell.Category));
    }

    [Fact]
    public void Unmapped_values_are_held_as_written_with_every_reason_and_never_collapse()
    {
        var result = Classifier.Classify("CHL", [
            new AnonymizedObservation(1, Week, "Colchane", "marciana", "Permiso X", "F", null, 3, false),
            new AnonymizedObservation(2, Week, "Colchane", "lunar", "Permiso X", "F", null, 4, false),
            new AnonymizedObservation(3, Week, "Paso Inventado", "VEN", "Autodenuncia", "F", null, 5, false),
            new AnonymizedObservation(4, Week, "Colchane", "VEN", "Autodenuncia", "F", null, 6, false),
        ], Policy);

        Assert.Equal([4], result.Harmonized.Select(h => h.Observation.Line));
        Assert.Equal([(1, "category,nationality"), (2, "category,nationality"), (3, "place")],
            result.Held.Select(h => (h.Row.Line, string.Join(',', h.Reasons))));
        Assert.Equal("marciana", result.Held[0].Row.Nationality);
        Assert.Equal([("category", "Permiso X", 2), ("nationality", "lunar", 1), ("nationality", "marciana", 1), ("place", "Paso Inventado", 1)],
            result.UnmappedValues.Select(v => (v.Value.Kind, v.Value.Written, v.Cells)).Order());
    }

    [Fact]
    public void What_an_agreement_generalized_passes_through_other_nationalities_and_the_region_or_country_as_the_place()
    {
        var region = One("BRA", "BR-RR", "_O", "Entrada regular");
        Assert.Equal(("BR-RR", "_O", "REGULAR_ENTRY"), (region.BorderPoint, region.Nationality, region.Category));
        Assert.Equal("BRA", One("BRA", "BRA", "VEN", "Entrada regular").BorderPoint);
        // Only the publishing country's own regions: another country's region is still an unknown place.
        Assert.Equal([Classifier.PlaceKind], Assert.Single(Classify("BRA", "CL-TA", "VEN", "Entrada regular").Held).Reasons);
    }

    [Fact]
    public void A_harmonized_cell_records_the_values_as_written_and_the_policy_versions()
    {
        var cell = Assert.Single(Classify("CHL", "Complejo Fronterizo Colchane", "venezolanos", "Autodenuncia").Harmonized);
        Assert.Equal(("Complejo Fronterizo Colchane", "venezolanos", "CHL:2"), (cell.NationalBorderPoint, cell.NationalNationality, cell.MappingVersion));
        Assert.Contains("RCM_SACM:CL_MIGRANT_CATEGORY(1.1.0)", Policy.CodeListVersions);
    }

    [Theory]
    [InlineData("CHL", "0-17", "Y_LT18")] [InlineData("CHL", "18-59", "Y18T59")] [InlineData("CHL", "60+", "Y_GE60")]
    [InlineData("CHL", "Menores de edad", "Y_LT18")] [InlineData("CHL", "60 años y más", "Y_GE60")] [InlineData("CHL", "Adultos Mayores", "Y_GE60")]
    [InlineData("PER", "0 - 17 años", "Y_LT18")] [InlineData("PER", "18 a más años", "Y_GE18")] [InlineData("PER", "60 a mas", "Y_GE60")]
    [InlineData("PER", "Niños de hasta 10 años", "Y0T10")] [InlineData("PER", "Adolescentes de 11 a 17 años", "Y11T17")] [InlineData("PER", "60 años a más", "Y_GE60")]
    [InlineData("COL", "Primera infancia", "Y0T4")] [InlineData("COL", "12 a 17 años", "Y12T17")] [InlineData("COL", "NNA", "Y_LT18")]
    [InlineData("ECU", "Menores de edad", "Y_LT18")] [InlineData("ECU", "65 y más", "Y_GE60")]
    [InlineData("PAN", "Menores", "Y_LT18")] [InlineData("PAN", "Adultos", "Y_GE18")] [InlineData("PAN", "menor de edad", "Y_LT18")]
    [InlineData("CRI", "Personas menores de edad", "Y_LT18")] [InlineData("CRI", "Persona adulta mayor", "Y_GE60")] [InlineData("CRI", "PME", "Y_LT18")]
    [InlineData("BRA", "0 a 17 anos", "Y_LT18")] [InlineData("BRA", "Crianças e adolescentes", "Y_LT18")] [InlineData("BRA", "60 anos ou mais", "Y_GE60")]
    [InlineData("BRA", "Idosos", "Y_GE60")] [InlineData("BRA", "18 a 59 anos", "Y18T59")]
    [InlineData("MEX", "0 a 11 años", "Y0T11")] [InlineData("MEX", "12 a 17 AÑOS", "Y12T17")] [InlineData("MEX", "18 años y más", "Y_GE18")]
    [InlineData("MEX", "Niñas, niños y adolescentes", "Y_LT18")]
    // Bands that nest in a wider regional band map to it (the export sums them); the regional codes map to themselves.
    [InlineData("CHL", "30-44", "Y18T59")] [InlineData("PER", "Y18T59", "Y18T59")] [InlineData("MEX", "y_lt18", "Y_LT18")] [InlineData("BRA", "_T", "_T")]
    public void Age_groups_as_each_authority_writes_them_map_to_the_standard_age_groups(string country, string written, string expected)
    {
        Assert.Equal(expected, Policy.AgeGroup(country, written));
        var place = Policy.Places.First(p => p.Country == country).Code;
        Assert.Equal(expected, Assert.Single(Classify(country, place, "VEN", "ASYLUM_APPLICATION", age: written).Harmonized).Observation.AgeGroup);
    }

    [Theory]
    [InlineData("CHL", null, "_T")] [InlineData("CHL", "F", "F")] [InlineData("CHL", "m", "M")] [InlineData("PER", "Mujeres", "F")]
    [InlineData("MEX", "Hombre", "M")] [InlineData("COL", "Masculino", "M")] [InlineData("PAN", "Ambos sexos", "_T")]
    [InlineData("BRA", "Mulheres", "F")] [InlineData("BRA", "Homens", "M")] [InlineData("ECU", "femenino", "F")]
    public void Sexes_as_each_authority_writes_them_map_to_the_sdmx_sex_codes(string country, string? written, string expected)
    {
        Assert.Equal(expected, Policy.Sex(country, written));
        var place = Policy.Places.First(p => p.Country == country).Code;
        Assert.Equal(expected, Assert.Single(Classify(country, place, "VEN", "ASYLUM_APPLICATION", sex: written).Harmonized).Observation.Sex);
    }

    [Fact]
    public void An_age_group_or_sex_no_table_lists_is_held_as_written_and_the_age_group_as_written_is_kept_on_a_harmonized_cell()
    {
        var result = Classifier.Classify("CHL", [
            new AnonymizedObservation(1, Week, "Colchane", "VEN", "Autodenuncia", null, "Lactantes", 3, false),
            new AnonymizedObservation(2, Week, "Colchane", "VEN", "Autodenuncia", "X", null, 4, false),
            new AnonymizedObservation(3, Week, "Colchane", "VEN", "Autodenuncia", "F", "Menores de edad", 5, false),
        ], Policy);

        Assert.Equal([(1, "age"), (2, "sex")], result.Held.Select(h => (h.Row.Line, string.Join(',', h.Reasons))));
        Assert.Equal([("age", "Lactantes", 1), ("sex", "X", 1)], result.UnmappedValues.Select(v => (v.Value.Kind, v.Value.Written, v.Cells)).Order());
        var cell = Assert.Single(result.Harmonized);
        Assert.Equal(("F", "Y_LT18", "Menores de edad"), (cell.Observation.Sex, cell.Observation.AgeGroup, cell.NationalAgeGroup));
    }

    [Theory]
    [InlineData("CHL", "Colchane", "Autodenuncia", "ENTRY")]
    [InlineData("CHL", "Colchane", "Expulsiones materializadas", "EXIT")]
    [InlineData("MEX", "Tapachula", "Retorno asistido", "EXIT")]
    [InlineData("PER", "Tumbes", "Solicitud de refugio", "_Z")]
    [InlineData("PAN", "Lajas Blancas", "Ingreso", "TRANSIT")]
    [InlineData("PAN", "Tocumen", "Ingreso", "ENTRY")]
    // The same national category at the crossing into Costa Rica is transit leaving Panama.
    [InlineData("PAN", "Paso Canoas", "Tránsito irregular", "EXIT")]
    [InlineData("PAN", "San Vicente", "Tránsito irregular", "TRANSIT")]
    // Costa Rica: the northbound flow enters at its southern border and leaves at its northern one.
    [InlineData("CRI", "Paso Canoas", "Flujo migratorio irregular en tránsito", "ENTRY")]
    [InlineData("CRI", "Peñas Blancas", "Flujo migratorio irregular en tránsito", "EXIT")]
    [InlineData("CRI", "CATEM Sur", "Flujo migratorio irregular en tránsito", "TRANSIT")]
    [InlineData("COL", "Necoclí", "Flujo irregular hacia Panamá", "EXIT")]
    [InlineData("COL", "Turbo", "Salidas de migrantes irregulares", "EXIT")]
    [InlineData("COL", "Necoclí", "Tránsito irregular", "TRANSIT")]
    [InlineData("COL", "Rumichaca", "TRANSIT", "TRANSIT")]
    public void The_direction_is_derived_from_the_national_category_and_where_it_was_counted(string country, string point, string category, string expected)
    {
        var cell = One(country, point, "VEN", category);
        Assert.Equal((expected, "_Z"), (cell.Direction, cell.Vulnerability));
    }

    [Fact]
    public void Unaccompanied_children_are_a_vulnerability_of_the_cell_not_a_category_of_their_own()
    {
        var nna = One("MEX", "Tapachula", "HND", "NNA no acompañados");
        Assert.Equal(("IRREGULAR_ENTRY", "ENTRY", "UASC"), (nna.Category, nna.Direction, nna.Vulnerability));
        var darien = One("PAN", "Lajas Blancas", "VEN", "Menores no acompañados");
        Assert.Equal(("TRANSIT", "UASC"), (darien.Category, darien.Vulnerability));
        Assert.Equal(("IRREGULAR_ENTRY", "UASC"), (One("CHL", "Colchane", "VEN", "NNA no acompañados").Category, "UASC"));
    }

    [Fact]
    public void A_category_that_means_an_unaccompanied_child_only_for_children_depends_on_the_age_group()
    {
        // Mexico's table of children by age: "No acompañados" is a column; for an adult age group it means nothing.
        var child = Assert.Single(Classify("MEX", "Tapachula", "GTM", "No acompañados", age: "12 a 17 años").Harmonized).Observation;
        Assert.Equal(("IRREGULAR_ENTRY", "Y12T17", "UASC"), (child.Category, child.AgeGroup, child.Vulnerability));
        var accompanied = Assert.Single(Classify("MEX", "Tapachula", "GTM", "Acompañados", age: "0 a 11 años").Harmonized).Observation;
        Assert.Equal(("IRREGULAR_ENTRY", "_Z"), (accompanied.Category, accompanied.Vulnerability));
        Assert.Equal([Classifier.Category], Assert.Single(Classify("MEX", "Tapachula", "GTM", "No acompañados", age: "18 años y más").Held).Reasons);
        Assert.Equal([Classifier.Category], Assert.Single(Classify("MEX", "Tapachula", "GTM", "No acompañados").Held).Reasons);
    }

    [Fact]
    public void Places_the_gazetteer_does_not_list_can_be_given_a_derived_code_instead_of_being_held()
    {
        var result = Classifier.Classify("COL", [new AnonymizedObservation(1, Week, "Paso Nuevo", "VEN", "PPT", null, null, 5, false)], Policy, UnlistedPlaces.Derive);
        Assert.Equal("COL-PASO-NUEVO", Assert.Single(result.Harmonized).Observation.BorderPoint);
    }
}
