"""The vocabulary that tells people's names from other words in running text.

Package data: `common_words.txt` (English words as a dictionary writes them, in lower case: a
capitalised word that is one is usually no name), `proper_words.txt` (capitalised dictionary
entries: first names, famous surnames, places, nationalities), `title_words.csv` (titles and
offices) and the tables below. Everything is read once, lazily.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path
from typing import Final

from service.parsing import glossary

DATA_DIR: Final = Path(__file__).parent / "data"


def words(text: str) -> frozenset[str]:
    """The blank-separated words of a text, as a set (the tables below)."""
    return frozenset(text.split())


# Words that stand before a name as a title or rank, beyond the title table: ranks,
# religious and noble titles, US office abbreviations written as one word.
EXTRA_TITLES: Final = words(
    """
    a/s u/s das pdas dasd a/sec u/sec usec asec s/e dus sra sg dsg usg-designate
    gen lt col maj capt cpt sgt adm cmdr ltg mg bg brig maj.gen brigadier-general
    lieutenant-general major-general sen rep gov amb amb. pres pm fm dpm
    speaker chancellor premier king queen crown emir amir sultan sheikh shaykh shaikh imam
    ayatollah mufti cardinal bishop archbishop pope patriarch father rabbi reverend rev
    monsignor nuncio magistrate prosecutor attorney attorney-general ag
    lord lady sir dame baron mme mlle herr frau sr. sra. srta.
    ombudsman rapporteur envoy emissary ceo cfo coo chairman chairwoman president-elect
    depsec secstate dassec dpm mufti mofti emboffs conoffs econoffs poloffs codel staffdel
    vice-president vice-minister deputy-minister undersecretary-general under-secretary
    congressman congresswoman congressmen senator senators delegate governor lt.gov
    mayor deputy-mayor councillor councilman alderman mp mps mep meps legislator deputy
    poloff econoff emboff conoff mgtoff rsoff polecon pol/econ polmiloff econcouns polcouns
    mincouns dcm cda charge chargé ambassador-at-large consul-general cg cons pao dao rso
    ado legatt attache notetaker commandant commander-in-chief c-in-c coordinator
    spokesman spokeswoman spokesperson minister-counselor counselor counsellor
    treasurer comptroller auditor registrar aide strategist economist editor correspondent
    reporter activist lawyer businessman businesswoman entrepreneur founder candidate nominee
    official diplomat negotiator scholar academic researcher expert historian priest pastor
    monk sheikha princess ruler highness majesty former late then-president acting interim
    dissident journalist general-secretary secretary-general commissioner
    ministers presidents ambassadors laureate
    """
)
# Words of a Classified By official's title ("a/dcm", "charge", "d'affaires", "pol/econ"),
# misspellings seen in real cables included ("councelor", "cooqnator").
OFFICIAL_TITLE_WORDS: Final = words(
    """
    a.i a.i. a.i., acting adcm affaires general advisor affairs amb amb. ambassador arso
    assistant cda cg charg charge
    charge' chief coordinator cooqnator com congen consul consul-general consulate counselor
    councelor d'affaires d’affaires d’ dcm deputy director dir dir. econ economic ecopol econoff
    officer executive global glbal interagency legal m-c m/c mc minister minister-counselor
    minister-councelor mincouns mission of pol pol/c pol/econ polcouns polcounselor polecon
    political polmincouns poloff principal provincial section secretary under unit usec usun
    a/polcouns d/polcouns d/political a/s a/dcm p/e isn regional presence team leader eur/pra
    inr/ops isn/mtr useu section-chief pao rso consul-general deputy-chief p/e
    couns couns. ecmin polmin das dpo envoy special representative permanent head legatt legat
    """
)
# Words of the title table that are no title in running text ("the", "her", "two").
NOT_TITLES_IN_TEXT: Final = words(
    """
    the her his all both other others several various one two three four five six seven
    eight nine ten first second third end begin text summary comment participants members
    officials officers delegates representatives staff interpreters translators
    """
)
# Honorifics: they mark what follows as a name and are no part of it.
HONORIFICS: Final[frozenset[str]] = frozenset(
    {"mr", "mrs", "ms", "miss", "messrs", "mme", "dr", "prof", "mister", "madame", "madam"}
    | {"sir", "dame", "lord", "lady", "dom", "dona", "herr", "frau", "monsieur", "signor"}
    | {"signora", "senor", "señor", "senora", "señora", "sr", "sra", "mlle"}
)
# Titles that are also common surnames: after a first name, at the end of a run, the surname
# ("Julian King", "Howard Dean", "Skye Justice").
SURNAME_TITLES: Final = words(
    """
    king dean bishop justice marshal pastor judge prince sultan cardinal chancellor rector
    provost major speaker mullah shah coronel
    """
)
# Words that make a run of capitalised words an organisation, place or event, not a person.
ORGANISATION_WORDS: Final = words(
    """
    ministry ministries government embassy consulate council commission committee university
    bank army forces force court assembly parliament congress senate agency agencies office
    department union front movement alliance league institute foundation group company
    corporation corp inc ltd airlines airways news times post journal radio television tv
    street avenue road square palace house hotel airport province region district city
    states republic kingdom islands sea river mountains program programme plan initiative
    agreement accord treaty convention conference summit forum club center centre church
    mosque tribunal police service services guard brigade brigades division battalion corps
    navy organization organisation association federation society network fund authority
    bureau directorate secretariat cabinet presidency administration coalition bloc faction
    declaration act law resolution process talks party parties school college academy
    hospital press agency ministry's party's day week year month labour tories conservatives
    liberals democrats republicans socialists communists greens
    kremlin bundestag bundesrat knesset duma majlis sejm storting althing althingi riksdag
    folketing eduskunta politburo interpol europol mafia taliban hizballah hezbollah hamas
    fatah qaeda qaida itamaraty elysee pentagon whitehall tory koran quran bible torah talmud
    olympic olympics prize award nobel facebook twitter google youtube report
    """
)
# Words after a surname that name something of that person's ("the Maliki government", "the
# Bush administration"): the person is named there, though no part of an organisation's name.
RULED_BY: Final = words("government administration regime era cabinet clan loyalists supporters")
MONTHS_AND_DAYS: Final = words(
    """
    january february march april may june july august september october november december
    feb mar apr jun jul aug sep sept oct nov dec
    monday tuesday wednesday thursday friday saturday sunday
    christmas easter ramadan hajj nowruz newroz diwali hanukkah passover thanksgiving lent
    advent ashura muharram pentecost epiphany
    """
)
# Lower-case particles inside names ("Peter de Gooijer", "Hanif al Qasimi").
NAME_PARTICLES: Final[frozenset[str]] = frozenset(
    {"de", "da", "del", "della", "di", "du", "van", "von", "der", "den", "la", "le", "al", "el"}
    | {"bin", "ibn", "bint", "dos", "das", "ter", "abu", "ben", "ould", "y", "e"}
)
# Words after a surname that are no surname: "Jr.", "III", and the Portuguese "Filho" (son)
# and "Sobrinho" (nephew) of "Luiz Antonio Fleury Filho". ("Neto" and "Junior" are also
# surnames: "Agostinho Neto".)
NAME_SUFFIXES: Final[frozenset[str]] = frozenset(
    {"jr", "sr", "ii", "iii", "iv", "filho", "sobrinho"}
)
# Acronyms and cable jargon that look like name words (in all-caps text above all) and are
# no names.
ACRONYMS: Final = words(
    """
    usg gou goi gok gom gos got gon gop gor gob goa goe gon goj gol gog gol rg mfa mod moi
    mofa nato osce iaea unhcr undp usun useu unvie usaid ustr opcw unesco unicef asean apec
    nsc dod doe dhs fbi cia dea nsa imf wto eu un au ngo ngos pol econ amcit amcits
    hamas fatah hizballah hezbollah taliban al-qaida al-qaeda nnnn sipdis noforn exdis nodis
    limdis stadis sbu ussr opec g-8 g-20 g8 g20 decl reftel reftels septel memcon telcon aka afp
    reuters xinhua interfax bbc cnn aide-memoire non-paper attendees fsn fsns amemb amembassy
    amconsul
    """
)


# Words that open a place's name ("New York", "South Ossetia", "San Jose"): a run of
# capitalised words that starts with one and has no title before it names no person.
PLACE_LEADS: Final = words(
    """
    new north south east west northern southern eastern western san santa saint st los las
    port fort mount lake cape upper lower central greater gulf
    """
)


@functools.cache
def common_words() -> frozenset[str]:
    """English words in lower case: a capitalised word that is one starts a sentence or names
    a thing far more often than a person."""
    return _read_words("common_words.txt")


@functools.cache
def proper_words() -> frozenset[str]:
    """Capitalised dictionary entries, lower-cased: first names, famous surnames, places."""
    return frozenset(word.lower() for word in _read_words("proper_words.txt"))


@functools.cache
def title_words() -> frozenset[str]:
    """Titles and offices that stand before a name (lower case)."""
    lines = (DATA_DIR / "title_words.csv").read_text("utf-8").splitlines()[1:]
    table = {line.strip() for line in lines if line.strip()}
    return frozenset(table | EXTRA_TITLES)


@functools.cache
def text_titles() -> frozenset[str]:
    """Titles that stand before a name in running text."""
    return title_words() - NOT_TITLES_IN_TEXT - ORGANISATION_WORDS


# Names of peoples that do not follow from their country's name by a suffix.
_PEOPLES: Final = words(
    """
    british french dutch swiss greek turkish danish swedish polish irish spanish finnish
    english scottish welsh filipino thai lao burmese kazakh uzbek tajik kyrgyz turkmen afghan
    arab arabs kurd kurds kurdish shia shiite shiites sunni sunnis persian basque catalan
    pashtun tamil tamils sinhalese hutu tutsi bedouin druze maronite coptic muslim muslims
    christian christians jewish jews catholic catholics orthodox european europeans western
    eastern northern southern african africans asian asians latin american americans
    palestinian palestinians israeli israelis iraqi iraqis saudi saudis yemeni omani emirati
    kuwaiti qatari bahraini pakistani pakistanis bangladeshi nepali somali malian
    islam islamic islamist islamists christianity judaism hinduism buddhism buddhist hindu
    german germans lebanese chinese japanese sudanese congolese senegalese vietnamese portuguese
    taiwanese nepalese maltese togolese guyanese beninese gabonese
    protestant protestants evangelical evangelicals pentecostal pentecostals baptist baptists
    methodist methodists lutheran lutherans anglican anglicans presbyterian presbyterians
    mennonite mennonites mormon mormons adventist adventists jehovah quaker quakers
    baha'i bahai sikh sikhs jain jains hindus buddhists sufi sufis salafi salafis salafist
    wahhabi alawite alawites ismaili ismailis yazidi yazidis zoroastrian ahmadi ahmadis
    arabic farsi dari pashto urdu hindi bengali swahili hebrew mandarin cantonese
    """
) | frozenset({"cao dai", "hoa hao"})


@functools.cache
def peoples() -> frozenset[str]:
    """Lower-case names of peoples and nationalities ("australian", "iraqi", "french")."""
    found = set(_PEOPLES)
    for place in place_words():
        if len(place) < 4:
            continue
        stem = place[:-1] if place[-1] in "aeiouy" else place  # "costa rica" -> "costa rican"
        for ending in ("n", "an", "ian", "ean", "i", "e", "ese", "ish", "ic", "er", "ite"):
            found.add(place + ending)
            found.add(stem + ending)
    return frozenset(found | {word + "s" for word in found})


@functools.cache
def place_words() -> frozenset[str]:
    """Folded names of countries, regions and the cities of US posts."""
    cities = set()
    for line in (DATA_DIR / "stations.csv").read_text("utf-8").splitlines()[1:]:
        station, origin = line.casefold().split(",", 2)[:2]
        words = origin.split()
        while words and words[0] in _POST_WORDS:
            words = words[1:]
        cities |= {station, " ".join(words)}
    return glossary.place_names() | frozenset(cities - {""}) | _MORE_PLACES


# Places cables name as often as posts: the seat of the US government, the capitals of the
# organisations missions are accredited to, and the continents, regions, seas and deserts they
# speak of ("Central Asia", "the Sahel", "the Adriatic").
_MORE_PLACES: Final = words(
    """
    washington dc brussels geneva strasbourg luxembourg
    britain holland zealand tobago bosnia herzegovina arabia darfur golan sinai
    falkland falklands chechnya tibet xinjiang gaza bavaria
    asia europe africa americas oceania antarctica arctic eurasia caucasus balkans levant
    maghreb mashreq sahel sahara scandinavia benelux siberia crimea kashmir kurdistan
    mesopotamia anatolia patagonia amazonia polynesia melanesia micronesia transcaucasia
    mediterranean adriatic aegean baltic caspian caribbean atlantic pacific
    """
)


# How a people's name is made from its place's ("Peruvian" from "Peru", "Belgian" from
# "Belgium", "Panamanian" from "Panama", "Honduran" from "Honduras"): an ending of the people's
# name, and what the place's name may end in instead.
_DEMONYM_ENDINGS: Final = (
    ("nian", ("",)),  # Panamanian
    ("vian", ("",)),  # Peruvian
    ("ian", ("ia", "ium", "y", "a", "")),  # Bavarian, Belgian, Italian, Canadian
    ("ean", ("es", "e", "a")),  # Andean, Chilean, Eritrean
    ("an", ("as", "a", "o")),  # Honduran, Cuban, Mexican
    ("ese", ("", "a")),  # Japanese, Chinese
    ("ic", ("ia", "a")),  # Arabic
    ("i", ("",)),  # Iraqi, Kuwaiti
    ("n", ("",)),  # Korean, Serbian
)


@functools.lru_cache(maxsize=4096)
def is_demonym(word: str) -> bool:
    """Whether a lower-case word names the people of a place: one of peoples(), or a place
    of world_places() with its ending changed ("peruvian", "panamanian", "bavarian")."""
    if word in peoples():
        return True
    places = world_places()
    for ending, place_endings in _DEMONYM_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            if any(stem + place_ending in places for place_ending in place_endings):
                return True
    return False


@functools.cache
def first_names() -> frozenset[str]:
    """Lower-case first names (first_names.txt, the US Census's lists)."""
    return _read_words("first_names.txt")


@functools.cache
def surnames() -> frozenset[str]:
    """Lower-case surnames (surnames.txt, the US Census's 50,000 commonest)."""
    return _read_words("surnames.txt")


@functools.cache
def world_places() -> frozenset[str]:
    """Folded names of the world's larger cities and of every country's states, provinces and
    regions (world_places.txt; scripts/make_name_lists.py), the place words above, and
    rivers, seas and regions of more than one word. Used only to keep places that nothing
    shows as people out of `mentioned` ("Mombasa", "Wyoming"), never to strip a word from a
    name ("Victoria Nuland")."""
    listed = (DATA_DIR / "world_places.txt").read_text("utf-8").splitlines()
    return frozenset(listed) | place_words() | _PLACES_OF_WORDS


_PLACES_OF_WORDS: Final = frozenset(
    {"middle east", "near east", "far east", "horn of africa", "west bank", "gaza strip"}
    | {"persian gulf", "red sea", "black sea", "south china sea", "amu darya", "syr darya"}
    | {"central asia", "south asia", "southeast asia", "east asia", "north africa"}
    | {"west africa", "east africa", "southern africa", "central africa", "latin america"}
    | {"central america", "south america", "north america", "western europe"}
    | {"eastern europe", "central europe", "south caucasus", "north caucasus", "great lakes"}
)


_POST_WORDS: Final[frozenset[str]] = frozenset(
    {"embassy", "consulate", "us", "office", "mission", "usun"}
)


def _read_words(name: str) -> frozenset[str]:
    return frozenset((DATA_DIR / name).read_text("utf-8").split())


# --- folding and casing of names and roles --------------------------------------------------

NON_WORD_RUN: Final = re.compile(r"[^\w]+")


WORD_SPLIT: Final = re.compile(r"([-'’])")


# Lower-case words that may sit inside a role ("Director for African Affairs").
ROLE_CONNECTORS: Final[frozenset[str]] = frozenset(
    {"of", "for", "to", "the", "and", "on", "in", "at", "a", "de"}
)


# Words of an all-caps role kept in capitals: short ones (DCM, SCA, MFA) and these.
_LONGEST_ACRONYM: Final = 3


_ROLE_ACRONYMS: Final[frozenset[str]] = frozenset(
    {"usaid", "fonmin", "nato", "osce", "iaea", "unhcr", "undp", "usun", "useu", "usnato"}
    | {"unvie", "arso", "adcm", "srap", "opcw", "unesco", "unicef", "asean", "apec", "ustr"}
)


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case- and accent-folded text, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(NON_WORD_RUN.sub(" ", bare.casefold()).split())


def proper_word(word: str) -> str:
    """Proper-case one all-caps word ("MCDONALD" -> "McDonald", "O'NEILL" and "O’NEILL" ->
    "O'Neill", "O’Neill")."""
    lowered = word.lower()
    if "-" in lowered or "'" in lowered or "’" in lowered:
        cased = "".join(part.capitalize() for part in WORD_SPLIT.split(lowered))
    else:  # one part: the split would return it alone
        cased = lowered.capitalize()
    if cased.startswith("Mc") and len(cased) > 3:
        cased = "Mc" + cased[2:].capitalize()
    return cased


def proper_case(name: str) -> str:
    """Proper-case an all-caps name ("ORDWAY" -> "Ordway"); mixed case is kept as written."""
    if not name.isupper():
        return name
    return " ".join(proper_word(word) for word in name.split())


def display_role(role: str) -> str:
    """A role written all in capitals in proper case, acronyms kept ("POLITICAL OFFICER" ->
    "Political Officer", "SCA A/S" unchanged); a role in mixed case as written."""
    if role.upper() != role or not any(len(word) > _LONGEST_ACRONYM for word in role.split()):
        return role
    return " ".join(_role_word(word) for word in role.split())


def _role_word(word: str) -> str:
    """One word of an all-caps role: connectors in lower case, acronyms kept, others proper."""
    folded = word.casefold()
    if folded in ROLE_CONNECTORS:
        return folded
    bare = word.strip(".,;:'\"\\")
    if bare.endswith("'S") and bare[:-2].isalpha():
        return word.replace(bare, proper_word(bare[:-2]) + "'s")  # "RUSSIA'S"
    if (
        len(bare) <= _LONGEST_ACRONYM
        or bare.casefold() in _ROLE_ACRONYMS
        or not bare.isalpha()
        or not any(vowel in bare for vowel in "AEIOUY")
    ):
        return word  # "DCM", "A/S", "USAID", "(MFA)"
    return proper_word(word)
