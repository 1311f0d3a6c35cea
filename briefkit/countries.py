"""Country names and codes → ISO 3166 alpha-3, through country_converter's table, with "did you mean".

Accepted, case-insensitive: alpha-3 (PAK), alpha-2 (PK), numeric/M49 (586), and any name that one
of country_converter's regular expressions recognises ("UAE", "Burma", "Republic of Korea", "Lao
PDR", "DRC", "East Timor", "Türkiye"...). With a data package, its countries table adds its own
codes and names (SUN, "Soviet Union") and is the set of valid codes: a country the package does not
list is refused, since no brief can be made for it.

country_converter's module imports pandas (~0.4 s) and, with pandas 3, fails to build its table; so
its data file, which it ships, is read here with the csv module: about 20 ms, once per process.
Many of its expressions are stems ("byelo", "afghan"); a text matched only by a stem is taken
unless it is a letter or two off a full name, so that "Belarusia" is answered with suggestions
(Belarus first) rather than silently read.
"""
from __future__ import annotations

import csv
import difflib
import importlib.util
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .errors import DataPackageError, UnknownCountry

# Abbreviations in everyday use that country_converter's expressions do not recognise.
ABBREVIATIONS = {"ksa": "SAU", "belorussia": "BLR"}


@dataclass(frozen=True)
class Country:
    """One row of country_converter's table."""

    iso3: str
    iso2: str
    numeric: str
    name: str           # short name: "Belarus"
    official: str       # "Republic of Belarus"
    pattern: re.Pattern


def _data_file() -> Path:
    """country_converter's country_data.tsv, found without importing the package (and pandas)."""
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("country_converter is not installed: pip install country_converter")
    return Path(list(spec.submodule_search_locations)[0]) / "country_data.tsv"


@lru_cache(maxsize=None)
def table() -> tuple[Country, ...]:
    with open(_data_file(), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return tuple(Country(r["ISO3"], r["ISO2"], (r["ISOnumeric"] or "").lstrip("0"), r["name_short"],
                         r["name_official"], re.compile(r["regex"], re.IGNORECASE)) for r in rows if r["ISO3"])


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace("-", " ").split())


@lru_cache(maxsize=None)
def _codes() -> dict[str, str]:
    """Codes and names spelt exactly (normalised) → ISO3."""
    codes: dict[str, str] = {}
    for c in table():
        codes[_key(c.name)] = codes[_key(c.official)] = c.iso3
    for c in table():  # codes win over a name that happens to spell one
        codes[c.iso3.casefold()] = c.iso3
        if c.iso2:
            codes[c.iso2.casefold()] = c.iso3
        if c.numeric:
            codes[c.numeric] = c.iso3
    codes.update(ABBREVIATIONS)
    return codes


def _whole_words(hit: re.Match, text: str) -> bool:
    start, end = hit.span()
    return (start == 0 or not text[start - 1].isalnum()) and (end == len(text) or not text[end].isalnum())


def match(text: str) -> tuple[list[str], list[str]]:
    """The ISO3 codes whose country_converter expression recognises `text`: those matching whole
    words ("Lao PDR"), and those matching only the start of a word (the stem "byelo" in "Byelorussia")."""
    whole: list[str] = []
    stem: list[str] = []
    for candidate in dict.fromkeys((text, _key(text))):
        for c in table():
            hit = c.pattern.search(candidate)
            if hit:
                found = whole if _whole_words(hit, candidate) else stem
                if c.iso3 not in found:
                    found.append(c.iso3)
        if whole or stem:
            break
    return whole, [c for c in stem if c not in whole]


def _typo(key: str) -> bool:
    """True when `key` is one or two letters off a name spelt in full: a typo to ask about."""
    names = [_key(n) for c in table() for n in (c.name, c.official)]
    return bool(difflib.get_close_matches(key, names, n=1, cutoff=0.8))


def resolve(text: str, extra: dict[str, str] | None = None) -> str:
    """Return the ISO3 code for a country code or name, or raise UnknownCountry with suggestions.

    Tried in turn: the package's spellings (`extra`: its countries table, names and codes → ISO3),
    country_converter's codes and names, its expressions on whole words, then on a word's stem
    unless the text looks like a typo of a full name ("Belarusia"). With `extra`, a country the
    package does not list raises DataPackageError.
    """
    raw = " ".join(str(text).split())
    key = _key(raw)
    if key.isdigit():
        key = key.lstrip("0")
    local = {_key(k): v for k, v in (extra or {}).items()}
    code = local.get(key) or _codes().get(key)
    if code is None:
        whole, stem = match(raw) if key else ([], [])
        if len(whole) == 1:
            code = whole[0]
        elif not whole and len(stem) == 1 and not _typo(key):
            code = stem[0]
        else:
            first = [f"{display_name(c, extra)}, {c}" for c in whole or stem]
            rest = [s for s in suggest(raw, extra) if s not in first]
            raise UnknownCountry(raw, (first + rest)[:3])
    if extra is not None and code not in set(local.values()):
        raise DataPackageError(
            f'"{raw}" is {display_name(code)} ({code}), which the data package\'s countries table does not '
            f"list: add a row to countries.csv, or choose another country")
    return code


def suggest(text: str, extra: dict[str, str] | None = None, n: int = 3) -> list[str]:
    """Up to n suggestions such as "Belarus, BLR" for a misspelt name or code: close spellings among
    the names and codes, each country once, the closest first."""
    spellings = dict(_codes())
    spellings.update({_key(k): v for k, v in (extra or {}).items()})
    valid = set(spellings.values() if extra is None else extra.values())
    key = _key(text)
    seen: list[str] = []
    for close in difflib.get_close_matches(key, list(spellings), n=12, cutoff=0.7):
        code = spellings[close]
        if code in valid and code not in seen:
            seen.append(code)
    return [f"{display_name(code, extra)}, {code}" for code in seen[:n]]


def display_name(iso3: str, extra: dict[str, str] | None = None) -> str:
    """The country's short name: the package's own if it has one, else country_converter's."""
    for name, code in (extra or {}).items():
        if code == iso3 and name != code:
            return name
    for c in table():
        if c.iso3 == iso3:
            return c.name
    return iso3


def listing(query: str | None = None, extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(ISO3, name) of every valid country, or of those whose name or code contains `query` or
    whose name `query` is (UAE → United Arab Emirates); sorted by name."""
    codes = sorted(set((extra or {c.iso3: c.iso3 for c in table()}).values()))
    rows = [(code, display_name(code, extra)) for code in codes]
    if not query:
        return sorted(rows, key=lambda r: _key(r[1]))
    key = _key(query)
    hits = {code for code, name in rows if key in _key(name) or key == code.casefold()}
    try:
        hits.add(resolve(query, extra))
    except (UnknownCountry, DataPackageError):
        pass
    return sorted((r for r in rows if r[0] in hits), key=lambda r: _key(r[1]))
