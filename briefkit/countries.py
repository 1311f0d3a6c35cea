"""Country names and codes → ISO 3166 alpha-3, through pycountry, with "did you mean" suggestions.

Accepted: alpha-3 (PAK), alpha-2 (PK), numeric/M49 (586), English short, official and common names
(Pakistan, Russia, "Islamic Republic of Pakistan"), case-insensitive. Historical codes that only the
data package knows (SUN for the USSR) resolve when the package's country table is passed in.
"""
from __future__ import annotations

import difflib
import unicodedata
from functools import lru_cache

import pycountry

from .errors import UnknownCountry

# Everyday names that pycountry does not list as a name of the country.
ALIASES = {
    "russia": "RUS", "turkey": "TUR", "iran": "IRN", "syria": "SYR", "south korea": "KOR",
    "north korea": "PRK", "vietnam": "VNM", "laos": "LAO", "moldova": "MDA", "tanzania": "TZA",
    "bolivia": "BOL", "venezuela": "VEN", "uk": "GBR", "britain": "GBR", "great britain": "GBR",
    "usa": "USA", "us": "USA", "america": "USA", "ussr": "SUN", "soviet union": "SUN",
    "czech republic": "CZE", "ivory coast": "CIV", "belorussia": "BLR", "byelorussia": "BLR",
    "kyrgyzstan": "KGZ", "brunei": "BRN", "macedonia": "MKD", "china": "CHN", "taiwan": "TWN",
}


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(text.casefold().replace("-", " ").split())


@lru_cache(maxsize=None)
def _names() -> dict[str, str]:
    """Every known spelling (normalised) → ISO3."""
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                names[_key(value)] = c.alpha_3
        names[c.alpha_3.casefold()] = c.alpha_3
        names[c.alpha_2.casefold()] = c.alpha_3
        names[c.numeric.lstrip("0")] = c.alpha_3
    names.update(ALIASES)
    return names


def resolve(text: str, extra: dict[str, str] | None = None) -> str:
    """Return the ISO3 code for a country code or name, or raise UnknownCountry with suggestions.

    `extra` maps more names or codes (e.g. the data package's own table) to ISO3.
    """
    raw = str(text).strip()
    key = _key(raw)
    if key.isdigit():
        key = key.lstrip("0")
    table = dict(_names())
    if extra:
        table.update({_key(k): v for k, v in extra.items()})
    if key in table:
        return table[key]
    raise UnknownCountry(raw, suggest(raw, table))


def suggest(text: str, table: dict[str, str] | None = None, n: int = 3) -> list[str]:
    """Up to n suggestions such as "Belarus, BLR" for a misspelt name or code."""
    table = table or _names()
    key = _key(text)
    close = difflib.get_close_matches(key, list(table), n=8, cutoff=0.7)
    seen: list[str] = []
    for match in close:
        iso3 = table[match]
        if iso3 not in seen:
            seen.append(iso3)
    return [f"{display_name(code)}, {code}" for code in seen[:n]]


def display_name(iso3: str) -> str:
    country = pycountry.countries.get(alpha_3=iso3)
    if country is None:
        return iso3
    return getattr(country, "common_name", None) or country.name
