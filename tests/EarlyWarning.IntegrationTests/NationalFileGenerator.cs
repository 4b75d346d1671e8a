using System.Globalization;
using System.Text;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// Realistic national files: each country's own categories, places and nationality spellings, mixed within one
/// file as real exports mix them (codes next to demonyms, plural and singular, with and without accents, upper
/// case). The vocabulary is written here independently of policy/, from what the authorities publish; a few
/// values no policy covers (typos, a permit the tables do not list, a place the gazetteer does not have) are
/// injected on purpose, and reported by <see cref="Unmapped"/>. Most cells are broken down by sex and by each
/// country's own age bands, as published (Mexico's "0 a 11 años", Panama's "Menores" and "Adultos"); the rest are totals.
/// </summary>
internal sealed class NationalFileGenerator(int seed)
{
    private sealed record Vocabulary(string[] Places, string[] Categories, string[] Nationalities, (string Kind, string Value)[] Unknown)
    {
        /// <summary>Age breakdowns the country publishes: each a set of bands that together make the total.</summary>
        public string[][] AgeBreakdowns { get; init; } = [["0-17", "18-59", "60+"]];

        /// <summary>An age band no table lists (a band of another standard), injected now and then.</summary>
        public string? UnknownAge { get; init; }
    }

    private static readonly Dictionary<string, Vocabulary> Countries = new()
    {
        ["CHL"] = new(
            ["Colchane", "Complejo Fronterizo Colchane", "Chacalluta", "Paso Chacalluta", "Aeropuerto Arturo Merino Benítez", "AMB", "Chungará"],
            ["Ingreso por paso no habilitado", "Ingresos por pasos no habilitados", "INGRESO POR PASO NO HABILITADO", "Autodenuncia", "Reconducción", "Reconduccion",
             "Solicitud de refugio", "Expulsiones materializadas", "Ingreso regular"],
            ["venezolana", "venezolano", "Venezolanos", "haitiana", "HAITIANOS", "colombiana", "peruana", "boliviana", "BOLIVIANOS", "dominicana", "cubana", "china"],
            [("nationality", "Venezolna"), ("place", "Pisagua")]) { AgeBreakdowns = [["0-17", "18-59", "60+"], ["Menores de edad", "18 a 59 años", "60 años y más"], ["NNA", "Mayores de edad"]], UnknownAge = "0 a 14 años" },
        ["PER"] = new(
            ["Tumbes CEBAF", "CEBAF Tumbes", "Santa Rosa", "Desaguadero", "Aeropuerto Internacional Jorge Chávez", "La Tina"],
            ["Ingreso regular", "Ingreso irregular", "Ingresos irregulares", "CPP otorgado", "Carné de Permiso Temporal de Permanencia", "Solicitud de refugio",
             "Inadmisión", "Expulsión"],
            ["Venezuela", "VENEZUELA", "venezolanos", "Colombia", "Ecuador", "ecuatoriano", "Haití", "Bolivia", "Chile", "China", "Cuba"],
            [("category", "Calidad migratoria turista")]) { AgeBreakdowns = [["0-17", "18-59", "60+"], ["Menores de edad", "Mayores de edad"], ["0 - 17 años", "18 - 59 años", "60 a más años"]], UnknownAge = "Infantes" },
        ["COL"] = new(
            ["Puente Internacional Simón Bolívar", "Puente Simon Bolivar", "Puente Francisco de Paula Santander", "Rumichaca", "Necoclí", "Necocli",
             "Paraguachón", "Aeropuerto El Dorado", "Turbo", "Capurganá"],
            ["Ingreso regular", "Ingreso irregular", "PPT otorgado", "PPT", "Permiso por Protección Temporal", "Tránsito irregular", "Flujo irregular hacia Panamá",
             "Inadmisión", "Salvoconducto SC-2"],
            ["VEN", "Venezuela", "venezolano", "ECU", "HTI", "haitianos", "Ecuador", "Chile", "CHN", "IND", "AFG"],
            [("place", "PCM Puerto Carreño")]) { AgeBreakdowns = [["0-17", "18-59", "60+"], ["Primera infancia", "5 a 11 años", "12 a 17 años", "Mayores de edad"]], UnknownAge = "Jóvenes" },
        ["ECU"] = new(
            ["Rumichaca", "Puente Internacional de Rumichaca", "Huaquillas", "CEBAF Huaquillas", "Macará", "Aeropuerto Mariscal Sucre", "San Miguel"],
            ["Ingreso regular", "Ingreso irregular", "Visa VIRTE", "VIRTE", "Visa humanitaria", "Solicitud de protección internacional", "Deportación", "Tránsito humanitario"],
            ["venezolana", "colombiana", "peruana", "cubana", "haitiana", "China", "india", "afgana"],
            [("nationality", "Extranjera")]) { AgeBreakdowns = [["0-17", "18-59", "60+"], ["Menores de edad", "18 a 59 años", "65 y más"]], UnknownAge = "Tercera edad" },
        ["PAN"] = new(
            ["Lajas Blancas", "ERM Lajas Blancas", "San Vicente", "ETRM San Vicente", "Bajo Chiquito", "Paso Canoas", "Tocumen"],
            ["Tránsito por Darién", "Transito por Darien", "Tránsito irregular", "Ingreso", "Ingreso irregular", "Estación de recepción migratoria", "Deportación"],
            ["VEN", "ECU", "HTI", "COL", "CHN", "IND", "AFG", "haitiano", "Venezuela", "Ecuador", "Camerún", "Angola", "Uzbekistán"],
            [("category", "Retenido")]) { AgeBreakdowns = [["Menores", "Adultos"], ["Menores de edad", "Mayores de edad"]], UnknownAge = "Niños" },
        ["CRI"] = new(
            ["Paso Canoas", "Peñas Blancas", "Penas Blancas", "CATEM Sur", "Los Chiles", "Aeropuerto Internacional Juan Santamaría"],
            ["Flujo migratorio irregular en tránsito", "Personas en tránsito", "Ingreso", "Rechazos", "Solicitudes de refugio", "Protección complementaria"],
            ["nicaragüense", "NICARAGÜENSES", "venezolano", "colombiano", "haitiano", "cubano", "ecuatoriano", "Nicaragua"],
            [("nationality", "Nica")]) { AgeBreakdowns = [["Personas menores de edad", "Personas adultas"], ["0-17", "18-59", "Persona adulta mayor"]], UnknownAge = "PAM" },
        ["BRA"] = new(
            ["Pacaraima", "PRI Pacaraima", "Boa Vista", "Bonfim", "Aeroporto de Guarulhos", "Tabatinga", "Assis Brasil"],
            ["Entrada regular", "Autorização de residência", "Autorizações de residência", "Solicitação de refúgio", "Solicitações de refúgio", "Atendimentos de entrada",
             "Visto humanitário", "Deportação"],
            ["venezuelana", "venezuelano", "Venezuela", "haitiana", "HAITIANOS", "cubana", "colombiano", "angolana", "Guiana", "afegãos"],
            [("category", "Residência por reunião familiar"), ("category", "Interiorização")]) { AgeBreakdowns = [["0-17", "18-59", "60+"], ["0 a 17 anos", "18 a 59 anos", "60 anos ou mais"], ["Crianças e adolescentes", "Maiores de idade"]], UnknownAge = "Jovens" },
        ["MEX"] = new(
            ["Tapachula", "Estación Migratoria Siglo XXI", "Ciudad Hidalgo", "Cd. Hidalgo", "Talismán", "Ciudad Juárez", "Tijuana", "El Ceibo", "AICM"],
            ["Eventos de personas en situación migratoria irregular", "Presentados", "TVRH", "Tarjeta de Visitante por Razones Humanitarias", "Solicitud de asilo",
             "Solicitudes de asilo", "Retorno asistido", "Deportación", "Ingreso irregular"],
            ["hondureña", "hondureño", "guatemalteca", "guatemaltecos", "salvadoreña", "venezolana", "cubana", "haitiana", "ecuatoriana", "nicaragüense",
             "colombiana", "Honduras", "Guatemala", "El Salvador"],
            [("nationality", "Sin dato")]) { AgeBreakdowns = [["0 a 11 años", "12 a 17 años", "18 años y más"], ["NNA", "Adultos"]], UnknownAge = "Menores de 12" },
    };

    public static IReadOnlyCollection<string> CountryCodes => Countries.Keys;

    /// <summary>The values injected on purpose that no policy covers, with the number of rows carrying each, per country.</summary>
    public Dictionary<(string Country, string Kind, string Value), int> Unmapped { get; } = [];

    /// <summary>
    /// The cells the agreements release for every file generated so far, which is what Classification receives: a
    /// group broken down by sex and age is released as its total, one cell per sex and one per age band.
    /// </summary>
    public int Cells { get; private set; }

    /// <summary>
    /// A CSV file of <paramref name="groups"/> distinct (week, place, nationality, category) groups of <paramref name="country"/>
    /// in 2023; about one group in 200 carries an unknown value, and about one age breakdown in 150 an unknown age band.
    /// </summary>
    public string Csv(string country, int groups)
    {
        // string.GetHashCode differs from process to process; the same seed must give the same files.
        var random = new Random(seed + country.Sum(c => c));
        var vocabulary = Countries[country];
        var text = new StringBuilder("period,border_point,nationality,category,sex,age_group,count\n");
        var seen = new HashSet<string>();
        while (seen.Count < groups)
        {
            var week = random.Next(1, 53);
            var period = random.Next(2) == 0
                ? $"2023-W{week:D2}"
                : DateOnly.FromDateTime(ISOWeek.ToDateTime(2023, week, DayOfWeek.Monday)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var place = Pick(random, vocabulary.Places);
            var category = Pick(random, vocabulary.Categories);
            var nationality = Pick(random, vocabulary.Nationalities);
            (string Kind, string Value)? unknown = random.Next(200) == 0 ? Pick(random, vocabulary.Unknown) : null;
            if (unknown is { Kind: "place" } p) place = p.Value;
            if (unknown is { Kind: "category" } c) category = c.Value;
            if (unknown is { Kind: "nationality" } n) nationality = n.Value;
            // The same cell twice is refused by Ingestion; a date and its week are the same period too.
            if (!seen.Add(Fold($"{week}|{place}|{nationality}|{category}"))) continue;

            // Three groups in four are published by sex and by age band (every sex with every band, as the national
            // tables cross them); the others as totals only.
            var bands = random.Next(4) == 0 ? null : Pick(random, vocabulary.AgeBreakdowns);
            if (bands is not null && vocabulary.UnknownAge is { } odd && random.Next(150) == 0)
            {
                bands = [.. bands[..^1], odd];
                Count(country, "age", odd, 1);
            }
            var released = bands is null ? 1 : 1 + 2 + bands.Length;
            Cells += released;
            if (unknown is { } u) Count(country, u.Kind, u.Value, released);

            var group = $"{period},{Quote(place)},{Quote(nationality)},{Quote(category)}";
            if (bands is null) text.Append(CultureInfo.InvariantCulture, $"{group},,,{random.Next(5, 400)}\n");
            else
                foreach (var sex in new[] { "F", "M" })
                foreach (var band in bands)
                    text.Append(CultureInfo.InvariantCulture, $"{group},{sex},{Quote(band)},{random.Next(5, 150)}\n");
        }
        return text.ToString();
    }

    private void Count(string country, string kind, string value, int cells) =>
        Unmapped[(country, kind, value)] = Unmapped.GetValueOrDefault((country, kind, value)) + cells;

    /// <summary>Ingestion compares cells ignoring case and accents ("Reconducción" and "reconduccion" are one cell).</summary>
    private static string Fold(string text) =>
        new string(text.ToLowerInvariant().Normalize(NormalizationForm.FormD)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static string Quote(string value) => value.Contains(',') ? $"\"{value}\"" : value;
}
