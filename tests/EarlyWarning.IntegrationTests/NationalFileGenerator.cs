using System.Globalization;
using System.Text;

namespace EarlyWarning.IntegrationTests;

/// <summary>
/// Realistic national files: each country's own categories, places and nationality spellings, mixed within one
/// file as real exports mix them (codes next to demonyms, plural and singular, with and without accents, upper
/// case). The vocabulary is written here independently of policy/, from what the authorities publish; a few
/// values no policy covers (typos, a permit the tables do not list, a place the gazetteer does not have) are
/// injected on purpose, and reported by <see cref="Unmapped"/>.
/// </summary>
internal sealed class NationalFileGenerator(int seed)
{
    private sealed record Vocabulary(string[] Places, string[] Categories, string[] Nationalities, (string Kind, string Value)[] Unknown);

    private static readonly Dictionary<string, Vocabulary> Countries = new()
    {
        ["CHL"] = new(
            ["Colchane", "Complejo Fronterizo Colchane", "Chacalluta", "Paso Chacalluta", "Aeropuerto Arturo Merino Benítez", "AMB", "Chungará"],
            ["Ingreso por paso no habilitado", "Ingresos por pasos no habilitados", "INGRESO POR PASO NO HABILITADO", "Autodenuncia", "Reconducción", "Reconduccion",
             "Solicitud de refugio", "Expulsiones materializadas", "Ingreso regular"],
            ["venezolana", "venezolano", "Venezolanos", "haitiana", "HAITIANOS", "colombiana", "peruana", "boliviana", "BOLIVIANOS", "dominicana", "cubana", "china"],
            [("nationality", "Venezolna"), ("place", "Pisagua")]),
        ["PER"] = new(
            ["Tumbes CEBAF", "CEBAF Tumbes", "Santa Rosa", "Desaguadero", "Aeropuerto Internacional Jorge Chávez", "La Tina"],
            ["Ingreso regular", "Ingreso irregular", "Ingresos irregulares", "CPP otorgado", "Carné de Permiso Temporal de Permanencia", "Solicitud de refugio",
             "Inadmisión", "Expulsión"],
            ["Venezuela", "VENEZUELA", "venezolanos", "Colombia", "Ecuador", "ecuatoriano", "Haití", "Bolivia", "Chile", "China", "Cuba"],
            [("category", "Calidad migratoria turista")]),
        ["COL"] = new(
            ["Puente Internacional Simón Bolívar", "Puente Simon Bolivar", "Puente Francisco de Paula Santander", "Rumichaca", "Necoclí", "Necocli",
             "Paraguachón", "Aeropuerto El Dorado", "Turbo", "Capurganá"],
            ["Ingreso regular", "Ingreso irregular", "PPT otorgado", "PPT", "Permiso por Protección Temporal", "Tránsito irregular", "Flujo irregular hacia Panamá",
             "Inadmisión", "Salvoconducto SC-2"],
            ["VEN", "Venezuela", "venezolano", "ECU", "HTI", "haitianos", "Ecuador", "Chile", "CHN", "IND", "AFG"],
            [("place", "PCM Puerto Carreño")]),
        ["ECU"] = new(
            ["Rumichaca", "Puente Internacional de Rumichaca", "Huaquillas", "CEBAF Huaquillas", "Macará", "Aeropuerto Mariscal Sucre", "San Miguel"],
            ["Ingreso regular", "Ingreso irregular", "Visa VIRTE", "VIRTE", "Visa humanitaria", "Solicitud de protección internacional", "Deportación", "Tránsito humanitario"],
            ["venezolana", "colombiana", "peruana", "cubana", "haitiana", "China", "india", "afgana"],
            [("nationality", "Extranjera")]),
        ["PAN"] = new(
            ["Lajas Blancas", "ERM Lajas Blancas", "San Vicente", "ETRM San Vicente", "Bajo Chiquito", "Paso Canoas", "Tocumen"],
            ["Tránsito por Darién", "Transito por Darien", "Tránsito irregular", "Ingreso", "Ingreso irregular", "Estación de recepción migratoria", "Deportación"],
            ["VEN", "ECU", "HTI", "COL", "CHN", "IND", "AFG", "haitiano", "Venezuela", "Ecuador", "Camerún", "Angola", "Uzbekistán"],
            [("category", "Retenido")]),
        ["CRI"] = new(
            ["Paso Canoas", "Peñas Blancas", "Penas Blancas", "CATEM Sur", "Los Chiles", "Aeropuerto Internacional Juan Santamaría"],
            ["Flujo migratorio irregular en tránsito", "Personas en tránsito", "Ingreso", "Rechazos", "Solicitudes de refugio", "Protección complementaria"],
            ["nicaragüense", "NICARAGÜENSES", "venezolano", "colombiano", "haitiano", "cubano", "ecuatoriano", "Nicaragua"],
            [("nationality", "Nica")]),
        ["BRA"] = new(
            ["Pacaraima", "PRI Pacaraima", "Boa Vista", "Bonfim", "Aeroporto de Guarulhos", "Tabatinga", "Assis Brasil"],
            ["Entrada regular", "Autorização de residência", "Autorizações de residência", "Solicitação de refúgio", "Solicitações de refúgio", "Interiorização",
             "Visto humanitário", "Deportação"],
            ["venezuelana", "venezuelano", "Venezuela", "haitiana", "HAITIANOS", "cubana", "colombiano", "angolana", "Guiana", "afegãos"],
            [("category", "Residência por reunião familiar")]),
        ["MEX"] = new(
            ["Tapachula", "Estación Migratoria Siglo XXI", "Ciudad Hidalgo", "Cd. Hidalgo", "Talismán", "Ciudad Juárez", "Tijuana", "El Ceibo", "AICM"],
            ["Eventos de personas en situación migratoria irregular", "Presentados", "TVRH", "Tarjeta de Visitante por Razones Humanitarias", "Solicitud de asilo",
             "Solicitudes de asilo", "Retorno asistido", "Deportación", "Ingreso irregular"],
            ["hondureña", "hondureño", "guatemalteca", "guatemaltecos", "salvadoreña", "venezolana", "cubana", "haitiana", "ecuatoriana", "nicaragüense",
             "colombiana", "Honduras", "Guatemala", "El Salvador"],
            [("nationality", "Sin dato")]),
    };

    public static IReadOnlyCollection<string> CountryCodes => Countries.Keys;

    /// <summary>The values injected on purpose that no policy covers, with the number of rows carrying each, per country.</summary>
    public Dictionary<(string Country, string Kind, string Value), int> Unmapped { get; } = [];

    /// <summary>A CSV file of <paramref name="rows"/> distinct cells of <paramref name="country"/>, weekly in 2023; about one row in 200 carries an unknown value.</summary>
    public string Csv(string country, int rows)
    {
        // string.GetHashCode differs from process to process; the same seed must give the same files.
        var random = new Random(seed + country.Sum(c => c));
        var vocabulary = Countries[country];
        var text = new StringBuilder("period,border_point,nationality,category,sex,age_group,count\n");
        var seen = new HashSet<string>();
        // Totals only: the agreement then releases each cell as submitted (a breakdown by sex or age would add its
        // margins), so that every row of the file can be followed to the harmonized store or the review store.
        string[] sexes = [""];
        string[] ages = [""];
        while (seen.Count < rows)
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
            var line = $"{period},{Quote(place)},{Quote(nationality)},{Quote(category)},{Pick(random, sexes)},{Pick(random, ages)}";
            // The same cell twice is refused by Ingestion; a date and its week are the same period too.
            var key = Fold($"{week}|{place}|{nationality}|{category}");
            if (!seen.Add(key)) continue;
            if (unknown is { } u) Unmapped[(country, u.Kind, u.Value)] = Unmapped.GetValueOrDefault((country, u.Kind, u.Value)) + 1;
            text.Append(CultureInfo.InvariantCulture, $"{line},{random.Next(5, 400)}\n");
        }
        return text.ToString();
    }

    /// <summary>Ingestion compares cells ignoring case and accents ("Reconducción" and "reconduccion" are one cell).</summary>
    private static string Fold(string text) =>
        new string(text.ToLowerInvariant().Normalize(NormalizationForm.FormD)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray());

    private static T Pick<T>(Random random, T[] values) => values[random.Next(values.Length)];

    private static string Quote(string value) => value.Contains(',') ? $"\"{value}\"" : value;
}
