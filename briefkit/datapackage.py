"""The shared data package: open it, validate it, slice it for a pair of countries.

    package = open_package()                 # data/datapackage.json, or $BRIEFKIT_DATA
    report = package.validate()              # every problem: resource, row, field, message
    pair = package.pair("PAK", "BLR")        # PairData: trade both ways, facts, arms, UN votes, agreements, ...

Tables are read on first use and checked against their Table Schema; a table with a broken row
raises DataPackageError naming the row. Large tables are cached by content digest.

pandas is imported where tables are read. Opening a package, its digest and resolving a country's
name need none of it, so `briefkit render` leaves pandas to the kernel that builds the brief.
"""
from __future__ import annotations

import csv
import hashlib
import json
import os
import pickle
import re
import weakref
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import countries
from .errors import DataPackageError, NoPackage

if TYPE_CHECKING:
    import pandas as pd

    from .tableschema import Problem

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PACKAGE = ROOT / "data" / "datapackage.json"
CACHE_ROWS = 10_000  # tables larger than this are cached as typed pickles, keyed by digest
CACHE_FORMAT = 2     # what a cache file holds; part of its name, so an older briefkit's files are not read
CACHE_LIMIT_MB = 512  # the cache folder is pruned, oldest first, to this size ($BRIEFKIT_CACHE_MB)


def default_location() -> Path:
    return Path(os.environ.get("BRIEFKIT_DATA") or DEFAULT_PACKAGE)


def open_package(location: str | os.PathLike | None = None) -> "Package":
    """Open the data package at `location` (its folder or its datapackage.json); a relative path is
    relative to the working folder, as in $BRIEFKIT_DATA, whatever folder a kernel runs in later."""
    path = (Path(location) if location else default_location()).expanduser().absolute()
    if path.is_dir():
        path = path / "datapackage.json"
    if not path.exists():
        raise NoPackage(
            f"No data package at {path}: pass the folder holding datapackage.json "
            f"(--data), or set BRIEFKIT_DATA")
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataPackageError(f"{path} is not a readable datapackage.json: {exc}") from None
    return Package(path.parent, descriptor)


@dataclass(frozen=True)
class Report:
    """The outcome of validating a package: every problem found, in file order."""

    problems: tuple[Problem, ...]
    rows_checked: int = 0

    @property
    def valid(self) -> bool:
        return not self.problems

    def __str__(self) -> str:
        if self.valid:
            return f"valid: {self.rows_checked:,} rows checked"
        lines = [str(p) for p in self.problems]
        lines.append(f"{len(self.problems)} problem(s) in {self.rows_checked:,} rows")
        return "\n".join(lines)


@dataclass(frozen=True)
class PairData:
    """Everything the package holds about one pair of countries, as pandas objects."""

    a: pd.Series            # row of the countries table
    b: pd.Series
    trade: pd.DataFrame     # rows with reporter/partner in {a, b}, both reporters
    totals: pd.DataFrame    # each side's trade with the world
    events: pd.DataFrame        # facts involving either side (Facts.pair_events keeps the pair's own)
    statements: pd.DataFrame
    memberships: pd.DataFrame
    sources: pd.DataFrame   # the whole sources table, indexed by id
    ranks: pd.DataFrame     # reporter, year, rank of the other side among its partners, partners
    organisations: dict     # id → name, for the organisations in `memberships`
    created: str | None     # the package's "created" date: the date of briefs drafted from it
    products: pd.DataFrame | None   # trade_products rows of the pair, both reporters
    front_matter: pd.Series | None
    institute: pd.Series | None
    prose: str | None
    digest: str = ""
    # Tables beyond trade; None when the package has no such resource (or the pair was built by hand).
    arms: pd.DataFrame | None = None            # arms_transfers with either side as recipient, every supplier
    ideal_points: pd.DataFrame | None = None    # un_ideal_points rows of both sides
    ideal_sessions: dict | None = None          # {session: sorted ideal points of all states}, for ranks
    agreements: pd.DataFrame | None = None      # trade_agreements entries of agreements both sides were in
    agreement_members: pd.DataFrame | None = None   # the two sides' spells in those agreements
    indicators: pd.DataFrame | None = None      # indicators rows of both sides

    @property
    def codes(self) -> tuple[str, str]:
        return self.a["iso3"], self.b["iso3"]


class Package:
    def __init__(self, directory: Path, descriptor: dict):
        self.directory = Path(directory)
        self.descriptor = descriptor
        self._tables: dict[str, pd.DataFrame] = {}
        self.resources = {r["name"]: r for r in descriptor.get("resources", [])}

    def __repr__(self) -> str:
        return f"<Package {self.directory} {self.digest[:12]}>"

    # ---- identity ---------------------------------------------------------------------------
    @cached_property
    def digest(self) -> str:
        """SHA-256 over the descriptor, schemas and every resource file: changes when any byte does."""
        files = [self.directory / "datapackage.json"]
        for res in self.resources.values():
            if isinstance(res.get("schema"), str):
                files.append(self.directory / res["schema"])
            files.append(self.directory / res["path"])
        for extra in sorted(self.directory.glob("prose/*.md")):
            files.append(extra)
        return _hashed(tuple(files), lambda: self._digest_of(files))

    def _digest_of(self, files: list[Path]) -> str:
        h = hashlib.sha256()
        for f in files:
            h.update(str(f.relative_to(self.directory)).encode())
            try:
                h.update(f.read_bytes())
            except OSError:
                h.update(b"<missing>")
        return h.hexdigest()

    # ---- tables -----------------------------------------------------------------------------
    def _resource(self, name: str) -> dict:
        if name not in self.resources:
            raise DataPackageError(
                f'The data package {self.directory} has no resource "{name}" '
                f"(it has: {', '.join(self.resources)})")
        return self.resources[name]

    def _read(self, name: str) -> tuple[pd.DataFrame, list[Problem]]:
        from .tableschema import check_table, load_schema, read_raw

        res = self._resource(name)
        schema = load_schema(self.directory, res)
        raw = read_raw(self.directory / res["path"], res)
        return check_table(raw, schema, name)

    def table(self, name: str) -> pd.DataFrame:
        """A typed table. Raises DataPackageError naming the first broken rows, if any."""
        if name in self._tables:
            return self._tables[name]
        import pandas as pd

        from .tableschema import TableError

        cache = self._cache_path(name)
        frame = _MEMORY.get(cache) if cache else None
        if frame is None and cache:
            frame = _read_cache(cache)
        if frame is None:
            try:
                frame, problems = self._read(name)
            except TableError as exc:
                raise DataPackageError(f"{exc.problem}. Fix the file, then run: briefkit data validate") from None
            if problems:
                shown = "; ".join(str(p) for p in problems[:3])
                more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
                raise DataPackageError(
                    f"{shown}{more}. Fix the rows, then check with: briefkit data validate")
            if len(frame) > CACHE_ROWS:
                frame = _compact(frame)
                if cache:
                    write_cache(cache, pickle.dumps(frame, protocol=pickle.HIGHEST_PROTOCOL))
        self._tables[name] = frame
        if cache:
            _remember(cache, frame)
        return frame

    def _cache_path(self, name: str) -> Path | None:
        """table-<digest of its file and schema>-pandas<version>-v<format>.pickle: a new pandas, or a
        new cache format, never reads an older file (such files are pruned on the next write)."""
        import pandas as pd

        res = self._resource(name)
        parts = tuple(part for part in (res["path"], res.get("schema")) if isinstance(part, str))
        digest = _hashed(tuple(self.directory / part for part in parts), lambda: self._table_digest(parts))
        return cache_dir() / f"{name}-{digest[:16]}-{cache_version(pd.__version__)}.pickle" if digest else None

    def _table_digest(self, parts: tuple[str, ...]) -> str:
        h = hashlib.sha256()
        for part in parts:
            try:
                h.update(part.encode() + b"\0" + (self.directory / part).read_bytes())
            except OSError:
                return ""
        return h.hexdigest()

    def validate(self) -> Report:
        """Check every resource against its schema, then every foreign key. Never raises for bad data."""
        from .tableschema import TableError, check_foreign_keys, check_table, load_schema, read_raw

        problems: list[Problem] = []
        tables: dict[str, pd.DataFrame] = {}
        schemas: dict[str, dict] = {}
        rows = 0
        for name, res in self.resources.items():
            try:
                schemas[name] = load_schema(self.directory, res)
                raw = read_raw(self.directory / res["path"], res)
            except TableError as exc:
                problems.append(exc.problem)
                continue
            typed, found = check_table(raw, schemas[name], name)
            rows += len(raw)
            problems.extend(found)
            tables[name] = typed
        problems.extend(check_foreign_keys(tables, schemas))
        problems.extend(self._check_prose(tables))
        from .prose_check import check_prose

        problems.extend(check_prose(self.directory, tables))
        return Report(tuple(problems), rows)

    def _check_prose(self, tables: dict[str, pd.DataFrame]) -> list[Problem]:
        from .tableschema import Problem

        briefs = tables.get("briefs")
        if briefs is None:
            return []
        found = []
        for i, prose in enumerate(briefs["prose"] if "prose" in briefs else []):
            if isinstance(prose, str) and prose and not (self.directory / prose).is_file():
                found.append(Problem("briefs", i + 2, "prose", f'file "{prose}" does not exist in the package'))
            elif isinstance(prose, str) and prose:
                found.extend(_prose_images(self.directory / prose, prose))
        return found

    # ---- countries --------------------------------------------------------------------------
    @cached_property
    def _country_names(self) -> dict[str, str]:
        """Codes and names from the countries table, read as plain CSV: enough to resolve a name,
        without pandas. The table is checked against its schema when a brief reads it."""
        path = self.directory / self._resource("countries")["path"]
        try:
            with open(path, newline="", encoding="utf-8-sig") as f:
                rows = [(row.get("iso3"), row.get("name")) for row in csv.DictReader(f)]
        except (OSError, UnicodeDecodeError) as exc:
            raise DataPackageError(f"{path} cannot be read ({exc}): restore the countries table, "
                                   f"then run: briefkit data validate") from None
        names = {code: code for code, _ in rows if code}
        names.update({name: code for code, name in rows if code and name})
        return names

    def resolve(self, text: str) -> str:
        """ISO3 for a name or code; unknown names raise UnknownCountry with suggestions."""
        code = str(text).strip().upper()
        if self._country_names.get(code) == code:   # an ISO3 code of the table: no name matching needed
            return code
        return countries.resolve(text, extra=self._country_names)

    def country(self, text: str) -> pd.Series:
        code = self.resolve(text)
        table = self.table("countries")
        match = table[table["iso3"] == code]
        if match.empty:
            raise DataPackageError(
                f'{countries.display_name(code)} ({code}) is not in the countries table of '
                f"{self.directory}: add a row to countries.csv")
        return match.iloc[0]

    # ---- one pair ---------------------------------------------------------------------------
    def pair(self, a: str, b: str) -> PairData:
        import pandas as pd

        ca, cb = self.country(a), self.country(b)
        x, y = ca["iso3"], cb["iso3"]
        if x == y:
            raise DataPackageError(f"A brief needs two different countries; got {x} twice")
        rows_x, rows_y = (self._rows("trade", "reporter", [c]) for c in (x, y))
        parts = {x: rows_x[rows_x["partner"] == y], y: rows_y[rows_y["partner"] == x]}
        both = pd.concat([parts[code] for code in sorted(parts)])  # table order: sorted by reporter
        # facts that involve either side: the pair's own, and those with a third country that prose may cite
        either = lambda t: t[t["country_a"].isin([x, y]) | t["country_b"].isin([x, y])]
        front, institute, prose = self._front_matter(x, y)
        return PairData(
            a=ca, b=cb,
            trade=both.reset_index(drop=True),
            totals=self._rows("trade_totals", "reporter", [x, y]),
            events=either(self.table("events")).reset_index(drop=True),
            statements=either(self.table("statements")).reset_index(drop=True),
            memberships=self._rows("memberships", "country", [x, y]),
            ranks=pd.concat([_ranks(rows_x, x, y), _ranks(rows_y, y, x)], ignore_index=True),
            organisations=self._organisations,
            created=self.descriptor.get("created"),
            products=self._pair_products(x, y),
            sources=self._sources,
            front_matter=front, institute=institute, prose=prose, digest=self.digest,
            **self._pair_tables(x, y),
        )

    def _pair_tables(self, x: str, y: str) -> dict:
        """The pair's rows of arms_transfers, un_ideal_points, trade agreements and indicators."""
        out: dict = {}
        if "arms_transfers" in self.resources:
            out["arms"] = self._rows("arms_transfers", "recipient", [x, y])
        if "un_ideal_points" in self.resources:
            out["ideal_points"] = self._rows("un_ideal_points", "country", [x, y])
            out["ideal_sessions"] = self._ideal_sessions
        if "trade_agreements" in self.resources and "trade_agreement_members" in self.resources:
            mine = self._rows("trade_agreement_members", "country", [x, y])
            shared = sorted(set(mine.loc[mine["country"] == x, "agreement"])
                            & set(mine.loc[mine["country"] == y, "agreement"]))
            out["agreements"] = self._rows("trade_agreements", "base_treaty", shared)
            out["agreement_members"] = mine[mine["agreement"].isin(shared)].reset_index(drop=True)
        if "indicators" in self.resources:
            out["indicators"] = self._rows("indicators", "country", [x, y])
        return out

    def _rows(self, name: str, column: str, values: list) -> pd.DataFrame:
        """Rows of a table whose `column` is one of `values`, in table order, through an index
        built on first use in this process (a slice then costs what it returns, not a scan)."""
        import numpy as np

        table = self.table(name)
        index = derived(table, f"rows by {column}", lambda t: t.groupby(column, observed=True, sort=False).indices)
        found = [index[v] for v in values if v in index]
        positions = np.sort(np.concatenate(found)) if found else np.array([], dtype=int)
        return table.iloc[positions].reset_index(drop=True)

    @cached_property
    def _organisations(self) -> dict:
        return derived(self.table("organisations"), "names by id", lambda t: dict(zip(t["id"], t["name"])))

    @cached_property
    def _sources(self) -> pd.DataFrame:
        return derived(self.table("sources"), "by id", lambda t: t.set_index("id", drop=False))

    @cached_property
    def _ideal_sessions(self) -> dict:
        from .alignment import session_points

        return derived(self.table("un_ideal_points"), "sessions", session_points)

    def _pair_products(self, x: str, y: str) -> pd.DataFrame | None:
        if "trade_products" not in self.resources:
            return None
        p = self.table("trade_products")
        return p[_between(p, "reporter", "partner", x, y)].reset_index(drop=True)

    def _front_matter(self, x: str, y: str):
        briefs = self.table("briefs")
        match = briefs[_between(briefs, "country_a", "country_b", x, y)]
        if match.empty:
            return None, None, None
        front = match.iloc[0]
        institutes = self.table("institutes")
        inst = institutes[institutes["id"] == front["institute"]].iloc[0]
        prose = None
        if isinstance(front.get("prose"), str) and front["prose"]:
            path = self.directory / front["prose"]
            try:
                prose = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise DataPackageError(
                    f'briefs.csv row for {front["pair"]}: prose file {path} cannot be read ({exc.strerror})') from None
        return front, inst, prose


IMAGE = re.compile(r"!\[[^\]]*\]\s*[(\[]")  # Markdown ![alt](url) or ![alt][ref]


def _prose_images(path: Path, name: str) -> list[Problem]:
    """A Markdown image in analyst prose would make the renderer fetch a URL or read a file: refused."""
    from .tableschema import Problem

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return [Problem(name, None, None, "cannot be read as UTF-8 text")]
    return [Problem(f"{name}, line {n}", None, None, "an image (![…](…)), which briefkit does not fetch: a brief "
                                                     "embeds only its own figures ({{ figure:… }}); remove it")
            for n, line in enumerate(lines, 1) if IMAGE.search(line)]


def _between(table: pd.DataFrame, first: str, second: str, x: str, y: str) -> pd.Series:
    """Rows linking x and y, in either order."""
    return ((table[first] == x) & (table[second] == y)) | ((table[first] == y) & (table[second] == x))


def _ranks(rows: pd.DataFrame, reporter: str, partner: str) -> pd.DataFrame:
    """For each year, where `partner` ranks among `reporter`'s partners by total trade (1 = largest;
    ties share the best rank). `rows` are the reporter's rows of the trade table."""
    import numpy as np
    import pandas as pd

    total = (rows["exports_fob"].fillna(0) + rows["imports_cif"].fillna(0)).to_numpy(dtype=float)
    traded = total > 0
    years = rows["year"].to_numpy(dtype=int)[traded]
    total = total[traded]
    mine = (rows["partner"] == partner).to_numpy(dtype=bool)[traded]
    order = np.argsort(years[mine], kind="stable")
    my_years, my_totals = years[mine][order], total[mine][order]
    same = years[None, :] == my_years[:, None]              # one row per year of the pair, one column per partner row
    ranks = (same & (total[None, :] > my_totals[:, None])).sum(axis=1) + 1
    return pd.DataFrame({"reporter": [reporter] * len(my_years), "year": my_years.astype(np.int64),
                         "rank": ranks.astype(np.int64), "partners": same.sum(axis=1).astype(np.int64)})


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """Repetitive text columns (country codes, source ids) as categoricals: small, fast to compare."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == "string" and out[col].nunique() < len(out) // 10:
            out[col] = out[col].astype("category")
    return out


# This process's typed tables by cache file name (their file's digest): a batch worker's kept kernel
# reads each table once, not once per brief. Callers never modify a table (they slice copies).
_MEMORY: dict[Path, "pd.DataFrame"] = {}
MEMORY_TABLES = 40


def _remember(path: Path, frame) -> None:
    _MEMORY.pop(path, None)
    _MEMORY[path] = frame
    while len(_MEMORY) > MEMORY_TABLES:  # the least recently read go first
        del _MEMORY[next(iter(_MEMORY))]


# What is worked out from a typed table (its rows indexed by a column, its rows by id, the sessions'
# ideal points), kept while that table lives. A kept kernel opens the package anew for each brief
# and finds the same tables in _MEMORY: without this, each brief indexed the 690,000 rows of trade
# again (0.023 s a brief). Keyed by the table object, which a changed file replaces; never modified.
_DERIVED: dict[tuple[int, str], tuple["weakref.ref", object]] = {}


def derived(table, what: str, make):
    """make(table), worked out once for as long as `table` lives (`what` names it among others)."""
    key = (id(table), what)
    kept = _DERIVED.get(key)
    if kept is not None and kept[0]() is table:
        return kept[1]
    value = make(table)
    for gone in [k for k, (ref, _) in _DERIVED.items() if ref() is None]:
        del _DERIVED[gone]
    _DERIVED[key] = (weakref.ref(table), value)
    return value


def cache_dir() -> Path:
    """$BRIEFKIT_CACHE, or briefkit/ in $XDG_CACHE_HOME (~/.cache)."""
    base = os.environ.get("BRIEFKIT_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "briefkit")
    return Path(base)


def cache_version(pandas_version: str) -> str:
    """The suffix of every cache file name: the reading library's version and the cache format."""
    return f"pandas{pandas_version}-v{CACHE_FORMAT}"


def _read_cache(path: Path):
    """A cached object, or None (absent, or unreadable: then it is removed). A hit is marked as
    recently used, for pruning."""
    import pandas as pd

    try:
        frame = pd.read_pickle(path)
        os.utime(path)
        return frame
    except FileNotFoundError:
        return None
    except Exception:  # a truncated or foreign file: read the table again
        path.unlink(missing_ok=True)
        return None


def write_cache(path: Path, data: bytes) -> None:
    """Write a cache file whole, then prune the folder (see prune_cache)."""
    _write_atomically(path, data)
    prune_cache(path.parent)


def prune_cache(folder: Path, limit: int | None = None) -> list[Path]:
    """Remove cache files of other pandas versions or cache formats, then the least recently used
    until the folder holds at most `limit` bytes (default $BRIEFKIT_CACHE_MB or CACHE_LIMIT_MB).
    Returns the files removed."""
    import pandas as pd

    if limit is None:
        try:
            limit = int(float(os.environ.get("BRIEFKIT_CACHE_MB") or CACHE_LIMIT_MB) * 1024 * 1024)
        except ValueError:
            limit = CACHE_LIMIT_MB * 1024 * 1024
    suffix = f"-{cache_version(pd.__version__)}.pickle"
    try:
        files = [(p, p.stat()) for p in Path(folder).glob("*.pickle")]
    except OSError:
        return []
    removed = [p for p, _ in files if not p.name.endswith(suffix)]
    kept = sorted(((p, st) for p, st in files if p.name.endswith(suffix)), key=lambda f: f[1].st_mtime, reverse=True)
    total = 0
    for p, st in kept:
        total += st.st_size
        if total > limit:
            removed.append(p)
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs time


# Digests this process has computed, by the files' paths and what stat says of each (size, times,
# inode): a kept kernel opens the package for every brief, and reads its megabytes only when a file
# changed. A file rewritten in place keeps neither its modification nor its change time.
_DIGESTS: dict[tuple, str] = {}


def _hashed(files: tuple[Path, ...], digest) -> str:
    """digest() of `files`, computed again only when one of them is not as stat last saw it."""
    def seen(f: Path):
        try:
            st = f.stat()
        except OSError:
            return None
        return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino

    key = tuple((str(f), seen(f)) for f in files)
    if key not in _DIGESTS:
        if len(_DIGESTS) > 64:
            _DIGESTS.clear()
        _DIGESTS[key] = digest()
    return _DIGESTS[key]
