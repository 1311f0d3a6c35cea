"""Many briefs at once: jobs → cache check → workers (local processes or a Dask cluster) → manifest.

    jobs = jobs_from_pairs(["PAK-BLR", "Pakistan:Russia"]) + jobs_from_file("pairs.csv")
    manifest = run_batch(jobs, "build", workers=2)   # build/A-B/A-B.{ipynb,html,pdf}, manifest.json, index.html
    manifest.failed                                   # pairs that failed; manifest.entries[pair].error says why

Each brief is rendered by render() in a worker process, so it is written atomically exactly as a
single `briefkit render` is. A brief is rendered again only when its cache key changes: a SHA-256
over the notebook, the templates, briefkit's code, the library versions, the brief's parameters and
the digest of the data package it reads. One failing brief never stops the others; the manifest is
rewritten atomically after every brief, so a run killed at any moment leaves a valid manifest and
the next run redoes only what failed, changed or never finished.

This module prints nothing: progress goes to a callback (the command line draws it).
"""
from __future__ import annotations

import csv
import difflib
import fcntl
import hashlib
import html
import json
import os
import platform
import shutil
import signal
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

from .errors import BriefkitError, OutputError, UsageError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"  # = execute.NOTEBOOK (that module imports jupyter_client)
TEMPLATES = ROOT / "templates"                                 # = export.TEMPLATES (that one imports nbconvert)
CODE = Path(__file__).resolve().parent                         # briefkit/, with content/ and its templates
FORMATS = ("html", "pdf")
MANIFEST, INDEX, LOCK = "manifest.json", "index.html", ".briefkit-batch.lock"
OK, FAILED, CACHED = "ok", "failed", "skipped-cached"
# Libraries whose version can change the bytes of a brief: part of every cache key.
LIBRARIES = ("papermill", "nbclient", "nbformat", "nbconvert", "ipykernel", "jupyter_client", "pandas",
             "numpy", "matplotlib", "seaborn", "markdown-it-py", "pycountry", "weasyprint", "pydyf", "fonttools")
# Test hook, for the killed-worker test only: a worker given one of these pairs exits at once.
TEST_EXIT_ENV = "BRIEFKIT_TEST_WORKER_EXIT"


def _error(message: str, stage: str, **detail) -> dict:
    """A failure as the manifest records it. stage: parameters | execute | export | render | worker | pending;
    cell and source: the failing cell in the failed notebook (its index, its first line); notebook: that file."""
    return {"message": message, "stage": stage, "cell": None, "source": None, "ename": None, "evalue": None,
            "notebook": None} | detail


# What the manifest says of a brief while it renders: if the batch is killed, that is what remains.
INTERRUPTED = _error("not finished: the batch stopped before this brief was rendered", "pending")


# ---- jobs -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Job:
    """One brief to render: two countries as the user wrote them, and the brief's other parameters."""

    pair: str
    country_a: str
    country_b: str
    params: Mapping[str, Any] = field(default_factory=dict, hash=False)
    origin: str = field(default="", compare=False)  # "pairs.csv, line 4": where the job came from


def split_pair(text: str, origin: str = "command line") -> tuple[str, str]:
    """'PAK-BLR', 'PAK:BLR', 'Pakistan,Belarus' → its two countries. Use : or , around hyphenated names."""
    text = text.strip()
    for sep in (":", ","):
        if sep in text:
            parts = [p.strip() for p in text.split(sep)]
            break
    else:
        parts = [p.strip() for p in text.split("-")]
    if len(parts) != 2 or not all(parts):
        raise UsageError(
            f'{origin}: "{text}" is not a pair of countries: write A-B (PAK-BLR), or A:B for names '
            f"with a hyphen (Guinea-Bissau:Portugal)")
    return parts[0], parts[1]


def jobs_from_pairs(texts: Iterable[str], origin: str = "command line") -> list[Job]:
    jobs = []
    for text in texts:
        a, b = split_pair(text, origin)
        jobs.append(Job(f"{a}-{b}", a, b, {}, origin))
    return jobs


def jobs_from_file(path: str | os.PathLike) -> list[Job]:
    """Jobs from a CSV file (columns `pair` or `country_a,country_b`, plus parameter columns) or a
    YAML list (items "A-B", [A, B], or {country_a: A, country_b: B, <parameter>: value}).

    Relative `data` paths are relative to the file. Every problem names the file and line.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")  # -sig: a spreadsheet's byte-order mark is not a column name
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Cannot read the batch file {path}: {getattr(exc, 'strerror', None) or exc}") from None
    if path.suffix.lower() == ".csv":
        return _jobs_from_csv(path, text)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _jobs_from_yaml(path, text)
    raise UsageError(f"{path}: a batch file is .csv, .yaml or .yml")


def _jobs_from_csv(path: Path, text: str) -> list[Job]:
    rows = csv.reader(text.splitlines())
    header = next(rows, None)
    if not header:
        raise UsageError(f"{path.name}, line 1: empty file; the first line names the columns: country_a,country_b")
    header = [h.strip() for h in header]
    countries = ["pair"] if "pair" in header else ["country_a", "country_b"]
    for name in header:
        if name not in countries:
            _check_parameter_name(name, f"{path.name}, line 1: column", extra=("pair", "country_a", "country_b"))
    missing = [c for c in countries if c not in header]
    if missing:
        raise UsageError(f"{path.name}, line 1: no column {' or '.join(missing)}; "
                         f"name the countries in columns country_a,country_b (or one column pair: PAK-BLR)")
    jobs = []
    for row in rows:
        line = rows.line_num
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        origin = f"{path.name}, line {line}"
        if len(row) != len(header):
            raise UsageError(f"{origin}: {len(row)} field(s), the header has {len(header)} ({','.join(header)})")
        cells = {h: c.strip() for h, c in zip(header, row)}
        if "pair" in cells:
            a, b = split_pair(cells.pop("pair"), origin)
        else:
            a, b = cells.pop("country_a"), cells.pop("country_b")
            if not a or not b:
                raise UsageError(f"{origin}: country_a and country_b are both needed")
        params = _file_params({k: v for k, v in cells.items() if v != ""}, path)
        jobs.append(Job(f"{a}-{b}", a, b, params, origin))
    return jobs


def _jobs_from_yaml(path: Path, text: str) -> list[Job]:
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        start, end = getattr(exc, "context_mark", None), getattr(exc, "problem_mark", None)
        mark = start or end  # where the broken construct begins, e.g. an unclosed [
        where = f", line {mark.line + 1}" if mark else ""
        what = "; ".join(str(x) for x in (getattr(exc, "context", None), getattr(exc, "problem", None)) if x) or exc
        later = f" (line {end.line + 1})" if start and end and end.line != start.line else ""
        raise UsageError(f"{path.name}{where}: not valid YAML: {what}{later}") from None
    if isinstance(data, dict) and isinstance(data.get("pairs"), list):
        other = [str(k) for k in data if k != "pairs"]
        if other:
            line = next(k.start_mark.line + 1 for k, _ in node.value if k.value == other[0])
            raise UsageError(f'{path.name}, line {line}: "{other[0]}" is not read; the file holds a `pairs:` list')
        node = next(v for k, v in node.value if k.value == "pairs")
        data = data["pairs"]
    if not isinstance(data, list):
        raise UsageError(f"{path.name}, line 1: expected a list of pairs (or a mapping with a `pairs:` list)")
    jobs = []
    for item, item_node in zip(data, node.value):
        origin = f"{path.name}, line {item_node.start_mark.line + 1}"
        if isinstance(item, str):
            a, b = split_pair(item, origin)
            params = {}
        elif isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item):
            a, b = item
            params = {}
        elif isinstance(item, dict):
            item = {str(k): v for k, v in item.items()}
            if "pair" in item:
                a, b = split_pair(str(item.pop("pair")), origin)
            elif "country_a" in item and "country_b" in item:
                a, b = str(item.pop("country_a")), str(item.pop("country_b"))
            else:
                raise UsageError(f"{origin}: a pair needs country_a and country_b (or pair: A-B)")
            for name in item:
                _check_parameter_name(name, f"{origin}: key")
            params = _file_params({k: v for k, v in item.items() if v is not None}, path)
        else:
            raise UsageError(f'{origin}: expected "A-B", [A, B] or a mapping with country_a and country_b')
        jobs.append(Job(f"{a}-{b}", a, b, params, origin))
    return jobs


def _check_parameter_name(name: str, where: str, extra: tuple[str, ...] = ()) -> None:
    from .params import NAMES

    allowed = [n for n in NAMES if n not in ("country_a", "country_b")]
    if name not in allowed:
        close = difflib.get_close_matches(name, [*extra, *allowed], n=1)
        hint = f' (did you mean "{close[0]}"?)' if close else ""
        raise UsageError(f'{where} "{name}" is not a brief parameter{hint}; besides the countries, '
                         f'the brief takes: {", ".join(allowed)}')


def _file_params(params: dict, path: Path) -> dict:
    if params.get("data"):
        params["data"] = str((path.parent / str(params["data"])).resolve())
    return params


def jobs_from_selection(package, partners_of: str | None = None, min_trade: float | None = None,
                        year: int | None = None, top: int | None = None) -> list[Job]:
    """Pairs chosen from the package's `trade` table.

    partners_of="PAK": PAK with every country it trades with (in `year`, or in any year).
    min_trade=100: only pairs whose trade in `year` (default: the latest year in the table), as
    reported by either side (exports + imports, US$ million), is at least this.
    Pairs come most-traded first; `top` keeps the first N.
    """
    import numpy as np
    import pandas as pd

    trade = package.table("trade")
    if min_trade is not None and year is None:
        year = int(trade["year"].max())
    if year is not None:
        if not (trade["year"] == year).any():
            raise UsageError(f"No trade in {year}: the trade table covers "
                             f"{int(trade['year'].min())}–{int(trade['year'].max())}")
        trade = trade[trade["year"] == year]
    home = None
    if partners_of is not None:
        home = package.resolve(partners_of)
        trade = trade[(trade["reporter"] == home) | (trade["partner"] == home)]
    reporter = trade["reporter"].astype(str).to_numpy()
    partner = trade["partner"].astype(str).to_numpy()
    if home is None:  # an unordered pair: alphabetical order
        first, second = np.where(reporter < partner, reporter, partner), np.where(reporter < partner, partner, reporter)
    else:
        first = np.full(len(trade), home, dtype=object)
        second = np.where(reporter == home, partner, reporter)
    total = (trade["exports_fob"].fillna(0) + trade["imports_cif"].fillna(0)).to_numpy()
    frame = pd.DataFrame({"a": first, "b": second, "year": trade["year"].to_numpy(), "total": total})
    # a pair's trade in a year: the larger of the two reporters' figures; then summed over the years
    per_year = frame.groupby(["a", "b", "year"], sort=False)["total"].max()
    pairs = per_year.groupby(level=["a", "b"], sort=False).sum().reset_index()
    known = set(package.table("countries")["iso3"])
    pairs = pairs[pairs["a"].isin(known) & pairs["b"].isin(known) & (pairs["a"] != pairs["b"])]
    pairs = pairs[pairs["total"] >= min_trade] if min_trade is not None else pairs[pairs["total"] > 0]
    pairs = pairs.sort_values(["total", "a", "b"], ascending=[False, True, True], kind="stable")
    if top is not None:
        pairs = pairs.head(top)
    what = f"partners of {home}" if home else "pairs"
    rule = f", trade ≥ {min_trade:g}" if min_trade is not None else ""
    origin = f"selection ({what}{rule}{f' in {year}' if year else ''})"
    return [Job(f"{a}-{b}", a, b, {}, origin) for a, b in zip(pairs["a"], pairs["b"])]


# ---- cache key ------------------------------------------------------------------------------------
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
    return _sha(versions)


def digest_parameters(params) -> str:
    """The brief's parameters as the outputs record them (where the package sits is not one: its digest is)."""
    return _sha(params.as_notebook() | {"data": None})


def input_digests(notebook: Path = NOTEBOOK) -> dict[str, str]:
    """The parts of every cache key that are the same for all briefs of a batch."""
    return {"notebook": digest_file(notebook), "templates": digest_tree(TEMPLATES),
            "code": digest_tree(CODE, "**/*"), "environment": digest_environment()}


def cache_key(inputs: Mapping[str, str], params, data_digest: str) -> tuple[str, dict[str, str]]:
    parts = {**inputs, "parameters": digest_parameters(params), "data": data_digest}
    return _sha(parts), parts


def _sha(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


# ---- manifest -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """What the manifest records for one pair."""

    status: str                        # ok | failed | skipped-cached
    country_a: str | None = None
    country_b: str | None = None
    parameters: dict = field(default_factory=dict)
    data_digest: str | None = None
    cache_key: str | None = None
    inputs: dict = field(default_factory=dict)      # the cache key's parts
    reason: str | None = None                       # why it was rendered: new, changed: data, failed before…
    outputs: dict = field(default_factory=dict)     # format → path relative to the output folder
    files: dict = field(default_factory=dict)       # format → {"bytes": n, "sha256": hex}
    seconds: dict = field(default_factory=dict)     # stages of this run's render; empty when cached
    error: dict | None = None                       # message, stage, cell, ename, evalue, notebook
    commit: str | None = None                       # briefkit's git commit in the worker
    rendered_at: str | None = None                  # when the outputs were made (UTC)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "Entry":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass(frozen=True)
class Manifest:
    """The batch's record: every pair ever rendered into the output folder, and this run's pairs."""

    output: Path
    entries: dict[str, Entry]
    pairs: tuple[str, ...] = ()      # this run's pairs, in order
    run: dict = field(default_factory=dict)

    def _with(self, status: str) -> list[str]:
        return [p for p in self.pairs if self.entries[p].status == status]

    @property
    def ok(self) -> list[str]:
        return self._with(OK)

    @property
    def failed(self) -> list[str]:
        return self._with(FAILED)

    @property
    def cached(self) -> list[str]:
        return self._with(CACHED)

    @property
    def summary(self) -> dict[str, int]:
        return {OK: len(self.ok), FAILED: len(self.failed), CACHED: len(self.cached)}

    def to_json(self) -> dict:
        return {"briefkit": {"version": _version("briefkit")}, "run": self.run, "summary": self.summary,
                "pairs": {p: self.entries[p].to_json() for p in sorted(self.entries)}}

    @classmethod
    def read(cls, output: str | os.PathLike) -> "Manifest":
        """The manifest of an output folder; an empty one if there is none (or it is unreadable)."""
        path = Path(output) / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = {p: Entry.from_json(e) for p, e in data.get("pairs", {}).items()}
            run = data.get("run", {})
        except (OSError, ValueError, TypeError, AttributeError):
            return cls(Path(output), {})
        return cls(Path(output), entries, tuple(run.get("pairs", ())), run)

    def write(self) -> None:
        """manifest.json and index.html, each replaced whole (never half-written)."""
        _write_atomically(self.output / MANIFEST, json.dumps(self.to_json(), indent=1, ensure_ascii=False) + "\n")
        _write_atomically(self.output / INDEX, index_html(self))


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# ---- progress ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Progress:
    """One step of a batch, for a progress callback: a finished brief (pair is set), or news about
    the batch (pair is None): the briefs found up to date, the start of rendering."""

    done: int
    total: int
    pair: str | None
    status: str
    seconds: float | None = None
    message: str | None = None   # the error of a failed brief; for cached: how many were up to date
    failed: int = 0              # failures so far


def progress_line(p: Progress) -> str:
    """A log line: "[3/40] PAK-BLR ok 5.2 s"."""
    if p.pair is None:
        return f"[{p.done}/{p.total}] {p.message}"
    line = f"[{p.done}/{p.total}] {p.pair} {p.status}"
    if p.seconds is not None:
        line += f" {p.seconds:.1f} s"
    if p.message:
        line += f": {p.message}"
    return line


def progress_bar(p: Progress, width: int = 30) -> str:
    """A one-line bar for a terminal: "[########······]  12/40  PAK-BLR ok  (1 failed)"."""
    filled = int(width * p.done / p.total) if p.total else width
    last = f"  {p.pair} {p.status}" if p.pair else ""
    failed = f"  ({p.failed} failed)" if p.failed else ""
    return f"[{'#' * filled}{'·' * (width - filled)}] {p.done:>{len(str(p.total))}}/{p.total}{last}{failed}"


# ---- the batch --------------------------------------------------------------------------------------
def run_batch(jobs: Iterable[Job], output: str | os.PathLike = "build", workers: int | None = None,
              scheduler: str | None = None, force: bool = False, formats=FORMATS,
              data: str | os.PathLike | None = None, progress: Callable[[Progress], None] | None = None,
              notebook: str | os.PathLike = NOTEBOOK) -> Manifest:
    """Render every job's brief into output/A-B/, skipping those whose outputs are up to date.

    workers: local worker processes (default: the number of cores); scheduler: the address of a
    Dask distributed scheduler instead (its workers must see the same files). Never raises for a
    failing brief: each failure is in the manifest, with its cause.
    """
    from .datapackage import open_package
    from .params import OPTIONAL, check

    started = time.time()
    output, notebook = Path(output).resolve(), Path(notebook).resolve()
    formats = _check_formats(formats)
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be at least 1 (got {workers})")
    report = progress or (lambda p: None)
    with _locked(output):
        # 1. plan, in this process: parameters checked, cache keys compared; nothing is rendered yet
        entries = dict(Manifest.read(output).entries)
        inputs = input_digests(notebook)
        packages: dict[str | None, Any] = {}
        planned: dict[str, Job] = {}
        todo: list[dict] = []
        for job in jobs:
            where = job.params.get("data") or (str(data) if data else None)
            try:
                if where not in packages:
                    packages[where] = open_package(where)
                package = packages[where]
                params = check(package, job.country_a, job.country_b, **job.params)
            except BriefkitError as exc:  # a broken pair fails alone; the others still render
                planned[job.pair] = job
                message = f"{job.origin}: {exc}" if job.origin else str(exc)
                entries[job.pair] = Entry(FAILED, job.country_a, job.country_b, dict(job.params),
                                          error=_error(message, "parameters", ename=type(exc).__name__,
                                                       evalue=str(exc)))
                continue
            if params.pair in planned:
                if dict(planned[params.pair].params) == dict(job.params):
                    continue
                raise UsageError(f"{params.pair} is asked for twice with different parameters "
                                 f"({planned[params.pair].origin}; {job.origin})")
            planned[params.pair] = job
            key, parts = cache_key(inputs, params, package.digest)
            before = entries.get(params.pair)
            reason = "forced" if force else _stale(before, key, parts, formats, output)
            _sweep_partials(output / params.pair, older_than=started)
            if reason is None:
                entries[params.pair] = replace(before, status=CACHED, seconds={}, reason=None, error=None)
                continue
            entry = Entry(FAILED, params.country_a, params.country_b, params.as_notebook() | {"data": None},
                          package.digest, key, parts, reason, error=INTERRUPTED)
            entries[params.pair] = entry
            todo.append({"pair": params.pair, "country_a": params.country_a, "country_b": params.country_b,
                         "data": params.data, "output": str(output), "formats": list(formats),
                         "extra": {k: v for k, v in params.as_notebook().items() if k in OPTIONAL},
                         "notebook": str(notebook), "entry": entry})
        pairs = tuple(planned)
        run = {"pairs": list(pairs), "formats": list(formats), "force": force, "scheduler": scheduler,
               "workers": None if scheduler else min(workers or os.cpu_count() or 1, max(len(todo), 1)),
               "started": _utc(started), "finished": None}
        Manifest(output, entries, pairs, run).write()
        rendering = {t["pair"] for t in todo}
        done = len(pairs) - len(todo)
        failed = [p for p in pairs if entries[p].status == FAILED and p not in rendering]
        if done > len(failed):
            report(Progress(done, len(pairs), None, CACHED, failed=len(failed),
                            message=f"{done - len(failed)} up to date ({CACHED})"))
        for p in failed:
            report(Progress(done, len(pairs), p, FAILED, message=entries[p].error["message"], failed=len(failed)))

        if todo:
            where = f"on {scheduler}" if scheduler else f"in {run['workers']} worker process(es)"
            report(Progress(done, len(pairs), None, "rendering", message=f"rendering {len(todo)} brief(s) {where}",
                            failed=len(failed)))

        # 2. render what is stale, in worker processes or on the cluster; record each brief as it ends
        results = _on_cluster(todo, scheduler) if scheduler else _on_local_workers(todo, run["workers"])
        for task, result in results:
            entries[task["pair"]] = replace(task["entry"], **result)
            done += 1
            if result["status"] == FAILED:
                failed.append(task["pair"])
            Manifest(output, entries, pairs, run).write()
            report(Progress(done, len(pairs), task["pair"], result["status"], result["seconds"].get("worker"),
                            (result.get("error") or {}).get("message"), len(failed)))

        # 3. the final record
        manifest = Manifest(output, entries, pairs, run | {"finished": _utc(time.time())})
        manifest.write()
    return manifest


def _check_formats(formats) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(formats))
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f'Unknown format "{unknown[0] if unknown else ""}"; briefkit writes: {", ".join(FORMATS)}')
    return formats


def _stale(before: Entry | None, key: str, parts: dict, formats, output: Path) -> str | None:
    """Why a brief must be rendered again, or None if its outputs are up to date."""
    if before is None:
        return "new"
    if before.status == FAILED:
        return "failed before"
    if before.cache_key != key:
        changed = [name for name, value in parts.items() if before.inputs.get(name) != value]
        return f"changed: {', '.join(changed) or 'cache key'}"
    for fmt in (*formats, "ipynb"):
        path, meta = before.outputs.get(fmt), before.files.get(fmt) or {}
        if not path:
            return f"no {fmt} yet"
        try:
            size = (output / path).stat().st_size
        except OSError:
            return f"{path} is missing"
        if size != meta.get("bytes"):
            return f"{path} was changed"
    return None


def _sweep_partials(folder: Path, older_than: float) -> None:
    """Remove the temporary folders of renders killed in earlier runs (not those of running renders)."""
    try:
        leftovers = [p for p in folder.iterdir() if p.name.startswith(".partial-")]
    except OSError:
        return
    for p in leftovers:
        try:
            if p.stat().st_mtime < older_than:
                shutil.rmtree(p, ignore_errors=True)
        except OSError:
            pass


@contextmanager
def _locked(output: Path):
    """One batch at a time per output folder: two would race for the same files and manifest."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        handle = open(output / LOCK, "w")
    except OSError as exc:
        raise OutputError(f"Cannot write to {output} ({exc.strerror}): choose another folder with --output, "
                          f"or make this one writable") from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BriefkitError(f"Another briefkit batch is writing to {output}: wait for it to finish, "
                                f"or choose another folder with --output") from None
        yield


def _utc(seconds: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


# ---- workers ----------------------------------------------------------------------------------------
def render_task(task: dict) -> dict:
    """Render one brief in a worker (a local process or a Dask worker); return its manifest fields.

    Never raises for a failing brief: the error, its cell and the failed notebook are returned.
    """
    sys.modules.setdefault("rfc3987_syntax", None)  # as the command line does: nbformat imports faster
    _adopt_settings(task.get("settings", {}))
    if task["pair"] in os.environ.get(TEST_EXIT_ENV, "").split(","):
        os._exit(70)
    from .errors import NotebookError
    from .render import git_commit, render

    clock = time.perf_counter()
    output = Path(task["output"])
    result = {"status": FAILED, "outputs": {}, "files": {}, "seconds": {}, "error": None,
              "commit": git_commit(), "rendered_at": None}
    try:
        rendered = render(task["country_a"], task["country_b"], output=output, formats=tuple(task["formats"]),
                          data=task["data"], notebook=Path(task["notebook"]),
                          reuse_kernel=task.get("reuse_kernel", False), **task.get("extra", {}))
    except NotebookError as exc:
        failed = Path(exc.notebook_path) if exc.notebook_path and Path(exc.notebook_path).exists() else None
        cell, source = _failing_cell(failed) if failed else (None, None)
        result["error"] = _error(str(exc), "execute", cell=exc.cell_index if cell is None else cell, source=source,
                                 ename=exc.ename, evalue=exc.evalue,
                                 notebook=os.path.relpath(failed, output) if failed else None)
    except Exception as exc:  # any other failure is this brief's alone: record it, keep the batch going
        from .errors import ExportError

        stage = "export" if isinstance(exc, ExportError) else "render"
        message = str(exc) if isinstance(exc, BriefkitError) else f"{type(exc).__name__}: {exc}"
        result["error"] = _error(message, stage, ename=type(exc).__name__, evalue=str(exc))
    else:
        for fmt, path in rendered.files.items():
            data = path.read_bytes()
            result["outputs"][fmt] = os.path.relpath(path, output)
            result["files"][fmt] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        result.update(status=OK, seconds={k: round(v, 3) for k, v in rendered.seconds.items()},
                      rendered_at=_utc(time.time()))
    result["seconds"]["worker"] = round(time.perf_counter() - clock, 3)
    return result


def _failing_cell(notebook: Path) -> tuple[int | None, str | None]:
    """The index, in the failed notebook the user opens, of the cell with an error, and its first line."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return None, None
    for i, cell in enumerate(cells):
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            source = "".join(cell.get("source", "")).strip().splitlines()
            return i, source[0] if source else ""
    return None, None


def _settings() -> dict[str, str]:
    """The parent's BRIEFKIT_* variables: a worker forked from a server started earlier, or on another
    machine, would otherwise see other values (or none)."""
    return {k: v for k, v in os.environ.items() if k.startswith("BRIEFKIT_")}


def _adopt_settings(settings: dict[str, str]) -> None:
    for name in [k for k in os.environ if k.startswith("BRIEFKIT_") and k not in settings]:
        del os.environ[name]
    os.environ.update(settings)


def _worker_died(exc: BaseException, detail: str = "") -> dict:
    message = f"worker died while rendering this brief{detail} ({type(exc).__name__}: {exc})"
    return {"status": FAILED, "outputs": {}, "files": {}, "seconds": {}, "rendered_at": None,
            "error": _error(message, "worker", ename=type(exc).__name__, evalue=str(exc))}


def _on_local_workers(tasks: list[dict], workers: int) -> Iterator[tuple[dict, dict]]:
    """Run tasks in `workers` processes; yield (task, result) as each ends.

    Each worker is a one-process pool of its own, given one brief at a time: a worker that dies
    takes only its own brief with it (the others keep running), and is replaced by a fresh one.
    Workers stay alive from brief to brief, so the render chain is imported once per worker, and
    each keeps its kernel from brief to brief, reset in between (briefkit.kernel): a test checks
    that the outputs equal those of a new kernel. A failed brief's kernel is not kept.
    """
    if not tasks:
        return
    context = _worker_context()
    lifeline, alive = context.Pipe(duplex=False)
    slots: list[ProcessPoolExecutor | None] = [None] * workers
    queue = deque(tasks)
    running: dict = {}  # future → (slot, task)
    try:
        while queue or running:
            for i in range(workers):
                if queue and i not in {slot for slot, _ in running.values()}:
                    if slots[i] is None:
                        slots[i] = ProcessPoolExecutor(max_workers=1, mp_context=context,
                                                       initializer=_exit_with_parent, initargs=(lifeline,))
                    task = queue.popleft()
                    running[slots[i].submit(render_task, _sendable(task) | {"reuse_kernel": True})] = (i, task)
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                i, task = running.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool as exc:
                    result = _worker_died(exc, _exit_detail(slots[i]))
                    slots[i].shutdown(wait=True)
                    slots[i] = None
                except Exception as exc:  # the task or its result could not cross to the worker and back
                    result = _worker_died(exc) | {"error": _error(f"{type(exc).__name__}: {exc}", "worker",
                                                                  ename=type(exc).__name__, evalue=str(exc))}
                yield task, result
    finally:
        for executor in slots:
            if executor is not None:
                executor.shutdown(wait=True, cancel_futures=True)
        alive.close()
        lifeline.close()


def _sendable(task: dict) -> dict:
    return {k: v for k, v in task.items() if k != "entry"} | {"settings": _settings()}


def _exit_with_parent(lifeline) -> None:
    """In a worker: exit as soon as the batch process is gone (killed), instead of idling for ever
    (a pool's workers hold their task queue open themselves, so they would never see it close).

    `lifeline` is the read end of a pipe whose only write end the batch process holds: reading it
    ends (EOFError) exactly when that process exits, however it exits.
    """
    import threading

    def watch():
        try:
            lifeline.recv()
        except (EOFError, OSError):
            pass
        os._exit(1)

    threading.Thread(target=watch, name="briefkit-exit-with-parent", daemon=True).start()


def _worker_context():
    """spawn, never fork: the parent may hold threads (a Dask client, a progress thread)."""
    import multiprocessing

    return multiprocessing.get_context("spawn")


def _exit_detail(executor: ProcessPoolExecutor | None) -> str:
    """' (exit code 70)' or ' (killed by SIGKILL)' for the dead worker, when the pool still knows it."""
    processes = list((getattr(executor, "_processes", None) or {}).values())  # private, so: when it can
    for process in processes:
        process.join(timeout=2)
    codes = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
    if not codes:
        return ""
    code = codes[0]
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f" (killed by {name}{', out of memory?' if name == 'SIGKILL' else ''})"
    return f" (exit code {code})"


def _on_cluster(tasks: list[dict], scheduler: str) -> Iterator[tuple[dict, dict]]:
    """The same tasks on a Dask distributed cluster; its workers must see the same files."""
    if not tasks:
        return
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise BriefkitError("--scheduler needs Dask: pip install 'briefkit[dask]'") from None
    try:
        client = Client(scheduler, set_as_default=False, timeout=30)
    except (OSError, TimeoutError) as exc:
        raise BriefkitError(f"Cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    with client:
        futures = {client.submit(render_task, _sendable(task), key=f"briefkit-{task['pair']}-{os.getpid()}-{i}",
                                 pure=False): task for i, task in enumerate(tasks)}
        for future in as_completed(futures, loop=client.loop):
            task = futures[future]
            try:
                result = future.result()
            except Exception as exc:  # KilledWorker and the like: the brief never finished
                result = _worker_died(exc)
            yield task, result


# ---- index.html -------------------------------------------------------------------------------------
STYLE = """body{font:15px/1.45 "Noto Sans","DejaVu Sans",sans-serif;margin:2rem auto;max-width:68rem;color:#1a1a1a}
h1{font-size:1.4rem;color:#1f5130}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid #ddd;vertical-align:top}
td:first-child{white-space:nowrap}
.status{font-weight:700;white-space:nowrap}.ok{color:#1f5130}.skipped-cached{color:#555}.failed{color:#a11}
.error{font-family:"DejaVu Sans Mono",monospace;font-size:.85em;white-space:pre-wrap;color:#a11}
.muted{color:#555;font-size:.9em}"""


def index_html(manifest: Manifest) -> str:
    """A self-contained page (no scripts, nothing fetched) linking every brief with its status;
    briefs whose statements this run changed come first, with counts and a link to their diff."""
    from .editions import latest_changes

    e = html.escape
    rows = []
    # briefkit.editions: what each brief rendered in this run changed (None: nothing, or not rendered)
    news = {p: latest_changes(manifest.output / p, p) if x.status == OK else None for p, x in manifest.entries.items()}
    for pair in sorted(manifest.entries, key=lambda p: (not (news[p] and news[p].moved), p)):  # changed first
        entry = manifest.entries[pair]
        links = " ".join(f'<a href="{e(entry.outputs[fmt])}">{fmt.upper()}</a>'
                         for fmt in ("html", "pdf", "ipynb") if fmt in entry.outputs and entry.status != FAILED)
        first = (f'<a href="{e(entry.outputs["html"])}">{e(pair)}</a>'
                 if "html" in entry.outputs and entry.status != FAILED else e(pair))
        detail = ""
        if entry.status == FAILED and entry.error:
            err = entry.error
            where = f"cell {err['cell']}: " if err.get("cell") is not None else ""
            notebook = (f' <a href="{e(err["notebook"])}">failed notebook</a>' if err.get("notebook") else "")
            detail = f'<div class="error">{e(where + str(err.get("message", "")))}</div>{notebook}'
        if news[pair] and news[pair].moved:
            detail += (f'<div class="changed">{e(news[pair].summary)} (since {e(news[pair].since)}): '
                       f'<a href="{e(pair + "/" + news[pair].diff)}">what changed</a></div>')
        seconds = entry.seconds.get("total")
        rows.append(f'<tr><td>{first}</td><td class="status {e(entry.status)}">{e(entry.status)}</td>'
                    f"<td>{links}{detail}</td>"
                    f'<td class="muted">{f"{seconds:.1f} s" if seconds else ""}</td>'
                    f'<td class="muted">{e((entry.data_digest or "")[:12])}</td></tr>')
    counts = ", ".join(f"{n} {status}" for status, n in manifest.summary.items())
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Briefs</title>"
            f"<style>{STYLE}</style></head><body><h1>Briefs</h1>"
            f'<p class="muted">This run: {e(counts)}. The manifest is <a href="{MANIFEST}">{MANIFEST}</a>.</p>'
            "<table><thead><tr><th>Pair</th><th>Status</th><th>Outputs</th><th>Time</th><th>Data</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></body></html>\n")
