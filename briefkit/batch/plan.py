"""The plan of a batch: for every job, its parameters checked, its cache key computed from what the
brief reads, and the reason it must render (or None: its outputs are up to date). Nothing renders.

    plan = make_plan(jobs, Path("build"), ("html", "pdf"))
    plan.reasons          # {"PAK-BLR": "changed: data of BLR (trade)", "IND-RUS": None, ...}
    plan.summary()        # [("changed: data of BLR (trade)", 212), ("new", 3)]
"""
from __future__ import annotations

import os
import shutil
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable

from ..errors import BriefkitError, UsageError
from .jobs import Job
from .keys import Code, DataIndex, cache_key, changes
from .manifest import CACHED, FAILED, INTERRUPTED, Entry, Manifest, error
from .worker import Task, settings


@dataclass(frozen=True)
class Plan:
    """What a batch will do. entries: the manifest as it stands once planned (briefs to render are
    recorded as not finished); tasks: the briefs to render, in order; reasons: why, per pair."""

    output: Path
    formats: tuple[str, ...]
    pairs: tuple[str, ...]
    entries: dict[str, Entry]
    tasks: tuple[Task, ...]
    reasons: dict[str, str]
    failed: tuple[str, ...]                         # pairs whose parameters were refused
    indexes: dict[str, Any] = field(default_factory=dict, repr=False)   # pair → its package's DataIndex

    @property
    def cached(self) -> list[str]:
        return [p for p in self.pairs if self.entries[p].status == CACHED]

    def summary(self) -> list[tuple[str, int]]:
        """How many briefs render for each reason, most frequent first."""
        return Counter(self.reasons[t.pair] for t in self.tasks).most_common()


def make_plan(jobs: Iterable[Job], output: Path, formats: tuple[str, ...], data=None, force: bool = False,
              code: Code = Code(), started: float | None = None) -> Plan:
    from ..datapackage import open_package
    from ..params import OPTIONAL, check

    previous = Manifest.read(output)
    entries = dict(previous.entries)
    digests = code.digests()
    packages: dict[str | None, tuple] = {}
    planned: dict[str, Job] = {}
    tasks, reasons, failed, indexes = [], {}, [], {}
    for job in jobs:
        where = job.params.get("data") or (str(data) if data else None)
        try:
            if where not in packages:
                package = open_package(where)
                names = _names(package)
                packages[where] = (_Resolving(package, names), DataIndex.build(package), names)
            package, index, names = packages[where]
            params = check(package, job.country_a, job.country_b, **job.params)
        except BriefkitError as exc:  # a broken pair fails alone; the others still render
            planned[job.pair] = job
            failed.append(job.pair)
            message = f"{job.origin}: {exc}" if job.origin else str(exc)
            entries[job.pair] = Entry(FAILED, job.country_a, job.country_b, dict(job.params),
                                      error=error(message, "parameters", ename=type(exc).__name__, evalue=str(exc)))
            continue
        pair, a, b = params.pair, params.country_a, params.country_b
        if pair in planned:
            if dict(planned[pair].params) == dict(job.params):
                continue
            raise UsageError(f"{pair} is asked for twice with different parameters "
                             f"({planned[pair].origin}; {job.origin})")
        planned[pair] = job
        indexes[pair] = index
        before = entries.get(pair)
        key, inputs = cache_key(digests, params, index.parts(a, b, before.cites if before else None), index)
        about = {"names": [names.get(a, a), names.get(b, b)], "analyst": index.analyst(a, b),
                 "empty": index.empty(a, b)}
        if force:
            reason = "forced"
        elif pair in previous.damaged:
            reason = f"manifest entry unreadable ({previous.damaged[pair]})"
        else:
            reason = stale(before, key, inputs, formats, output)
        if reason is None:
            entries[pair] = replace(before, status=CACHED, seconds={}, reason=None, error=None, **about)
            continue
        entries[pair] = Entry(FAILED, a, b, params.as_notebook() | {"data": None}, package.digest, key, inputs,
                              reason, error=INTERRUPTED, cites=before.cites if before else None, **about)
        reasons[pair] = reason
        if started is not None:
            _sweep_partials(output / pair, older_than=started)
        extra = tuple((k, v) for k, v in params.as_notebook().items() if k in OPTIONAL)
        tasks.append(Task(pair, a, b, params.data, str(output), formats, str(code.notebook), settings=settings(),
                          extra=extra))
    return Plan(output, formats, tuple(planned), entries, tuple(tasks), reasons, tuple(failed), indexes)


def stale(before: Entry | None, key: str, inputs: dict, formats, output: Path) -> str | None:
    """Why a brief must be rendered again, or None if its outputs are up to date."""
    if before is None:
        return "new"
    if before.status == FAILED:
        return "failed before"
    if before.cache_key != key:
        return f"changed: {', '.join(changes(before.inputs, inputs)) or 'cache key'}"
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


class _Resolving:
    """The package, resolving each country's name or code once per batch (in the world set each
    country is named about a hundred times). Refusals are not kept: each job gets its own."""

    def __init__(self, package, codes):
        self._package, self._known = package, {code: code for code in codes}  # a code of the table is itself

    def resolve(self, text: str) -> str:
        if text not in self._known:
            self._known[text] = self._package.resolve(text)
        return self._known[text]

    def __getattr__(self, name):
        return getattr(self._package, name)


def _names(package) -> dict[str, str]:
    """ISO3 → name, from the countries table."""
    countries = package.table("countries")
    return dict(zip(countries["iso3"].astype(str), countries["name"].astype(str)))


def _sweep_partials(folder: Path, older_than: float) -> None:
    """Remove the temporary folders of renders killed in earlier runs (not those of running renders)."""
    try:
        leftovers = [p for p in os.scandir(folder) if p.name.startswith(".partial-")]
    except OSError:
        return
    for p in leftovers:
        try:
            if p.stat().st_mtime < older_than:
                shutil.rmtree(p.path, ignore_errors=True)
        except OSError:
            pass
