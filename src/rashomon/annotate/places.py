"""Where places are, to tell whether two outlets put one person or event in two different places.

A place name is read in data/gazetteer.tsv.gz (GeoNames, CC BY 4.0: countries, US states, cities of
at least 30,000 people). A name can be several places ("Washington": a state, a city in DC, a town
in England); two names are apart only when every reading of one is apart from every reading of the
other: neither holds the other (a city is in its country and state) and two cities are more than
APART_KM apart. Names the gazetteer does not know are never apart: nothing is known of them.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

# Two cities closer than this are one place as far as a news account goes: a metropolitan area
# ("a Seattle woman" / "a Bellevue woman"). Chosen on the metamorphic suite (false alarms on the
# unmodified BASIL and ECB+ dev stories), see README, quality.
APART_KM = 50.0


@dataclass(frozen=True, slots=True)
class Place:
    kind: str  # country, state or city
    country: str
    state: str
    lat: float = math.nan
    lon: float = math.nan


def _key(name: str) -> str:
    name = name.strip()
    if name.lower().startswith("the "):
        name = name[4:]
    if name.endswith(("'s", "’s")):
        name = name[:-2]
    return name.strip().lower()


@cache
def _rows() -> dict[str, list[str]]:
    """Each name's lines of the gazetteer, read as places only when asked for (most never are)."""
    raw = resources.files("rashomon.data").joinpath("gazetteer.tsv.gz").read_bytes()
    found: dict[str, list[str]] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            found.setdefault(line[: line.index("\t")].lower(), []).append(line)  # names as _key leaves them
    return found


def _place(line: str) -> Place:
    _name, kind, country, state, lat, lon, _alias = line.split("\t")
    return Place(kind, country, state, float(lat or "nan"), float(lon or "nan"))


@cache
def _readings(key: str) -> tuple[Place, ...]:
    return tuple(_place(line) for line in _rows().get(key, ()))


def readings(name: str) -> tuple[Place, ...]:
    """The places a name can be, none when unknown ("Wash" read as "Wash.": a name's last stop is cut off)."""
    return _readings(_key(name)) or _readings(_key(name) + ".")


@cache
def cities() -> tuple[tuple[str, Place], ...]:
    """Every city under its own name, not an alias (for the metamorphic suite's planted places)."""
    return tuple(
        (line[: line.index("\t")], _place(line))
        for lines in _rows().values()
        for line in lines
        if line.split("\t")[1] == "city" and not line.endswith("\talias")
    )


def within(readings_of: tuple[Place, ...], qualifier: tuple[Place, ...]) -> tuple[Place, ...]:
    """The readings inside one of the qualifier's ("Bellingham, Wash."), all of them when none is."""
    kept = tuple(p for p in readings_of if any(_holds(q, p) for q in qualifier))
    return kept or readings_of


def _holds(outer: Place, inner: Place) -> bool:
    if outer.kind == "country":
        return inner.country == outer.country
    if outer.kind == "state":
        return inner.country == outer.country and inner.state == outer.state and inner.kind != "country"
    return outer == inner


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two cities."""
    la, lb = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lb - la, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(la) * math.cos(lb) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _apart(a: Place, b: Place) -> bool:
    if _holds(a, b) or _holds(b, a):
        return False
    if a.kind == "city" and b.kind == "city":
        return distance_km(a, b) > APART_KM
    return True


def apart(a: tuple[Place, ...], b: tuple[Place, ...], *, regions: bool = False) -> bool:
    """Whether two places (each the readings of its name) cannot be one: every pair of readings apart, and
    one of them a city unless `regions`. Two states or countries are more often two topics than two
    accounts of where one thing is ("shifted the focus from Iraq to Afghanistan" / "the war in
    Afghanistan"); of one named person they are where that person is from ("Jane Doe of Ohio")."""
    if not regions and not any(p.kind == "city" for p in a + b):
        return False
    return bool(a and b) and all(_apart(x, y) for x in a for y in b)


def same_place(a: tuple[Place, ...], b: tuple[Place, ...]) -> bool:
    """Whether two places can be one spot: a reading in common, or two cities within APART_KM."""
    return any(x == y or (x.kind == y.kind == "city" and distance_km(x, y) <= APART_KM) for x in a for y in b)


def located(value: str) -> tuple[str, tuple[Place, ...]]:
    """A place slot's value ("of:Bellingham|Wash") → what it places ("of" or "at") and its readings."""
    what, _, where = value.partition(":")
    name, _, qualifier = where.partition("|")
    found = readings(name)
    return what, within(found, readings(qualifier)) if qualifier else found
