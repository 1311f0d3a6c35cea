"""Cache keys: for each brief, a digest of exactly what that brief reads.

    code = Code().digests()                    # notebook, templates, briefkit's code, library versions
    index = DataIndex.build(package)           # every table digested per country, once per batch
    parts = index.parts("PAK", "BLR", cites)   # what PAK-BLR reads, digested
    key = cache_key(code, params, parts)

What a brief reads from the package, and so what its key holds:
- in every table with a country column (a foreign key to countries.iso3, or the countries table's
  own key), the rows naming either country in any such column. The rows a country reports cover
  the ranks and shares drafted from them (the rank of B among A's partners is computed from A's
  own rows; A's share of B's trade from B's rows and B's trade_totals row);
- in a table without a country column, the rows that the pair's rows reference (organisations
  through memberships, institutes through briefs); the `sources` rows, those the brief cited when
  it was last rendered (a new brief is rendered anyway, and then its citations are recorded);
- a table whose schema says "briefkit:scope": "whole-table" (an input that depends on every row,
  such as the rank of a pair among all pairs), and a table nothing ties to a country: all its rows;
- datapackage.json and the schemas; the pair's prose file.
Each table's digests are computed with pandas once (row hashes grouped per country, vectorised)
and kept in the disk cache, keyed by the bytes of the table's file and schema.
"""
from __future__ import annotations

import hashlib
import json
import pickle
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Mapping

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"
TEMPLATES = ROOT / "templates"
CODE = ROOT / "briefkit"
# Libraries whose version can change the bytes of a brief: part of every cache key.
LIBRARIES = ("papermill", "nbclient", "nbformat", "nbconvert", "ipykernel", "jupyter_client", "pandas",
             "numpy", "matplotlib", "seaborn", "markdown-it-py", "pycountry", "weasyprint", "pydyf", "fonttools")
SCOPE, WHOLE_TABLE = "briefkit:scope", "whole-table"   # a Table Schema property and its value
COUNTRIES, CITED = "countries", "sources"               # the country table; the table notes cite
INDEX_FORMAT = 1                                        # of the cached per-table digests


# ---- inputs shared by every brief ------------------------------------------------------------------
def digest_file(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def digest_tree(folder: Path, pattern: str = "**/*") -> str:
    """SHA-256 over the relative names and bytes of every file under `folder` matching `pattern`."""
    h = hashlib.sha256()
    for path in sorted(p for p in Path(folder).glob(pattern) if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(path.relative_to(folder)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def digest_environment() -> str:
    versions = {"python": platform.python_version()}
    for dist in LIBRARIES:
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return sha(versions)


@dataclass(frozen=True)
class Code:
    """What every brief of a batch reads besides its data: the notebook, the templates, briefkit's
    code (every module, subpackages included) and the versions of the libraries that make it."""

    notebook: Path = NOTEBOOK
    templates: Path = TEMPLATES
    code: Path = CODE

    def digests(self) -> dict[str, str]:
        """Each part shortened to 16 hex digits (64 bits): the manifest holds them for every brief."""
        return {"notebook": digest_file(self.notebook)[:16], "templates": digest_tree(self.templates)[:16],
                "code": digest_tree(self.code, "**/*")[:16], "environment": digest_environment()[:16]}


def digest_parameters(params) -> str:
    """The brief's parameters as the outputs record them (where the package sits is not one: its rows are)."""
    return sha(params.as_notebook() | {"data": None})[:16]


def cache_key(code: Mapping[str, str], params, parts: Mapping, index: "DataIndex") -> tuple[str, dict]:
    """The key of one brief and its parts (as the manifest records them)."""
    inputs = {**code, "parameters": digest_parameters(params), **parts}
    return key_of(inputs, index), inputs


def key_of(inputs: Mapping, index: "DataIndex") -> str:
    """SHA-256 over a brief's parts; each country's table digests are digested once per batch."""
    data = inputs.get("data") or {}
    flat = {k: v for k, v in inputs.items() if k != "data"}
    return sha([flat, [[c, index.country_digest(c, data[c])] for c in data]])


def sha(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def changes(before: Mapping, now: Mapping) -> list[str]:
    """What differs between two keys' parts, as a reader wants it: "data of BLR (trade)", "prose"."""
    found = []
    for name in dict.fromkeys([*now, *before]):
        old, new = before.get(name), now.get(name)
        if old == new:
            continue
        if name == "data" and isinstance(old, dict) and isinstance(new, dict):
            for country in dict.fromkeys([*new, *old]):
                a, b = old.get(country) or {}, new.get(country) or {}
                tables = [t for t in sorted({*a, *b}) if a.get(t) != b.get(t)]
                if tables:
                    found.append(f"data of {country} ({', '.join(tables)})")
        elif name == "shared" and isinstance(old, dict) and isinstance(new, dict):
            found.append(f"data ({', '.join(t for t in sorted({*old, *new}) if old.get(t) != new.get(t))})")
        else:
            found.append(name)
    return found


# ---- the data a brief reads ------------------------------------------------------------------------
@dataclass(frozen=True)
class TableDigests:
    """One table, digested: per country (the rows naming it), or whole."""

    name: str
    whole: str | None                          # the whole table's digest, when briefs read all of it
    countries: dict[str, str]                  # country → digest of the rows naming it
    pairs: frozenset[tuple[str, str]]          # (a, b) in alphabetical order, with a row naming both
    refs: dict[tuple[str, str], dict]          # (foreign key field, table) → country → ids referenced
    rows: dict[str, dict]                      # referenced field → its value → row digest


class DataIndex:
    """The digests of every table of a package, ready to give each brief its parts quickly."""

    def __init__(self, package, tables: dict[str, TableDigests]):
        self.package = package
        self.tables = tables
        self.package_digest = _digest_descriptor(package)
        self._by_country: dict[str, dict[str, str]] = {}
        self._country_digests: dict[str, str] = {}
        linked: dict[tuple[str, str], dict[str, set]] = {}
        for t in tables.values():
            for country, digest in t.countries.items():
                self._by_country.setdefault(country, {})[t.name] = digest
            for (fk, target), per_country in t.refs.items():
                for country, ids in per_country.items():
                    linked.setdefault((target, fk), {}).setdefault(country, set()).update(ids)
        for (target, fk), per_country in linked.items():
            if target == CITED or target not in tables:
                continue
            field = _referenced_field(package, target, fk)
            rows = tables[target].rows.get(field, {})
            for country, ids in per_country.items():
                digest = sha([[str(i), rows.get(i)] for i in sorted(ids, key=str)])[:16]
                self._by_country.setdefault(country, {})[target] = digest
        self.shared = {t.name: t.whole for t in tables.values() if t.whole is not None}
        self.prose = _prose_files(package)

    def country_digest(self, country: str, tables: dict) -> str:
        """sha(tables): memoised for the index's own per-country dicts (the same for every brief)."""
        if tables is not self._by_country.get(country):
            return sha(tables)
        if country not in self._country_digests:
            self._country_digests[country] = sha(tables)
        return self._country_digests[country]

    @classmethod
    def build(cls, package) -> "DataIndex":
        return cls(package, {name: _table_digests(package, name) for name in package.resources})

    def parts(self, a: str, b: str, cites=None) -> dict:
        """What the brief of a and b reads, digested. cites: the source ids its last render cited."""
        prose = self.prose.get(tuple(sorted((a, b))))
        parts = {"package": self.package_digest,
                 "data": {c: self._by_country.setdefault(c, {}) for c in (a, b)},
                 "prose": _digest_path(prose) if prose else None,
                 "sources": self.cited(cites)}
        if self.shared:
            parts["shared"] = self.shared
        return parts

    def cited(self, cites) -> str | None:
        """The digest of the `sources` rows a brief cites (None before its first render)."""
        if cites is None:
            return None
        table = self.tables.get(CITED)
        rows = table.rows.get("id", {}) if table else {}
        return sha([[c, rows.get(c)] for c in sorted(set(cites))])[:16]

    def empty(self, a: str, b: str) -> bool:
        """True when no row of any table names both countries: the package holds nothing on the pair."""
        pair = tuple(sorted((a, b)))
        return not any(pair in t.pairs for t in self.tables.values())

    def analyst(self, a: str, b: str) -> bool:
        """True when the pair has analyst prose (a prose file named in its briefs row)."""
        path = self.prose.get(tuple(sorted((a, b))))
        return bool(path and path.is_file())


def _digest_descriptor(package) -> str:
    h = hashlib.sha256((package.directory / "datapackage.json").read_bytes())
    for res in package.resources.values():
        if isinstance(res.get("schema"), str):
            h.update(_read(package.directory / res["schema"]))
    return h.hexdigest()[:16]


def _digest_path(path: Path) -> str:
    return hashlib.sha256(_read(path)).hexdigest()[:16]


def _read(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError:
        return b"<missing>"


def _prose_files(package) -> dict[tuple[str, str], Path]:
    """(a, b) in alphabetical order → the prose file of the pair's briefs row."""
    if "briefs" not in package.resources:
        return {}
    briefs = package.table("briefs")
    if not {"country_a", "country_b", "prose"} <= set(briefs.columns):
        return {}
    found = {}
    for a, b, prose in zip(briefs["country_a"], briefs["country_b"], briefs["prose"]):
        if isinstance(prose, str) and prose:
            found[tuple(sorted((str(a), str(b))))] = package.directory / prose
    return found


def _schema(package, name: str) -> dict:
    from ..tableschema import load_schema

    return load_schema(package.directory, package.resources[name])


def _referenced_field(package, target: str, fk: str) -> str:
    for owner in package.resources:
        for key in _schema(package, owner).get("foreignKeys", []):
            ref = key.get("reference", {})
            if ref.get("resource") == target and _one(key.get("fields")) == fk:
                return _one(ref.get("fields"))
    return "id"


def _one(fields) -> str | None:
    if isinstance(fields, str):
        return fields
    return fields[0] if isinstance(fields, list) and len(fields) == 1 else None


def _country_columns(package, name: str, schema: dict) -> list[str]:
    columns = []
    if name == COUNTRIES:
        key = schema.get("primaryKey")
        columns.append(_one(key) or "iso3")
    for key in schema.get("foreignKeys", []):
        ref = key.get("reference", {})
        if ref.get("resource") == COUNTRIES and _one(key.get("fields")):
            columns.append(_one(key["fields"]))
    return list(dict.fromkeys(columns))


def _table_digests(package, name: str) -> TableDigests:
    """One table's digests, from the disk cache when its file and schema are unchanged."""
    from ..datapackage import _read_cache, cache_dir, cache_version, write_cache
    import pandas as pd

    res = package.resources[name]
    h = hashlib.sha256(f"{name}\0{INDEX_FORMAT}".encode())
    for part in (res.get("path"), res.get("schema")):
        if isinstance(part, str):
            h.update(_read(package.directory / part))
    cached = cache_dir() / f"keys-{name}-{h.hexdigest()[:16]}-{cache_version(pd.__version__)}.pickle"
    found = _read_cache(cached)
    if isinstance(found, TableDigests):
        return found
    digests = _compute(package, name, h.hexdigest()[:16])
    write_cache(cached, pickle.dumps(digests, protocol=pickle.HIGHEST_PROTOCOL))
    return digests


def _compute(package, name: str, file_digest: str) -> TableDigests:
    import numpy as np
    import pandas as pd

    schema = _schema(package, name)
    frame = package.table(name)
    columns = [c for c in _country_columns(package, name, schema) if c in frame.columns]
    # referenced fields: what other tables' foreign keys point at (e.g. organisations.id)
    referenced = {_one(k.get("reference", {}).get("fields")) for other in package.resources
                  for k in _schema(package, other).get("foreignKeys", [])
                  if k.get("reference", {}).get("resource") == name}
    hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy() if len(frame) else np.zeros(0, "uint64")
    rows = {f: dict(zip(frame[f].tolist(), (f"{x:016x}" for x in hashes))) for f in referenced
            if f and f in frame.columns}
    whole = None
    if schema.get(SCOPE) == WHOLE_TABLE or (not columns and not referenced):
        whole = file_digest
    countries: dict[str, list] = {}
    refs: dict[tuple[str, str], dict] = {}
    fks = [(_one(k.get("fields")), k["reference"]["resource"]) for k in schema.get("foreignKeys", [])
           if k.get("reference", {}).get("resource") not in (COUNTRIES, CITED, None)
           and _one(k.get("fields")) in frame.columns]
    for column in columns:
        codes, uniques = pd.factorize(frame[column])
        order = np.argsort(codes, kind="stable")
        ordered = codes[order]
        starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]]) if len(ordered) else []
        ends = [*starts[1:], len(ordered)]
        for s, e in zip(starts, ends):
            if ordered[s] < 0:
                continue  # an empty cell names no country
            country = str(uniques[ordered[s]])
            part = hashlib.blake2b(hashes[order[s:e]].tobytes(), digest_size=8).hexdigest()
            countries.setdefault(country, []).append(f"{column}:{part}")
        for fk, target in fks:
            pairs = pd.DataFrame({"c": frame[column].astype(object), "id": frame[fk].astype(object)}).dropna()
            for country, ids in pairs.drop_duplicates().groupby("c", sort=False)["id"]:
                refs.setdefault((fk, target), {}).setdefault(str(country), set()).update(ids.tolist())
    pairs = set()
    for i, first in enumerate(columns):
        for second in columns[i + 1:]:
            both = pd.DataFrame({"a": frame[first].astype(object), "b": frame[second].astype(object)}).dropna()
            for a, b in both.drop_duplicates().itertuples(index=False):
                pairs.add(tuple(sorted((str(a), str(b)))))
    return TableDigests(name, whole, {c: hashlib.blake2b("|".join(p).encode(), digest_size=8).hexdigest()
                                      for c, p in countries.items()},
                        frozenset(pairs), {k: {c: tuple(sorted(v, key=str)) for c, v in d.items()} for k, d in refs.items()},
                        rows)
