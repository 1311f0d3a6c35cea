"""The batch's record, OUT/manifest.json: every pair ever rendered into the folder, and this run's.

It is replaced whole (never half-written), after every brief or at most once a second in a long
batch, so a run killed at any moment leaves a valid manifest: a brief still rendering is recorded
as "not finished", and the next run renders it again. An entry that cannot be read (a field
edited by hand to null, or to the wrong type) is treated as unknown: its brief is rendered again,
and the reason says which field was wrong.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable

MANIFEST, INDEX = "manifest.json", "index.html"
OK, FAILED, CACHED = "ok", "failed", "skipped-cached"
STATUSES = (OK, FAILED, CACHED)


def error(message: str, stage: str, **detail) -> dict:
    """A failure as the manifest records it. stage: parameters | execute | export | render | worker | pending;
    cell and source: the failing cell in the failed notebook (its index, its first line); notebook: that file."""
    return {"message": message, "stage": stage, "cell": None, "source": None, "ename": None, "evalue": None,
            "notebook": None} | detail


# What the manifest says of a brief while it renders: if the batch is killed, that is what remains.
INTERRUPTED = error("not finished: the batch stopped before this brief was rendered", "pending")

# Each field's JSON types; a field missing from an entry takes its default.
_TYPES = {"status": (str,), "country_a": (str, type(None)), "country_b": (str, type(None)), "parameters": (dict,),
          "data_digest": (str, type(None)), "cache_key": (str, type(None)), "inputs": (dict,),
          "reason": (str, type(None)), "outputs": (dict,), "files": (dict,), "seconds": (dict,),
          "error": (dict, type(None)), "commit": (str, type(None)), "rendered_at": (str, type(None)),
          "names": (list, type(None)), "title": (str, type(None)), "analyst": (bool, type(None)),
          "empty": (bool, type(None)), "cites": (list, type(None))}


@dataclass(frozen=True)
class Entry:
    """What the manifest records for one pair."""

    status: str                        # ok | failed | skipped-cached
    country_a: str | None = None
    country_b: str | None = None
    parameters: dict = field(default_factory=dict)
    data_digest: str | None = None     # of the whole package the brief was rendered from
    cache_key: str | None = None
    inputs: dict = field(default_factory=dict)      # the cache key's parts
    reason: str | None = None                       # why it was rendered: new, changed: data of BLR (trade)…
    outputs: dict = field(default_factory=dict)     # format → path relative to the output folder
    files: dict = field(default_factory=dict)       # format → {"bytes": n, "sha256": hex}
    seconds: dict = field(default_factory=dict)     # stages of this run's render; empty when cached
    error: dict | None = None                       # message, stage, cell, ename, evalue, notebook
    commit: str | None = None                       # briefkit's git commit in the worker
    rendered_at: str | None = None                  # when the outputs were made (UTC)
    names: list | None = None                       # the two countries' names
    title: str | None = None                        # the brief's title, from its HTML or notebook
    analyst: bool | None = None                     # True: analyst prose; False: drafted from the data
    empty: bool | None = None                       # True: no row of the package names both countries
    cites: list | None = None                       # the source ids the brief cites (part of its key)

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in _TYPES}  # shallow: json.dumps walks the rest

    @classmethod
    def from_json(cls, data) -> "Entry":
        """The entry, or ValueError naming the first field that is not what briefkit writes."""
        if not isinstance(data, dict):
            raise ValueError(f"the entry is {json.dumps(data)[:40]}, not an object")
        known = {k: v for k, v in data.items() if k in _TYPES}
        for name, value in known.items():
            if not isinstance(value, _TYPES[name]):
                raise ValueError(f"{name} is {json.dumps(value)[:40]}")
        if known.get("status") not in STATUSES:
            raise ValueError(f"status is {json.dumps(known.get('status'))[:40]}")
        if not all(isinstance(v, str) for v in known.get("outputs", {}).values()):
            raise ValueError("outputs holds a path that is not text")
        if not all(isinstance(v, dict) for v in known.get("files", {}).values()):
            raise ValueError("files holds a record that is not an object")
        return cls(**known)


@dataclass(frozen=True)
class Manifest:
    """Every pair rendered into the output folder, and this run's pairs (in order)."""

    output: Path
    entries: dict[str, Entry]
    pairs: tuple[str, ...] = ()
    run: dict = field(default_factory=dict)
    damaged: dict[str, str] = field(default_factory=dict)   # pair → why its entry could not be read

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
    def empty(self) -> list[str]:
        """This run's pairs on which the package holds no row naming both countries."""
        return [p for p in self.pairs if self.entries[p].empty]

    @property
    def summary(self) -> dict[str, int]:
        return {OK: len(self.ok), FAILED: len(self.failed), CACHED: len(self.cached)}

    def to_json(self) -> dict:
        return {"briefkit": {"version": _version("briefkit")}, "run": self.run, "summary": self.summary,
                "pairs": {p: self.entries[p].to_json() for p in sorted(self.entries)}}

    @classmethod
    def read(cls, output: str | os.PathLike) -> "Manifest":
        """The manifest of an output folder; an empty one if there is none or it is not JSON."""
        path = Path(output) / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(Path(output), {})
        pairs = data.get("pairs") if isinstance(data, dict) else None
        run = data.get("run") if isinstance(data, dict) and isinstance(data.get("run"), dict) else {}
        entries, damaged = {}, {}
        for pair, item in (pairs.items() if isinstance(pairs, dict) else ()):
            try:
                entries[pair] = Entry.from_json(item)
            except (ValueError, TypeError) as exc:
                damaged[pair] = str(exc)
        this_run = run.get("pairs") if isinstance(run.get("pairs"), list) else []
        return cls(Path(output), entries, tuple(p for p in this_run if p in entries), run, damaged)

    def write(self, index: Callable[["Manifest"], str] | None = None) -> None:
        """manifest.json and (given its maker) index.html, each replaced whole."""
        indent = 1 if len(self.entries) <= 1000 else None  # a large manifest is written compact: 3x faster
        write_atomically(self.output / MANIFEST, json.dumps(self.to_json(), indent=indent, ensure_ascii=False) + "\n")
        if index is not None:
            write_atomically(self.output / INDEX, index(self))


class Recorder:
    """Writes the manifest and index as a batch goes: at once when asked, otherwise at most every
    `every` seconds, and never more than a tenth of the time (10,000 briefs take a second to write)."""

    def __init__(self, output: Path, pairs: tuple[str, ...], run: dict, index: Callable[[Manifest], str],
                 every: float = 1.0):
        self.output, self.pairs, self.run, self.index, self.every = output, pairs, run, index, every
        self.last = 0.0

    def __call__(self, entries: dict[str, Entry], now: bool = False, **run) -> Manifest:
        self.run = self.run | run
        manifest = Manifest(self.output, entries, self.pairs, self.run)
        if now or time.monotonic() - self.last >= self.every:
            start = time.monotonic()
            manifest.write(self.index)
            self.last = time.monotonic()
            self.every = max(self.every, 10 * (self.last - start))  # writing takes at most a tenth of the time
        return manifest


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None
