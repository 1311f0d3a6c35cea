"""The shared data package: open it, validate it, slice it for a pair of countries.

    package = open_package()                 # data/datapackage.json, or $BRIEFKIT_DATA
    report = package.validate()              # every problem: resource, row, field, message
    pair = package.pair("PAK", "BLR")        # PairData: trade both ways, facts, sources, front matter

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
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from . import countries
from .errors import DataPackageError

if TYPE_CHECKING:
    import pandas as pd

    from .tableschema import Problem

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PACKAGE = ROOT / "data" / "datapackage.json"
CACHE_ROWS = 50_000  # tables larger than this are cached as typed pickles, keyed by digest
CACHE_FORMAT = 2     # what a cache file holds; part of its name, so an older briefkit's files are not read
CACHE_LIMIT_MB = 512  # the cache folder is pruned, oldest first, to this size ($BRIEFKIT_CACHE_MB)


def default_location() -> Path:
    return Path(os.environ.get("BRIEFKIT_DATA") or DEFAULT_PACKAGE)


def open_package(location: str | os.PathLike | None = None) -> "Package":
    """Open the data package at `location` (its folder or its datapackage.json)."""
    path = Path(location) if location else default_location()
    if path.is_dir():
        path = path / "datapackage.json"
    if not path.exists():
        raise DataPackageError(
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
        h = hashlib.sha256()
        files = [self.directory / "datapackage.json"]
        for res in self.resources.values():
            if isinstance(res.get("schema"), str):
                files.append(self.directory / res["schema"])
            files.append(self.directory / res["path"])
        for extra in sorted(self.directory.glob("prose/*.md")):
            files.append(extra)
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
        h = hashlib.sha256()
        for part in (res["path"], res.get("schema")):
            if isinstance(part, str):
                try:
                    h.update(part.encode() + b"\0" + (self.directory / part).read_bytes())
                except OSError:
                    return None
        return cache_dir() / f"{name}-{h.hexdigest()[:16]}-{cache_version(pd.__version__)}.pickle"

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
        trade = self.table("trade")
        both = _between(trade, "reporter", "partner", x, y)
        totals = self.table("trade_totals")
        # facts that involve either side: the pair's own, and those with a third country that prose may cite
        either = lambda t: t[t["country_a"].isin([x, y]) | t["country_b"].isin([x, y])]
        memberships = self.table("memberships")
        front, institute, prose = self._front_matter(x, y)
        return PairData(
            a=ca, b=cb,
            trade=trade[both].reset_index(drop=True),
            totals=totals[totals["reporter"].isin([x, y])].reset_index(drop=True),
            events=either(self.table("events")).reset_index(drop=True),
            statements=either(self.table("statements")).reset_index(drop=True),
            memberships=memberships[memberships["country"].isin([x, y])].reset_index(drop=True),
            ranks=pd.concat([_ranks(trade, x, y), _ranks(trade, y, x)], ignore_index=True),
            organisations=dict(zip(self.table("organisations")["id"], self.table("organisations")["name"])),
            created=self.descriptor.get("created"),
            products=self._pair_products(x, y),
            sources=self.table("sources").set_index("id", drop=False),
            front_matter=front, institute=institute, prose=prose, digest=self.digest,
        )

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


def _between(table: pd.DataFrame, first: str, second: str, x: str, y: str) -> pd.Series:
    """Rows linking x and y, in either order."""
    return ((table[first] == x) & (table[second] == y)) | ((table[first] == y) & (table[second] == x))


def _ranks(trade: pd.DataFrame, reporter: str, partner: str) -> pd.DataFrame:
    """For each year, where `partner` ranks among `reporter`'s partners by total trade (1 = largest)."""
    import pandas as pd

    rows = trade[trade["reporter"] == reporter]
    table = pd.DataFrame({
        "year": rows["year"].astype(int).to_numpy(),
        "partner": rows["partner"].astype(str).to_numpy(),
        "total": (rows["exports_fob"].fillna(0) + rows["imports_cif"].fillna(0)).to_numpy(),
    })
    table = table[table["total"] > 0]
    table["rank"] = table.groupby("year")["total"].rank(ascending=False, method="min").astype(int)
    counts = table.groupby("year").size()
    mine = table[table["partner"] == partner][["year", "rank"]].copy()
    mine["partners"] = mine["year"].map(counts).astype(int)
    mine.insert(0, "reporter", reporter)
    return mine.reset_index(drop=True)


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
