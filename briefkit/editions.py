"""Earlier editions of a brief, kept when a render replaces one whose content changed.

    build/PAK-BLR/PAK-BLR.{html,pdf,claims.json,ipynb,docx}          the current edition
    build/PAK-BLR/editions/2024-02-02T101500-b003a69d/PAK-BLR.*       an earlier one

An edition's folder is named for when it was made (the executed notebook's end time, else the
files' modification time, UTC) and the data package it was drafted from (the digest's first 8 hex
digits). Content is compared without what changes on every render (the colophon's commit and
digest): a re-render that says the same keeps nothing. The newest KEEP_EDITIONS are kept.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

KEEP_EDITIONS = 5
FOLDER = "editions"
SUFFIXES = (".html", ".pdf", ".claims.json", ".ipynb", ".docx")   # what an edition is made of
NAME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{6}-[0-9a-z]{8}(-\d+)?")
COLOPHON = re.compile(r'<footer class="colophon">.*?</footer>', re.S)


def keep_previous(target: Path, pair: str, new_files: dict[str, Path], keep: int = KEEP_EDITIONS) -> Path | None:
    """Before `new_files` replace the brief in `target`, keep the brief there now as an edition if
    what it says differs from the new one. Returns the edition's folder, or None if nothing was kept.
    The old files are linked (or copied) into the edition; the caller's os.replace then swaps them."""
    if keep <= 0:
        return None
    old = {p.name[len(pair):]: p for p in (target / f"{pair}{s}" for s in SUFFIXES) if p.is_file()}
    if not old or not changed(old, {_suffix(p, pair): p for p in new_files.values()}):
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
    return folder


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
