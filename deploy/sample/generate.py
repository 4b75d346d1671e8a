#!/usr/bin/env python3
"""Generates the bundled sample dataset: synthetic but realistic weekly flows for six countries.

Two years (2024-W01 .. 2025-W52) of weekly counts per border point, nationality (written as each
authority writes it), national category and sex, with an annual season, a slow trend, over-dispersed
noise, small cells that the privacy agreement suppresses, and injected surges. Deterministic (seeded).
Run it again only to change the data: the files it writes are committed.
"""
import csv, datetime, json, math, os, random

random.seed(20241030)
HERE = os.path.dirname(os.path.abspath(__file__))
START = datetime.date(2024, 1, 1)  # Monday of 2024-W01
WEEKS = 104

# country -> (points, [(nationality as written, base level)], [(national category, share)], format)
COUNTRIES = {
    "CHL": (["Colchane", "Chacalluta"], [("venezolana", 60), ("haitiana", 18), ("colombiana", 9)],
            [("Ingreso por paso no habilitado", 1.0), ("Solicitud de refugio", 0.25)], "csv"),
    "COL": (["Rumichaca", "Puente Simon Bolivar"], [("venezolano", 140), ("ecuatoriano", 20), ("HTI", 12)],
            [("Ingreso irregular", 1.0), ("PPT otorgado", 0.5)], "csv"),
    "PER": (["Tumbes CEBAF", "Santa Rosa"], [("venezolana", 80), ("colombiana", 15), ("haitiana", 7)],
            [("Ingreso irregular", 1.0), ("CPP otorgado", 0.4)], "csv"),
    "PAN": (["Lajas Blancas", "San Vicente"], [("VEN", 300), ("ECU", 60), ("haitiano", 40)],
            [("Transito por Darien", 1.0), ("Estacion de recepcion migratoria", 0.6)], "json"),
    "MEX": (["Tapachula", "Ciudad Juarez"], [("venezolana", 120), ("cubana", 45), ("hondurena", 70)],
            [("Ingreso irregular", 1.0), ("Solicitud de asilo", 0.35)], "csv"),
    "ECU": (["Rumichaca", "Huaquillas"], [("venezolana", 50), ("colombiana", 25), ("peruana", 8)],
            [("Ingreso irregular", 1.0), ("Visa VIRTE", 0.3)], "json"),
}

# (country, point, nationality, category, first week index, multipliers)
SURGES = [
    ("CHL", "Colchane", "venezolana", "Ingreso por paso no habilitado", 93, [3.0, 3.4, 2.6]),
    ("PAN", "Lajas Blancas", "haitiano", "Transito por Darien", 80, [4.0, 3.0]),
    ("MEX", "Tapachula", "cubana", "Solicitud de asilo", 60, [3.5]),
]


def surge_factor(country, point, nationality, category, week):
    for c, p, n, k, first, factors in SURGES:
        if (c, p, n, k) == (country, point, nationality, category) and first <= week < first + len(factors):
            return factors[week - first]
    return 1.0


def count(mean):
    # Negative binomial (gamma-Poisson) noise with dispersion 50: wider than Poisson, as real flows are.
    shape = 50.0
    lam = random.gammavariate(shape, mean / shape) if mean > 0 else 0
    # Knuth's Poisson for small means, normal approximation for large ones.
    if lam < 30:
        l, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= random.random()
            if p <= l:
                return k
            k += 1
    return max(0, int(round(random.gauss(lam, math.sqrt(lam)))))


def rows_for(country):
    points, nationalities, categories, _ = COUNTRIES[country]
    for week in range(WEEKS):
        period = START + datetime.timedelta(weeks=week)
        season = 1 + 0.35 * math.sin(2 * math.pi * (week - 10) / 52)
        trend = 1 + 0.002 * week
        for pi, point in enumerate(points):
            for nationality, level in nationalities:
                for category, share in categories:
                    for sex, sex_share in (("F", 0.45), ("M", 0.55)):
                        mean = level * share * sex_share * season * trend * (1.0 if pi == 0 else 0.5)
                        mean *= surge_factor(country, point, nationality, category, week)
                        yield period.isoformat(), point, nationality, category, sex, count(mean)


def main():
    for country, (_, _, _, fmt) in COUNTRIES.items():
        rows = list(rows_for(country))
        path = os.path.join(HERE, f"{country}.{fmt}")
        if fmt == "csv":
            with open(path, "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["period", "border_point", "nationality", "category", "sex", "count"])
                w.writerows(rows)
        else:
            doc = {"reportingCountry": country, "observations": [
                {"period": p, "borderPoint": b, "nationality": n, "category": c, "sex": s, "count": v}
                for p, b, n, c, s, v in rows]}
            with open(path, "w") as f:
                json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        print(f"{path}: {len(rows)} rows")


if __name__ == "__main__":
    main()
