"""Earlier editions of a brief, kept when a render replaces one whose content changed.

    build/PAK-BLR/PAK-BLR.{html,pdf,claims.json,ipynb,docx}          the current edition
    build/PAK-BLR/editions/2024-02-02T101500-b003a69d/PAK-BLR.*       an earlier one

An edition's folder is named for when it was made (the executed notebook's end time, else the
files' modification time, UTC) and the data package it was drafted from (the digest's first 8 hex
digits). Content is compared without what changes on every render (the colophon's commit and
digest): a re-render that says the same keeps nothing. The newest KEEP_EDITIONS are kept.

When an edition is kept and both sides have claims ledgers, A-B.diff.html beside the brief says
what changed (briefkit diff's report); a render that changes nothing removes it, and
`latest_changes()` gives a batch index the counts.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

KEEP_EDITIONS = 5
FOLDER = "editions"
LEDGER, DIFF = ".claims.json", ".diff.html"
SUFFIXES = (".html", ".pdf", LEDGER, ".ipynb", ".docx")   # what an edition is made of
NAME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{6}-[0-9a-z]{8}(-\d+)?")
COLOPHON = re.compile(r'<footer class="colophon">.*?</footer>', re.S)


def keep_previous(target: Path, pair: str, new_files: dict[str, Path], keep: int = KEEP_EDITIONS) -> Path | None:
    """Before `new_files` replace the brief in `target`, keep the brief there now as an edition if
    what it says differs from the new one. Returns the edition's folder, or None if nothing was kept.
    The old files are linked (or copied) into the edition; the caller's os.replace then swaps them."""
    if keep <= 0:
        return None
    old = {p.name[len(pair):]: p for p in (target / f"{pair}{s}" for s in SUFFIXES) if p.is_file()}
    new = {_suffix(p, pair): p for p in new_files.values()}
    if not old or not changed(old, new):
        (target / f"{pair}{DIFF}").unlink(missing_ok=True)  # the brief is what it was: no news
        return None
    editions = target / FOLDER
    editions.mkdir(exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=editions, prefix=".partial-"))
    try:
        for path in old.values():
            try:
                os.link(path, partial / path.name)
            except OSError:
                shutil.copy2(path, partial / path.name)
        folder = _free(editions / edition_name(old))
        os.replace(partial, folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    prune(editions, keep)
    _write_diff(target / f"{pair}{DIFF}", old.get(LEDGER), new.get(LEDGER))
    return folder


def _write_diff(path: Path, old_ledger: Path | None, new_ledger: Path | None) -> None:
    """A-B.diff.html: what the brief about to be placed says differently from the one just kept."""
    if old_ledger is None or new_ledger is None:
        path.unlink(missing_ok=True)
        return
    from . import diffreport
    from .diff import LedgerError, changes, load_ledger

    try:
        result = [(path.name[: -len(DIFF)], changes(load_ledger(old_ledger), load_ledger(new_ledger)), "")]
    except LedgerError:  # an edition from another ledger format: kept, but not compared
        path.unlink(missing_ok=True)
        return
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(diffreport.html(result, title=f"{result[0][0]}: what changed since {path.parent.name}'s "
                                                 f"previous edition"), encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class LatestChanges:
    """What the last render of a brief changed, for a batch's index: counts and the report's path."""

    since: str            # the previous edition's folder name
    counts: dict
    summary: str
    moved: bool
    diff: str             # the report, relative to the brief's folder: "A-B.diff.html"


def latest_changes(target: Path, pair: str) -> LatestChanges | None:
    """What the brief's last render changed, if that render kept an edition (it wrote A-B.diff.html)
    and both editions have claims ledgers; else None."""
    from .diff import LedgerError

    kept = editions_of(target)
    report, ledger = target / f"{pair}{DIFF}", target / f"{pair}{LEDGER}"
    if not kept or not report.is_file() or not ledger.is_file() or not (kept[-1] / ledger.name).is_file():
        return None
    try:
        return _compare(kept[-1] / ledger.name, ledger, report.name, report.stat().st_mtime_ns,
                        ledger.stat().st_mtime_ns)
    except (LedgerError, OSError):
        return None


@lru_cache(maxsize=4096)
def _compare(old: Path, new: Path, report: str, *stamps) -> LatestChanges:
    """Cached by the files' times: a batch rewrites its index after every brief."""
    from .diff import changes, load_ledger

    ch = changes(load_ledger(old), load_ledger(new))
    return LatestChanges(old.parent.name, ch.counts, ch.summary(), ch.moved, report)


def changed(old: dict[str, Path], new: dict[str, Path]) -> bool:
    """Whether two sets of a brief's files ({suffix: path}) differ in content. Compared on the first
    kind both have: the HTML (colophon left out), the claims ledger (data digest left out), the PDF."""
    for suffix in (".html", ".claims.json", ".pdf"):
        if suffix in old and suffix in new:
            return content_digest(old[suffix]) != content_digest(new[suffix])
    return True  # nothing to compare: keep the old edition rather than lose it


def content_digest(path: Path) -> str:
    """A digest of what a file says, ignoring what every render stamps anew."""
    data = path.read_bytes()
    if path.name.endswith(".html"):
        data = COLOPHON.sub("", data.decode("utf-8")).encode("utf-8")
    elif path.name.endswith(".claims.json"):
        ledger = json.loads(data)
        ledger.pop("data_digest", None)
        data = json.dumps(ledger, sort_keys=True).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def edition_name(files: dict[str, Path]) -> str:
    """"<YYYY-MM-DD>T<HHMMSS>-<data digest 8>": when the edition was made, from which data."""
    when, digest = None, None
    if ".ipynb" in files:
        try:
            meta = json.loads(files[".ipynb"].read_text(encoding="utf-8")).get("metadata", {})
            end = meta.get("papermill", {}).get("end_time")
            when = datetime.fromisoformat(end) if end else None
            digest = meta.get("briefkit", {}).get("data_digest")
        except (OSError, ValueError, AttributeError):
            pass
    if digest is None and ".claims.json" in files:
        try:
            digest = json.loads(files[".claims.json"].read_text(encoding="utf-8")).get("data_digest")
        except (OSError, ValueError, AttributeError):
            pass
    if when is None:
        when = datetime.fromtimestamp(max(p.stat().st_mtime for p in files.values()), timezone.utc)
    hexdigits = re.sub(r"[^0-9a-f]", "", str(digest or "").removeprefix("sha256:").lower())[:8]
    return f"{when.astimezone(timezone.utc):%Y-%m-%dT%H%M%S}-{hexdigits or 'nodigest'}"


def _free(folder: Path) -> Path:
    """`folder`, or folder-2, -3, … if an edition of that second and digest is already kept."""
    candidate, n = folder, 1
    while candidate.exists():
        n += 1
        candidate = folder.with_name(f"{folder.name}-{n}")
    return candidate


def _suffix(path: Path, pair: str) -> str:
    name = path.name
    return name[len(pair):] if name.startswith(pair) else path.suffix


def editions_of(target: Path) -> list[Path]:
    """The kept editions of the brief in `target`, oldest first."""
    folder = target / FOLDER
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.is_dir() and NAME.fullmatch(p.name)), key=_order)


def _order(path: Path):
    """By the time in the name, then by the -N of editions made in the same second."""
    parts = path.name.split("-")  # YYYY, MM, DDTHHMMSS, digest, [N]
    return path.name[:17], int(parts[4]) if len(parts) > 4 else 1


def prune(editions: Path, keep: int) -> None:
    """Remove all but the newest `keep` editions (only folders named as editions are touched)."""
    kept = editions_of(editions.parent)
    for old in kept[: max(0, len(kept) - keep)]:
        shutil.rmtree(old)
