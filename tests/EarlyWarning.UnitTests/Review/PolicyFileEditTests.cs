using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EarlyWarning.Classification.Policy;
using EarlyWarning.Classification.Review.Editing;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace EarlyWarning.UnitTests.Review;

/// <summary>
/// A steward's decision becomes the smallest reviewable edit of the repository's own policy files: the output reads
/// back as the input plus the addition, and the line diff is the version, the <c># accepted</c> comment and the term.
/// </summary>
public sealed class PolicyFileEditTests
{
    private const string Note = "by steward on 2026-03-02, held cell 1234";
    private const string Comment = "# accepted " + Note;

    private static readonly IDeserializer Yaml = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build();

    private static readonly string Policy = Path.Combine(RepositoryRoot(), "policy");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "EarlyWarning.sln"))) return dir.FullName;
        throw new InvalidOperationException("EarlyWarning.sln not found above " + AppContext.BaseDirectory);
    }

    private static string Read(string relative) => File.ReadAllText(Path.Combine(Policy, relative));

    public static TheoryData<string> MappingFiles() => Files("mappings");
    public static TheoryData<string> PlacesFiles() => Files("places");

    private static TheoryData<string> Files(string folder) =>
        new(Directory.EnumerateFiles(Path.Combine(Policy, folder), "*.yaml").Select(f => Path.GetFileName(f)).Order().Select(f => $"{folder}/{f}"));

    // --- mapping tables: migrant categories ---

    [Fact]
    public void A_term_appended_to_a_flow_list_changes_only_that_line_and_the_version()
    {
        var before = Read("mappings/COL.yaml");
        var after = PolicyFileEdit.AddCategoryWriting(before, "TRANSIT", "Tránsito de migrantes", null, Note);

        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Rules![2].National!.Add("Tránsito de migrantes"); });
        ChangedExactly(before, after,
            removed: ["version: 2", "    national: [Tránsito, Tránsito irregular]"],
            added: ["version: 3", "    " + Comment, "    national: [Tránsito, Tránsito irregular, Tránsito de migrantes]"]);
    }

    [Fact]
    public void A_term_for_a_rule_with_conditions_goes_to_the_rule_the_index_names()
    {
        var before = Read("mappings/COL.yaml");
        var after = PolicyFileEdit.AddCategoryWriting(before, "TRANSIT", "Salida hacia el Darién", 3, Note);

        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Rules![3].National!.Add("Salida hacia el Darién"); });
        var (removed, added) = Diff(before, after);
        Assert.Equal(["version: 2", Line(before, "national: [Flujo irregular hacia Panamá")], removed);
        Assert.Equal(["version: 3", "    " + Comment, removed[1][..^1] + ", Salida hacia el Darién]"], added);
    }

    [Fact]
    public void A_term_without_an_index_skips_the_rules_that_apply_to_some_cells_only()
    {
        // The TRANSIT rule with a direction moved above the one without: a writing meant for every cell must not land in it.
        const string unconditional = "  - regional: TRANSIT\n    national: [Tránsito, Tránsito irregular]\n";
        var before = Read("mappings/COL.yaml").Replace(unconditional, "").Replace("    direction: EXIT\n", "    direction: EXIT\n" + unconditional);
        var after = PolicyFileEdit.AddCategoryWriting(before, "TRANSIT", "Tránsito de migrantes", null, Note);

        Assert.NotNull(Yaml.Deserialize<MappingFile>(before).Rules![2].Direction);
        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Rules![3].National!.Add("Tránsito de migrantes"); });
    }

    [Fact]
    public void A_rule_index_pointing_to_another_code_is_refused_with_the_field()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddCategoryWriting(Read("mappings/COL.yaml"), "REFUSAL_OF_ENTRY", "Rechazo", 3, Note));
        Assert.Equal("rules[3].regional", e.Field);
        Assert.Contains("TRANSIT", e.Reason);
    }

    [Fact]
    public void A_rule_index_beyond_the_rules_is_refused()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddCategoryWriting(Read("mappings/COL.yaml"), "TRANSIT", "Tránsito", 99, Note));
        Assert.Equal("rules[99]", e.Field);
    }

    [Fact]
    public void A_term_already_in_the_rule_is_refused_whatever_its_accents_and_case()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddCategoryWriting(Read("mappings/COL.yaml"), "TRANSIT", "TRANSITO IRREGULAR", 2, Note));
        Assert.Equal("rules[2].national[1]", e.Field);
    }

    [Fact]
    public void A_term_appended_to_a_block_list_adds_one_dash_line_at_its_indentation()
    {
        var before = Read("mappings/CHL.yaml");
        var after = PolicyFileEdit.AddCategoryWriting(before, "IRREGULAR_ENTRY", "Ingreso por paso no autorizado", null, Note);

        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Rules![1].National!.Add("Ingreso por paso no autorizado"); });
        ChangedExactly(before, after,
            removed: ["version: 2"],
            added: ["version: 3", "      " + Comment, "      - Ingreso por paso no autorizado"]);
        Assert.Contains("      - Ingresos irregulares\n      " + Comment + "\n      - Ingreso por paso no autorizado\n  # Children", after);
    }

    [Fact]
    public void A_code_whose_rules_all_have_conditions_gets_a_new_rule_at_the_end()
    {
        var before = Read("mappings/CRI.yaml");
        var after = PolicyFileEdit.AddCategoryWriting(before, "REGULARIZATION_GRANTED", "Regularización migratoria", null, Note);

        SameModel<MappingFile>(before, after, m =>
        {
            m.Version = 3;
            m.Rules!.Add(new MappingRuleFile { Regional = "REGULARIZATION_GRANTED", National = ["Regularización migratoria"] });
        });
        ChangedExactly(before, after,
            removed: ["version: 2"],
            added: ["version: 3", "  " + Comment, "  - regional: REGULARIZATION_GRANTED", "    national: [Regularización migratoria]"]);
        Assert.EndsWith("    national: [Regularización migratoria]\n", after);
    }

    [Fact]
    public void A_code_missing_from_the_table_gets_a_new_rule()
    {
        var before = Read("mappings/CRI.yaml");
        var after = PolicyFileEdit.AddCategoryWriting(before, "TRAFFICKING_VICTIM", "Víctima de trata", null, Note);

        SameModel<MappingFile>(before, after, m =>
        {
            m.Version = 3;
            m.Rules!.Add(new MappingRuleFile { Regional = "TRAFFICKING_VICTIM", National = ["Víctima de trata"] });
        });
    }

    [Theory]
    [MemberData(nameof(MappingFiles))]
    public void Every_rule_of_every_mapping_table_takes_a_term_by_its_index(string file)
    {
        var before = Read(file);
        var rules = Yaml.Deserialize<MappingFile>(before).Rules!;
        for (var i = 0; i < rules.Count; i++)
        {
            var term = $"Término de prueba {i}";
            var after = PolicyFileEdit.AddCategoryWriting(before, rules[i].Regional!, term, i, Note);
            var index = i;
            SameModel<MappingFile>(before, after, m => { m.Version++; m.Rules![index].National!.Add(term); });
            OneAcceptedLine(before, after, term);
        }
    }

    // --- mapping tables: sexes and age groups ---

    [Fact]
    public void A_code_writing_is_appended_to_the_entry_of_its_code_and_quoted_when_it_starts_with_a_digit()
    {
        var before = Read("mappings/COL.yaml");
        var after = PolicyFileEdit.AddCodeWriting(before, "ages", "Y_GE60", "60 o más", Note);

        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Ages!.Single(a => a.Regional == "Y_GE60").National!.Add("60 o más"); });
        var line = Line(before, "national: [\"60+\"");
        ChangedExactly(before, after,
            removed: ["version: 2", line],
            added: ["version: 3", "    " + Comment, line[..^1] + ", \"60 o más\"]"]);
    }

    [Fact]
    public void A_code_writing_for_a_code_without_an_entry_adds_the_entry_at_the_end_of_the_section()
    {
        var before = Read("mappings/COL.yaml");
        var after = PolicyFileEdit.AddCodeWriting(before, "ages", "Y0T11", "0 a 11 años", Note);

        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Ages!.Add(new CodeMappingFile { Regional = "Y0T11", National = ["0 a 11 años"] }); });
        ChangedExactly(before, after,
            removed: ["version: 2"],
            added: ["version: 3", "  " + Comment, "  - regional: Y0T11", "    national: [\"0 a 11 años\"]"]);
        Assert.Contains("[Total, Todas las edades]\n  " + Comment + "\n  - regional: Y0T11\n    national: [\"0 a 11 años\"]\n\n# Version 2", after);
    }

    [Fact]
    public void A_missing_sexes_section_is_created_before_the_ages_with_the_layout_of_the_other_sections()
    {
        var real = Read("mappings/COL.yaml");
        var before = real.Remove(real.IndexOf("# Sex as", StringComparison.Ordinal),
            real.IndexOf("# Age groups", StringComparison.Ordinal) - real.IndexOf("# Sex as", StringComparison.Ordinal));
        var after = PolicyFileEdit.AddCodeWriting(before, "sexes", "_T", "Ambos", Note);

        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Sexes = [new CodeMappingFile { Regional = "_T", National = ["Ambos"] }]; });
        ChangedExactly(before, after,
            removed: ["version: 2"],
            added: ["version: 3", Comment, "sexes:", "  - regional: _T", "    national: [Ambos]", ""]);
        Assert.Contains("validFrom: 2026-01-01\n" + Comment + "\nsexes:\n  - regional: _T\n    national: [Ambos]\n\n# Age groups", after);
    }

    [Fact]
    public void A_missing_ages_section_is_created_before_the_comments_above_the_rules()
    {
        var real = Read("mappings/COL.yaml");
        var start = real.IndexOf("# Age groups", StringComparison.Ordinal);
        var before = real.Remove(start, real.IndexOf("# Version 2", StringComparison.Ordinal) - start);
        var after = PolicyFileEdit.AddCodeWriting(before, "ages", "Y_GE60", "60+", Note);

        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Ages = [new CodeMappingFile { Regional = "Y_GE60", National = ["60+"] }]; });
        Assert.Contains("[Total, Ambos sexos]\n\n" + Comment + "\nages:\n  - regional: Y_GE60\n    national: [\"60+\"]\n\n# Version 2", after);
    }

    [Fact]
    public void A_writing_that_already_means_another_code_is_refused()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddCodeWriting(Read("mappings/COL.yaml"), "sexes", "M", "mujeres", Note));
        Assert.Equal("sexes[0].national[1]", e.Field);
    }

    [Fact]
    public void A_section_other_than_sexes_or_ages_is_refused()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddCodeWriting(Read("mappings/COL.yaml"), "rules", "F", "Mujer", Note));
        Assert.Equal("section", e.Field);
    }

    [Theory]
    [MemberData(nameof(MappingFiles))]
    public void Every_sex_and_age_entry_of_every_mapping_table_takes_a_writing(string file)
    {
        var before = Read(file);
        var model = Yaml.Deserialize<MappingFile>(before);
        foreach (var (section, entries) in new[] { ("sexes", model.Sexes!), ("ages", model.Ages!) })
            for (var i = 0; i < entries.Count; i++)
            {
                var term = $"Escrito de prueba {section} {i}";
                var after = PolicyFileEdit.AddCodeWriting(before, section, entries[i].Regional!, term, Note);
                var index = i;
                SameModel<MappingFile>(before, after, m => { m.Version++; (section == "sexes" ? m.Sexes : m.Ages)![index].National!.Add(term); });
                OneAcceptedLine(before, after, term);
            }
    }

    // --- mapping tables: values held on purpose ---

    [Fact]
    public void The_first_kept_held_term_creates_the_section_before_the_comments_above_the_rules()
    {
        var before = Read("mappings/CHL.yaml");
        var after = PolicyFileEdit.AddKeepHeld(before, "Reconducción rechazada", "returned nobody: not a flow", Note);

        SameModel<MappingFile>(before, after, m =>
        {
            m.Version = 3;
            m.KeepHeld = [new KeepHeldFile { National = ["Reconducción rechazada"], Reason = "returned nobody: not a flow" }];
        });
        ChangedExactly(before, after,
            removed: ["version: 2"],
            added: ["version: 3", Comment, "keepHeld:", "  - national: [Reconducción rechazada]", "    reason: \"returned nobody: not a flow\"", ""]);
        Assert.Contains("[Total, Todas las edades]\n\n" + Comment + "\nkeepHeld:\n  - national: [Reconducción rechazada]\n    reason: \"returned nobody: not a flow\"\n\n# Version 2", after);
    }

    [Fact]
    public void A_kept_held_term_joins_the_item_with_its_reason_and_another_reason_adds_an_item()
    {
        var first = PolicyFileEdit.AddKeepHeld(Read("mappings/CHL.yaml"), "Reconducción rechazada", "returned nobody", Note);
        var second = PolicyFileEdit.AddKeepHeld(first, "Reconducciones rechazadas", "returned nobody", Note);
        var third = PolicyFileEdit.AddKeepHeld(second, "Total general", "a sum of other rows", Note);

        SameModel<MappingFile>(first, second, m => { m.Version = 4; m.KeepHeld![0].National!.Add("Reconducciones rechazadas"); });
        ChangedExactly(first, second,
            removed: ["version: 3", "  - national: [Reconducción rechazada]"],
            added: ["version: 4", "  " + Comment, "  - national: [Reconducción rechazada, Reconducciones rechazadas]"]);
        SameModel<MappingFile>(second, third, m => { m.Version = 5; m.KeepHeld!.Add(new KeepHeldFile { National = ["Total general"], Reason = "a sum of other rows" }); });
        ChangedExactly(second, third,
            removed: ["version: 4"],
            added: ["version: 5", "  " + Comment, "  - national: [Total general]", "    reason: \"a sum of other rows\""]);
    }

    [Fact]
    public void A_term_already_kept_held_is_refused()
    {
        var once = PolicyFileEdit.AddKeepHeld(Read("mappings/CHL.yaml"), "Reconducción rechazada", "returned nobody", Note);
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddKeepHeld(once, "reconduccion rechazada", "another reason", Note));
        Assert.Equal("keepHeld[0].national[0]", e.Field);
    }

    [Theory]
    [MemberData(nameof(MappingFiles))]
    public void Every_mapping_table_takes_a_kept_held_term(string file)
    {
        var before = Read(file);
        var after = PolicyFileEdit.AddKeepHeld(before, "Total general", "a sum of other rows", Note);
        SameModel<MappingFile>(before, after, m => { m.Version++; m.KeepHeld = [new KeepHeldFile { National = ["Total general"], Reason = "a sum of other rows" }]; });
        var (removed, added) = Diff(before, after);
        Assert.Single(removed);
        Assert.Equal([Comment, "keepHeld:", "  - national: [Total general]", "    reason: \"a sum of other rows\"", ""], added.Skip(1));
    }

    // --- gazetteers ---

    [Fact]
    public void An_alias_is_appended_to_the_aliases_of_a_one_line_point()
    {
        var before = Read("places/COL.yaml");
        var after = PolicyFileEdit.AddAlias(before, "COL-TURBO", "Puerto de Turbo", Note);

        SameModel<PlacesFile>(before, after, m => { m.Version = 2; Point(m, "COL-TURBO").Aliases!.Add("Puerto de Turbo"); });
        var line = Line(before, "{code: COL-TURBO,");
        ChangedExactly(before, after,
            removed: ["version: 1", line],
            added: ["version: 2", "      " + Comment, line.Replace("[Muelle de Turbo]", "[Muelle de Turbo, Puerto de Turbo]")]);
    }

    [Fact]
    public void A_point_without_aliases_gets_an_aliases_key_before_its_closing_brace()
    {
        var before = Read("places/COL.yaml").Replace(", aliases: [Muelle de Turbo]}", "}");
        var after = PolicyFileEdit.AddAlias(before, "COL-TURBO", "Muelle de Turbo", Note);

        SameModel<PlacesFile>(before, after, m => { m.Version = 2; Point(m, "COL-TURBO").Aliases = ["Muelle de Turbo"]; });
        Assert.Equal(Read("places/COL.yaml").Replace("version: 1", "version: 2"), after.Replace("      " + Comment + "\n", ""));
    }

    [Fact]
    public void An_alias_of_a_block_style_point_goes_to_its_block_list_or_to_a_new_aliases_line()
    {
        var withList = PolicyFileEdit.AddAlias(BlockGazetteer, "COL-NECOCLI", "Muelle de Necoclí", Note);
        SameModel<PlacesFile>(BlockGazetteer, withList, m => { m.Version = 5; Point(m, "COL-NECOCLI").Aliases!.Add("Muelle de Necoclí"); });
        ChangedExactly(BlockGazetteer, withList, removed: ["version: 4"], added: ["version: 5", "          " + Comment, "          - Muelle de Necoclí"]);

        var withoutList = PolicyFileEdit.AddAlias(BlockGazetteer, "COL-TURBO", "Muelle de Turbo", Note);
        SameModel<PlacesFile>(BlockGazetteer, withoutList, m => { m.Version = 5; Point(m, "COL-TURBO").Aliases = ["Muelle de Turbo"]; });
        ChangedExactly(BlockGazetteer, withoutList, removed: ["version: 4"], added: ["version: 5", "        " + Comment, "        aliases: [Muelle de Turbo]"]);
        Assert.Contains("        lon: -76.7280\n        " + Comment + "\n        aliases: [Muelle de Turbo]\n  # Chocó", withoutList);
    }

    [Fact]
    public void An_alias_that_already_names_another_point_is_refused_with_its_path()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddAlias(Read("places/COL.yaml"), "COL-TURBO", "Necocli", Note));
        Assert.Equal("regions[4].points[0].name", e.Field);
        Assert.Contains("COL-NECOCLI", e.Reason);
    }

    [Fact]
    public void An_alias_for_a_point_that_does_not_exist_is_refused()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddAlias(Read("places/COL.yaml"), "COL-NOWHERE", "Ningún lugar", Note));
        Assert.Equal("regions", e.Field);
    }

    [Theory]
    [MemberData(nameof(PlacesFiles))]
    public void Every_point_of_every_gazetteer_takes_an_alias(string file)
    {
        var before = Read(file);
        var model = Yaml.Deserialize<PlacesFile>(before);
        foreach (var code in model.Regions!.SelectMany(r => r.Points!).Select(p => p.Code!))
        {
            var after = PolicyFileEdit.AddAlias(before, code, "Alias de prueba", Note);
            SameModel<PlacesFile>(before, after, m => { m.Version++; (Point(m, code).Aliases ??= []).Add("Alias de prueba"); });
            OneAcceptedLine(before, after, "Alias de prueba");
        }
    }

    [Fact]
    public void A_point_is_added_as_a_one_line_flow_mapping_after_its_siblings()
    {
        var before = Read("places/COL.yaml");
        var point = new NewPoint("COL-APARTADO", "Apartadó", "flow-monitoring", "PAN", 7.8833, -76.6333, ["Apartado", "Urabá"]);
        var after = PolicyFileEdit.AddPoint(before, "CO-ANT", null, point, Note);

        SameModel<PlacesFile>(before, after, m => { m.Version = 2; m.Regions![4].Points!.Add(Expected(point)); });
        ChangedExactly(before, after,
            removed: ["version: 1"],
            added: ["version: 2", "      " + Comment,
                "      - {code: COL-APARTADO, name: Apartadó, kind: flow-monitoring, neighbour: PAN, lat: 7.8833, lon: -76.6333, aliases: [Apartado, Urabá]}"]);
        Assert.Contains("[Muelle de Turbo]}\n      " + Comment + "\n      - {code: COL-APARTADO,", after);
    }

    [Fact]
    public void A_point_in_a_new_region_adds_the_region_at_the_end_of_the_regions()
    {
        var before = Read("places/COL.yaml");
        var point = new NewPoint("COL-BUENAVENTURA", "Puerto de Buenaventura", "port", null, 3.8801, -77.0312, []);
        var after = PolicyFileEdit.AddPoint(before, "CO-VAC", "Valle del Cauca", point, Note);

        SameModel<PlacesFile>(before, after, m =>
        {
            m.Version = 2;
            m.Regions!.Add(new RegionFile { Code = "CO-VAC", Name = "Valle del Cauca", Points = [Expected(point)] });
        });
        ChangedExactly(before, after,
            removed: ["version: 1"],
            added: ["version: 2", "  " + Comment, "  - code: CO-VAC", "    name: Valle del Cauca", "    points:",
                "      - {code: COL-BUENAVENTURA, name: Puerto de Buenaventura, kind: port, lat: 3.8801, lon: -77.0312}"]);
    }

    [Fact]
    public void A_point_for_an_unknown_region_without_a_name_is_refused()
    {
        var point = new NewPoint("COL-BUENAVENTURA", "Buenaventura", "port", null, 3.88, -77.03, []);
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddPoint(Read("places/COL.yaml"), "CO-VAC", null, point, Note));
        Assert.Equal("regions", e.Field);
    }

    [Theory]
    [InlineData("COL-TURBO", "Turbo nuevo", "port", "code")]
    [InlineData("PAN-TURBO", "Turbo nuevo", "port", "code")]
    [InlineData("COL-NUEVO", "Muelle de Turbo", "port", "regions[4].points[1].aliases[0]")]
    [InlineData("COL-NUEVO", "Nuevo", "harbour", "kind")]
    public void A_point_with_a_taken_code_or_name_or_an_unknown_kind_is_refused(string code, string name, string kind, string field)
    {
        var point = new NewPoint(code, name, kind, null, 8, -76, []);
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddPoint(Read("places/COL.yaml"), "CO-ANT", null, point, Note));
        Assert.EndsWith(field, e.Field);
    }

    [Fact]
    public void A_point_among_block_style_siblings_is_written_in_block_style()
    {
        var point = new NewPoint("COL-ARBOLETES", "Arboletes", "flow-monitoring", "PAN", 8.85, -76.4333, ["Playa de Arboletes"]);
        var after = PolicyFileEdit.AddPoint(BlockGazetteer, "CO-ANT", null, point, Note);

        SameModel<PlacesFile>(BlockGazetteer, after, m => { m.Version = 5; m.Regions![0].Points!.Add(Expected(point)); });
        ChangedExactly(BlockGazetteer, after, removed: ["version: 4"], added:
        [
            "version: 5", "      " + Comment, "      - code: COL-ARBOLETES", "        name: Arboletes", "        kind: flow-monitoring",
            "        neighbour: PAN", "        lat: 8.85", "        lon: -76.4333", "        aliases: [Playa de Arboletes]",
        ]);
    }

    [Fact]
    public void A_new_region_among_block_style_points_is_written_in_block_style()
    {
        var point = new NewPoint("COL-BUENAVENTURA", "Buenaventura", "port", null, 3.8801, -77.0312, []);
        var after = PolicyFileEdit.AddPoint(BlockGazetteer, "CO-VAC", "Valle del Cauca", point, Note);

        SameModel<PlacesFile>(BlockGazetteer, after, m => { m.Version = 5; m.Regions!.Add(new RegionFile { Code = "CO-VAC", Name = "Valle del Cauca", Points = [Expected(point)] }); });
        Assert.EndsWith("\n  " + Comment + "\n  - code: CO-VAC\n    name: Valle del Cauca\n    points:\n      - code: COL-BUENAVENTURA\n"
            + "        name: Buenaventura\n        kind: port\n        lat: 3.8801\n        lon: -77.0312\n", after);
    }

    [Theory]
    [MemberData(nameof(PlacesFiles))]
    public void Every_region_of_every_gazetteer_takes_a_point(string file)
    {
        var before = Read(file);
        var model = Yaml.Deserialize<PlacesFile>(before);
        for (var r = 0; r < model.Regions!.Count; r++)
        {
            var point = new NewPoint(model.Country + "-PRUEBA", "Punto de prueba", "flow-monitoring", null, -12.5, 45.25, ["Prueba"]);
            var after = PolicyFileEdit.AddPoint(before, model.Regions[r].Code!, null, point, Note);
            var index = r;
            SameModel<PlacesFile>(before, after, m => { m.Version++; m.Regions![index].Points!.Add(Expected(point)); });
            OneAcceptedLine(before, after, "Punto de prueba");
        }
    }

    // --- nationality names ---

    [Fact]
    public void A_nationality_name_is_appended_to_its_list()
    {
        var before = Read("codelists/nationality-names.yaml");
        var after = PolicyFileEdit.AddNationalityName(before, "VEN", "RBV", Note);

        SameModel<NationalityNamesFile>(before, after, m => { m.Version = "1.1.0"; m.Names!["VEN"].Add("RBV"); });
        var line = Line(before, "  VEN: [Venezuela (");
        ChangedExactly(before, after, removed: ["version: 1.0.0", line], added: ["version: 1.1.0", "  " + Comment, line[..^1] + ", RBV]"]);
    }

    [Fact]
    public void A_new_nationality_keeps_the_sorted_order_of_the_names()
    {
        var before = Read("codelists/nationality-names.yaml");
        var after = PolicyFileEdit.AddNationalityName(before, "NIC", "Nicaragua (República de)", Note);

        SameModel<NationalityNamesFile>(before, after, m => { m.Version = "1.1.0"; m.Names!["NIC"] = ["Nicaragua (República de)"]; });
        ChangedExactly(before, after, removed: ["version: 1.0.0"], added: ["version: 1.1.0", "  " + Comment, "  NIC: [Nicaragua (República de)]"]);
        Assert.Matches(@"\n  KOR: [^\n]*\n  " + Regex.Escape(Comment) + @"\n  NIC: \[Nicaragua \(República de\)\]\n  PRK: ", after);
    }

    [Fact]
    public void A_new_nationality_goes_at_the_end_when_the_names_are_not_sorted()
    {
        var real = Read("codelists/nationality-names.yaml");
        var bgd = Line(real, "  BGD: [") + "\n";
        var before = real.Replace(bgd, "").TrimEnd('\n') + "\n" + bgd;
        var after = PolicyFileEdit.AddNationalityName(before, "NIC", "Nicaragua", Note);

        SameModel<NationalityNamesFile>(before, after, m => { m.Version = "1.1.0"; m.Names!["NIC"] = ["Nicaragua"]; });
        Assert.EndsWith(bgd + "  " + Comment + "\n  NIC: [Nicaragua]\n", after);
    }

    [Fact]
    public void A_nationality_name_that_already_names_another_nationality_is_refused()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddNationalityName(Read("codelists/nationality-names.yaml"), "KOR", "EEUU", Note));
        Assert.Equal("names.USA[1]", e.Field);
    }

    [Fact]
    public void A_nationality_code_that_is_not_three_capitals_is_refused()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddNationalityName(Read("codelists/nationality-names.yaml"), "ven", "Venezuela", Note));
        Assert.Equal("iso3", e.Field);
    }

    [Fact]
    public void Every_nationality_of_the_names_takes_a_name()
    {
        var before = Read("codelists/nationality-names.yaml");
        foreach (var iso3 in Yaml.Deserialize<NationalityNamesFile>(before).Names!.Keys)
        {
            var after = PolicyFileEdit.AddNationalityName(before, iso3, "Nombre de prueba", Note);
            SameModel<NationalityNamesFile>(before, after, m => { m.Version = "1.1.0"; m.Names![iso3].Add("Nombre de prueba"); });
            OneAcceptedLine(before, after, "Nombre de prueba");
        }
    }

    // --- versions ---

    [Theory]
    [InlineData("version: 2", "version: 3")]
    [InlineData("version: 9", "version: 10")]
    [InlineData("version: 1.0.0", "version: 1.1.0")]
    [InlineData("version: 2.9.4", "version: 2.10.0")]
    [InlineData("version: '1.2.3'", "version: '1.3.0'")]
    [InlineData("version: \"1.2.3\" # quoted", "version: \"1.3.0\" # quoted")]
    public void A_version_is_raised_in_its_own_form(string before, string after)
    {
        const string file = "# A file.\nid: X\n{0}\nvalidFrom: 2026-01-01\n";
        Assert.Equal(string.Format(file, after), PolicyFileEdit.BumpVersion(string.Format(file, before)));
    }

    [Theory]
    [InlineData("id: X\nversion: 1.2\n")]
    [InlineData("id: X\nversion: v3\n")]
    [InlineData("id: X\n")]
    public void A_version_that_is_missing_or_neither_whole_nor_semantic_is_refused(string file)
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.BumpVersion(file));
        Assert.Equal("version", e.Field);
    }

    // --- what is written ---

    [Theory]
    [InlineData("60+")]
    [InlineData("Total: general")]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("null")]
    [InlineData("Ingreso #2")]
    [InlineData("Ingreso irregular # nota")]
    [InlineData("Dicho \"así\"")]
    [InlineData(@"Barra\invertida")]
    [InlineData("[Corchetes]")]
    [InlineData("Uno, dos")]
    [InlineData("- Guion")]
    [InlineData("2024-01-01 ingresos")]
    [InlineData(" Espacio inicial")]
    [InlineData("Espacio final ")]
    [InlineData("&ancla")]
    [InlineData("Llave {x}")]
    public void A_term_that_could_be_read_as_yaml_is_double_quoted_and_reads_back_unchanged(string term)
    {
        var before = Read("mappings/COL.yaml");
        var after = PolicyFileEdit.AddCategoryWriting(before, "TRANSIT", term, 2, Note);

        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Rules![2].National!.Add(term); });
        Assert.Contains(", \"" + term.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"]", after);
    }

    [Theory]
    [InlineData("Ingreso de migrantes")]
    [InlineData("PEP-RAMV 2")]
    [InlineData("Fem.")]
    [InlineData("O'Higgins")]
    [InlineData("Tránsito (norte/sur)")]
    public void A_term_that_cannot_be_misread_is_written_plain(string term)
    {
        var after = PolicyFileEdit.AddCategoryWriting(Read("mappings/COL.yaml"), "TRANSIT", term, 2, Note);
        Assert.Contains(", " + term + "]", after);
    }

    [Theory]
    [InlineData("first line\nsecond: line")]
    [InlineData("carriage\rreturn")]
    [InlineData("line\u2028separator")]
    [InlineData("tab\tinside")]
    [InlineData("nul\0")]
    public void A_note_that_is_not_one_line_is_refused(string note)
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddCategoryWriting(Read("mappings/COL.yaml"), "TRANSIT", "Tránsito de migrantes", null, note));
        Assert.Equal("note", e.Field);
    }

    [Theory]
    [InlineData("Tránsito\n- injected")]
    [InlineData("Tránsito\r\n")]
    [InlineData("\u0085")]
    [InlineData("  ")]
    public void A_term_that_is_not_one_line_of_text_is_refused(string term)
    {
        Assert.Equal("national", Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddCategoryWriting(Read("mappings/COL.yaml"), "TRANSIT", term, null, Note)).Field);
        Assert.Equal("alias", Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddAlias(Read("places/COL.yaml"), "COL-TURBO", term, Note)).Field);
        Assert.Equal("reason", Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddKeepHeld(Read("mappings/COL.yaml"), "Total", term, Note)).Field);
    }

    [Fact]
    public void A_term_with_no_letter_or_digit_is_refused()
    {
        var e = Assert.Throws<PolicyEditException>(() => PolicyFileEdit.AddCodeWriting(Read("mappings/COL.yaml"), "ages", "_T", "--", Note));
        Assert.Equal("national", e.Field);
    }

    // --- line ends ---

    [Fact]
    public void A_crlf_file_keeps_crlf_on_the_changed_and_added_lines()
    {
        var before = Read("mappings/CRI.yaml").Replace("\n", "\r\n");
        var appended = PolicyFileEdit.AddCategoryWriting(before, "TRANSIT", "Tránsito irregular", 0, Note);
        var newRule = PolicyFileEdit.AddCategoryWriting(appended, "TRAFFICKING_VICTIM", "Víctima de trata", null, Note);
        var section = PolicyFileEdit.AddKeepHeld(newRule, "Total general", "a sum", Note);

        foreach (var after in new[] { appended, newRule, section }) Assert.DoesNotMatch("(?<!\r)\n|\r(?!\n)", after);
        SameModel<MappingFile>(before, section, m =>
        {
            m.Version = 5;
            m.Rules![0].National!.Add("Tránsito irregular");
            m.Rules.Add(new MappingRuleFile { Regional = "TRAFFICKING_VICTIM", National = ["Víctima de trata"] });
            m.KeepHeld = [new KeepHeldFile { National = ["Total general"], Reason = "a sum" }];
        });
        Assert.EndsWith("Expulsiones]\r\n  " + Comment + "\r\n  - regional: TRAFFICKING_VICTIM\r\n    national: [Víctima de trata]\r\n", newRule);
    }

    [Fact]
    public void A_file_without_a_trailing_newline_gets_its_new_last_lines_without_one()
    {
        var before = Read("mappings/CRI.yaml").TrimEnd('\n');
        var after = PolicyFileEdit.AddCategoryWriting(before, "TRAFFICKING_VICTIM", "Víctima de trata", null, Note);

        SameModel<MappingFile>(before, after, m => { m.Version = 3; m.Rules!.Add(new MappingRuleFile { Regional = "TRAFFICKING_VICTIM", National = ["Víctima de trata"] }); });
        ChangedExactly(before, after, removed: ["version: 2"],
            added: ["version: 3", "  " + Comment, "  - regional: TRAFFICKING_VICTIM", "    national: [Víctima de trata]"]);
        Assert.EndsWith("Expulsiones]\n  " + Comment + "\n  - regional: TRAFFICKING_VICTIM\n    national: [Víctima de trata]", after);
    }

    [Fact]
    public void A_crlf_gazetteer_without_a_trailing_newline_takes_a_new_region()
    {
        var before = Read("places/PAN.yaml").TrimEnd('\n').Replace("\n", "\r\n");
        var point = new NewPoint("PAN-COLON", "Puerto de Colón", "port", null, 9.35, -79.9, []);
        var after = PolicyFileEdit.AddPoint(before, "PA-3", "Colón", point, Note);

        SameModel<PlacesFile>(before, after, m => { m.Version = 2; m.Regions!.Add(new RegionFile { Code = "PA-3", Name = "Colón", Points = [Expected(point)] }); });
        Assert.DoesNotMatch("(?<!\r)\n", after);
        Assert.EndsWith("PTY]}\r\n  " + Comment + "\r\n  - code: PA-3\r\n    name: Colón\r\n    points:\r\n      - {code: PAN-COLON, name: Puerto de Colón, kind: port, lat: 9.35, lon: -79.9}", after);
    }

    // --- the loader ---

    [Fact]
    public void The_repository_policy_with_one_edit_of_each_kind_still_loads_and_knows_the_new_terms()
    {
        var copy = Path.Combine(Path.GetTempPath(), "ew-policy-edit-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var file in Directory.EnumerateFiles(Policy, "*.yaml", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(Policy, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
            void Edit(string relative, Func<string, string> edit) => File.WriteAllText(Path.Combine(copy, relative), edit(File.ReadAllText(Path.Combine(copy, relative))));
            Edit("mappings/COL.yaml", t => PolicyFileEdit.AddCategoryWriting(t, "TRANSIT", "Tránsito de migrantes", null, Note));
            Edit("mappings/COL.yaml", t => PolicyFileEdit.AddCategoryWriting(t, "TRAFFICKING_VICTIM", "Trata de personas", null, Note));
            Edit("mappings/COL.yaml", t => PolicyFileEdit.AddCodeWriting(t, "ages", "Y_GE60", "60 o más", Note));
            Edit("mappings/COL.yaml", t => PolicyFileEdit.AddKeepHeld(t, "Total general", "a sum of other rows", Note));
            Edit("places/COL.yaml", t => PolicyFileEdit.AddAlias(t, "COL-TURBO", "Puerto de Turbo", Note));
            Edit("places/COL.yaml", t => PolicyFileEdit.AddPoint(t, "CO-VAC", "Valle del Cauca",
                new NewPoint("COL-BUENAVENTURA", "Puerto de Buenaventura", "port", null, 3.8801, -77.0312, ["Buenaventura"]), Note));
            Edit("codelists/nationality-names.yaml", t => PolicyFileEdit.AddNationalityName(t, "NIC", "Nicaragua (República de)", Note));

            var policy = PolicyLoader.Load(copy);
            var table = policy.Tables["COL"];
            Assert.Equal(6, table.Version);
            Assert.Equal("TRANSIT", table.Rules[NationalText.Normalize("Tránsito de migrantes")].Single().Regional);
            Assert.Equal("TRAFFICKING_VICTIM", table.Rules[NationalText.Normalize("Trata de personas")].Single().Regional);
            Assert.Equal("Y_GE60", table.Ages[NationalText.Normalize("60 o más")]);
            Assert.Contains(policy.Places, p => p.Code == "COL-BUENAVENTURA" && p.Region == "CO-VAC");
            Assert.Contains("CL_AREA_NAMES(1.1.0)", policy.CodeListVersions);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    // --- helpers ---

    private const string BlockGazetteer = """
        # A gazetteer written in block style.
        country: COL
        version: 4
        regions:
          - code: CO-ANT
            name: Antioquia
            points:
              - code: COL-NECOCLI
                name: Necoclí
                kind: flow-monitoring
                neighbour: PAN
                lat: 8.4260
                lon: -76.7840
                aliases:
                  - Necocli
              - code: COL-TURBO
                name: Turbo
                kind: flow-monitoring
                neighbour: PAN
                lat: 8.0930
                lon: -76.7280
          # Chocó: the crossing to Panama by sea.
          - code: CO-CHO
            name: Chocó
            points:
              - code: COL-CAPURGANA
                name: Capurganá
                kind: flow-monitoring
                neighbour: PAN
                lat: 8.6330
                lon: -77.3500

        """;

    private static PointFile Point(PlacesFile places, string code) => places.Regions!.SelectMany(r => r.Points!).Single(p => p.Code == code);

    private static PointFile Expected(NewPoint point) => new()
    {
        Code = point.Code, Name = point.Name, Kind = point.Kind, Neighbour = point.Neighbour, Lat = point.Lat, Lon = point.Lon,
        Aliases = point.Aliases.Count > 0 ? [.. point.Aliases] : null,
    };

    private static string Line(string text, string containing) =>
        text.Split('\n').Select(l => l.TrimEnd('\r')).Single(l => l.Contains(containing, StringComparison.Ordinal));

    /// <summary>The output reads back as the input with <paramref name="change"/> applied, and nothing else.</summary>
    private static void SameModel<T>(string before, string after, Action<T> change)
    {
        var expected = Yaml.Deserialize<T>(before);
        change(expected);
        var expectedJson = JsonSerializer.SerializeToNode(expected);
        var actualJson = JsonSerializer.SerializeToNode(Yaml.Deserialize<T>(after));
        Assert.True(JsonNode.DeepEquals(expectedJson, actualJson), $"expected\n{expectedJson}\nactual\n{actualJson}");
    }

    private static void ChangedExactly(string before, string after, string[] removed, string[] added)
    {
        var diff = Diff(before, after);
        Assert.Equal(removed, diff.Removed);
        Assert.Equal(added, diff.Added);
    }

    /// <summary>For the sweeps: the version line and one edited or added line changed, with the comment above it at its indentation.</summary>
    private static void OneAcceptedLine(string before, string after, string written)
    {
        var (removed, added) = Diff(before, after);
        Assert.InRange(removed.Count, 1, 2);
        Assert.StartsWith("version: ", removed[0]);
        Assert.Equal(3, added.Count);
        Assert.StartsWith("version: ", added[0]);
        Assert.Contains(written, added[2]);
        Assert.Equal(added[2][..(added[2].Length - added[2].TrimStart(' ').Length)] + Comment, added[1]);
    }

    /// <summary>The lines only <paramref name="before"/> has and the lines only <paramref name="after"/> has, by longest common subsequence.</summary>
    private static (List<string> Removed, List<string> Added) Diff(string before, string after)
    {
        var a = before.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var b = after.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var common = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
            for (var j = b.Length - 1; j >= 0; j--)
                common[i, j] = a[i] == b[j] ? common[i + 1, j + 1] + 1 : Math.Max(common[i + 1, j], common[i, j + 1]);
        var (removed, added) = (new List<string>(), new List<string>());
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y]) { x++; y++; }
            else if (common[x + 1, y] >= common[x, y + 1]) removed.Add(a[x++]);
            else added.Add(b[y++]);
        }
        removed.AddRange(a[x..]);
        added.AddRange(b[y..]);
        return (removed, added);
    }
}
