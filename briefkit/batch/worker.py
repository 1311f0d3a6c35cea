"""One brief in a worker (a local process or a Dask worker): Task in, Result out.

render_task never raises for a failing brief: the error, its cell and the failed notebook are in
the Result. Besides the outputs, it reads back what the batch keeps of the brief: its title (for
the index) and the source ids its notes cite (part of its next cache key).
"""
from __future__ import annotations

import hashlib
import html
import json
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BriefkitError
from .manifest import FAILED, OK, error

CITED = re.compile(r'data-source=\\?"([^"\\<>]+)')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
HEADING = re.compile(r'<h1[^>]*class="[^"]*\btitle\b[^"]*"[^>]*>(.*?)</h1>', re.S)


@dataclass(frozen=True)
class Task:
    """What a worker needs to render one brief. Paths are absolute: a Dask worker shares the files."""

    pair: str
    country_a: str
    country_b: str
    data: str | None
    output: str
    formats: tuple[str, ...]
    notebook: str
    reuse_kernel: bool = True
    settings: tuple[tuple[str, str], ...] = ()   # the parent's BRIEFKIT_* variables
    extra: tuple[tuple[str, str], ...] = ()      # the notebook's optional parameters that are set (as_of, ...)


@dataclass(frozen=True)
class Result:
    """What a worker returns: the manifest fields of one rendered (or failed) brief."""

    status: str
    outputs: dict = field(default_factory=dict)
    files: dict = field(default_factory=dict)
    seconds: dict = field(default_factory=dict)
    error: dict | None = None
    commit: str | None = None
    rendered_at: str | None = None
    title: str | None = None
    cites: list | None = None

    @classmethod
    def died(cls, exc: BaseException, detail: str = "") -> "Result":
        """A brief whose worker died (or whose task could not reach it)."""
        message = f"worker died while rendering this brief{detail} ({type(exc).__name__}: {exc})"
        return cls(FAILED, error=error(message, "worker", ename=type(exc).__name__, evalue=str(exc)))


def settings() -> tuple[tuple[str, str], ...]:
    """The parent's BRIEFKIT_* variables: a worker started earlier, or on another machine, would
    otherwise see other values (or none)."""
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("BRIEFKIT_")))


def render_task(task: Task) -> Result:
    """Render one brief (briefkit.render.render, keeping the kernel for the next); never raises."""
    sys.modules.setdefault("rfc3987_syntax", None)  # as the command line does: nbformat imports faster
    _adopt(dict(task.settings))
    from ..errors import ExportError, NotebookError
    from ..render import git_commit, render

    clock = time.perf_counter()
    output = Path(task.output)
    fields: dict = {"commit": git_commit()}
    try:
        rendered = render(task.country_a, task.country_b, output=output, formats=task.formats, data=task.data,
                          notebook=Path(task.notebook), reuse_kernel=task.reuse_kernel, warn=False,
                          **dict(task.extra))
    except NotebookError as exc:
        failed = Path(exc.notebook_path) if exc.notebook_path and Path(exc.notebook_path).exists() else None
        cell, source = _failing_cell(failed) if failed else (None, None)
        fields |= {"status": FAILED, "error": error(
            str(exc), "execute", cell=exc.cell_index if cell is None else cell, source=source, ename=exc.ename,
            evalue=exc.evalue, notebook=os.path.relpath(failed, output) if failed else None)}
    except Exception as exc:  # any other failure is this brief's alone: record it, keep the batch going
        stage = "export" if isinstance(exc, ExportError) else "render"
        message = str(exc) if isinstance(exc, BriefkitError) else f"{type(exc).__name__}: {exc}"
        fields |= {"status": FAILED, "error": error(message, stage, ename=type(exc).__name__, evalue=str(exc))}
    else:
        outputs, files = {}, {}
        for fmt, path in rendered.files.items():
            data = path.read_bytes()
            outputs[fmt] = os.path.relpath(path, output)
            files[fmt] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        fields |= {"status": OK, "outputs": outputs, "files": files,
                   "seconds": {k: round(v, 3) for k, v in rendered.seconds.items()},
                   "rendered_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        try:
            fields |= read_back(rendered.files)
        except OSError:
            pass  # the brief is written; without its title and citations it is only rendered again next time
    seconds = dict(fields.get("seconds", {})) | {"worker": round(time.perf_counter() - clock, 3)}
    release_memory()
    settle()
    return Result(**(fields | {"seconds": seconds}))


def release_memory() -> None:
    """Between briefs, free what the last one left in cycles (WeasyPrint's laid-out boxes point to
    their parents) and hand the freed pages back to the system (glibc keeps them otherwise): a
    worker then starts each brief near its size after the first, ~90 MB less after a few."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused, only not returned
        pass


def settle() -> None:
    """Once, after a worker's first brief: what is alive then (the render chain's modules, the
    compiled template, the fonts, the kept exporter) lives as long as the worker, so it is set aside
    from the cycle collector (gc.freeze). The collection after each brief, and those Python runs
    while WeasyPrint lays a brief out, then walk only what that brief made: about a tenth of a
    second less per brief."""
    import gc

    global _settled
    if not _settled:
        _settled = True
        gc.freeze()


_settled = False


def read_back(files: dict[str, Path]) -> dict:
    """The title and the cited source ids of a rendered brief. Title: the executed notebook's
    metadata.briefkit.title, else the HTML's title heading, else its <title>. Cited ids: from the
    claims ledger when there is one (A-B.claims.json), else the notes' data-source attributes."""
    title, cites = None, None
    ledger = next(iter(files.values())).with_suffix(".claims.json") if files else None
    if ledger is not None and ledger.is_file():
        try:
            claims = json.loads(ledger.read_text(encoding="utf-8"))
            cites = sorted({n["source"] for n in claims.get("notes", []) if n.get("source")}
                           | {v["source"] for c in claims.get("claims", []) for v in c.get("values", [])
                              if v.get("source")})
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            cites = None
    if "ipynb" in files:
        text = Path(files["ipynb"]).read_text(encoding="utf-8", errors="replace")
        try:
            title = json.loads(text).get("metadata", {}).get("briefkit", {}).get("title")
        except (ValueError, AttributeError):
            pass
        if cites is None and "html" not in files:
            cites = sorted(set(CITED.findall(text)))
    if "html" in files:
        text = Path(files["html"]).read_text(encoding="utf-8", errors="replace")
        if cites is None:
            cites = sorted(set(CITED.findall(text)))
        found = HEADING.search(text) or TITLE.search(text)
        if title is None and found:
            title = " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split()) or None
    return {"title": title if isinstance(title, str) else None, "cites": cites}


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


def _adopt(values: dict[str, str]) -> None:
    for name in [k for k in os.environ if k.startswith("BRIEFKIT_") and k not in values]:
        del os.environ[name]
    os.environ.update(values)
