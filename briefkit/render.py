"""One brief from two country names to files: check → execute → export, written atomically.

    render("Pakistan", "Belarus")  →  build/PAK-BLR/PAK-BLR.ipynb, .html, .pdf

Everything is first written to a temporary folder beside the output and then moved into place, so
a failure never leaves a half-written file in place of a good one. A failing notebook is kept as
PAK-BLR.failed.ipynb next to the last good outputs.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import editions
from . import params as paramlib
from .errors import NotebookError, OutputError, ParameterError, shown
from .authoring import check_hidden
from .content.ledger import OUTPUT_KEY
from .execute import NOTEBOOK, execute
from .kernel import kernel_for

FORMATS = ("html", "pdf", "docx")   # what a render can write; export.FORMATS says the same


@dataclass(frozen=True)
class Rendered:
    pair: str
    directory: Path
    files: dict[str, Path]
    seconds: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()   # one line each, for the command line to print


def render(country_a: str, country_b: str, output: str | os.PathLike = "build",
           formats=FORMATS, data: str | os.PathLike | None = None, notebook: Path = NOTEBOOK,
           reuse_kernel: bool = False, keep_editions: int = editions.KEEP_EDITIONS, warn: bool = True,
           **extra) -> Rendered:
    """Render one brief. `extra` holds the notebook's other parameters (as_of, title, author).
    With `reuse_kernel` (batch workers), the kernel of this thread's last brief is reset and used
    again, and this one's is kept for the next (see briefkit.kernel). A brief it replaces is kept
    under A-B/editions/ if what it says changed (the newest `keep_editions`; see briefkit.editions).
    With `warn`, the package is searched for the pair's trade, events and statements meanwhile, to
    warn of a brief that can say nothing (batch workers pass False: they keep no warnings)."""
    from .datapackage import open_package

    clock = {"start": time.perf_counter()}
    # Parameters, data package and notebook are checked first (a few milliseconds, no pandas):
    # a mistake is reported before any kernel starts.
    package = open_package(data)
    params = paramlib.check(package, country_a, country_b, **extra)
    notebook = Path(notebook).absolute()
    if not notebook.is_file():
        raise ParameterError(f"No notebook at {notebook}: pass an existing .ipynb with --notebook")
    paramlib.check_notebook(notebook)  # a notebook that would not take the parameters: no kernel
    warnings: list[str] = []
    with contextlib.ExitStack() as stack:
        # The kernel boots while this process imports pandas, papermill and the exporters: they
        # are imported here, after it starts, for that reason. It is released (kept or closed)
        # once the notebook has run, and closed unused if the output is wrong.
        with kernel_for(notebook, reuse_kernel) as kernel:
            from .export import export

            target = inside(output, params.pair)
            _make_writable(target)
            _warm_up(formats)
            emptiness = _look_for_data(package, params, warnings) if warn else None
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(dir=target, prefix=".partial-")))
            executed = tmp / f"{params.pair}.ipynb"
            t0 = time.perf_counter()

            def finish(nb):  # how the brief was made, and what it claims: written with the notebook
                nb.metadata["briefkit"] = provenance(params, package.digest)
                claims = claims_of(nb)
                if claims is not None:
                    nb.metadata["briefkit"]["claims"] = claims

            try:
                nb = execute(params, executed, notebook, kernel, finish=finish)
            except NotebookError as exc:
                failed = target / f"{params.pair}.failed.ipynb"
                if executed.exists():
                    os.replace(executed, failed)
                raise NotebookError(f"{exc} — the executed notebook is {failed}", failed, exc.cell_index,
                                    exc.ename, exc.evalue) from None
        clock["execute"] = time.perf_counter() - t0
        check_hidden(nb, notebook.name)
        if emptiness is not None:
            emptiness.join()
        claims = nb.metadata["briefkit"].get("claims")
        t0 = time.perf_counter()
        files = export(nb, formats, tmp, params.pair)
        if claims is not None:
            from .content.ledger import dumps

            files["claims"] = tmp / f"{params.pair}.claims.json"
            files["claims"].write_text(dumps(claims), encoding="utf-8")
        clock["export"] = time.perf_counter() - t0
        files["ipynb"] = executed
        placed = {fmt: target / path.name for fmt, path in files.items()}
        editions.keep_previous(target, params.pair, files, keep_editions)  # the brief there now, if it differs
        for fmt, path in files.items():
            os.replace(path, placed[fmt])
    (target / f"{params.pair}.failed.ipynb").unlink(missing_ok=True)
    clock["total"] = time.perf_counter() - clock.pop("start")
    return Rendered(params.pair, target, placed, clock, tuple(warnings))


def inside(output: str | os.PathLike, name: str) -> Path:
    """OUTPUT/name, resolved, refused unless it lies under the output folder."""
    if not str(output):
        raise OutputError("The output folder is empty: name one with --output (default: build)")
    root = Path(output).resolve()
    target = (root / name).resolve()
    if target.parent != root:
        raise OutputError(f'"{shown(name)}" would be written outside {root}: a brief\'s files stay in its output folder')
    return target


def holds_nothing(package, x: str, y: str) -> bool:
    """True when the package has no event, no statement and no trade of the pair x-y itself. The small
    events and statements tables are read as plain CSV; the trade table (pandas) only when both are silent."""
    import csv
    import gzip

    pair = {x, y}
    for name in ("events", "statements"):
        path = package.directory / package.resources[name]["path"]
        with (gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else open(path, encoding="utf-8")) as f:
            if any({row.get("country_a"), row.get("country_b")} == pair for row in csv.DictReader(f)):
                return False
    trade = package.table("trade")
    rows = trade[trade["reporter"].isin(pair) & trade["partner"].isin(pair)]
    return not (rows[["exports_fob", "imports_cif"]].fillna(0) > 0).to_numpy().any()


def _look_for_data(package, params, warnings: list[str]) -> threading.Thread:
    """While the kernel runs, check whether the package holds anything on the pair; if not, add the
    warning the command line prints. Any error is left to the brief itself, which reads the same data
    (and says what it lacks)."""
    def work():
        try:
            if holds_nothing(package, params.country_a, params.country_b):
                warnings.append(f"the data package holds no trade, events or statements for {params.pair}; "
                                f"the brief says only that")
        except Exception:
            pass

    thread = threading.Thread(target=work, name="briefkit-empty-pair", daemon=True)
    thread.start()
    return thread


def claims_of(nb) -> dict | None:
    """The claims ledger the brief's last cell saved with its output (see briefkit.content.ledger)."""
    for cell in reversed(nb.cells):
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {})
            # IPython keeps a _repr_html_'s metadata under its MIME type
            found = meta.get("text/html", {}).get(OUTPUT_KEY, meta.get(OUTPUT_KEY))
            if found is not None:
                return found
    return None


def provenance(params, digest: str) -> dict:
    """How an output was made: parameters, data digest, library versions."""
    return {"parameters": params.as_notebook() | {"data": None}, "data_digest": digest, "versions": dict(versions()),
            "commit": git_commit()}


@lru_cache(maxsize=1)
def versions() -> tuple[tuple[str, str | None], ...]:
    """The versions of the libraries that make a brief, read once per process (a batch worker's
    briefs are made by the libraries it imported, whatever is installed meanwhile)."""
    found = []
    for dist in ("briefkit", "papermill", "nbconvert", "pandas", "matplotlib", "seaborn", "weasyprint"):
        try:
            found.append((dist, metadata.version(dist)))
        except metadata.PackageNotFoundError:
            found.append((dist, None))
    return tuple(found)


def git_commit(root: Path = Path(__file__).resolve().parent.parent) -> str | None:
    """The commit briefkit's checkout is at, read from .git without running git; None if unknown."""
    git = root / ".git"
    try:
        if git.is_file():  # a worktree: "gitdir: <path>"
            git = (root / git.read_text().split(":", 1)[1].strip()).resolve()
        head = (git / "HEAD").read_text().strip()
        if not head.startswith("ref: "):
            return head or None  # detached
        ref = head[5:]
        common = (git / (git / "commondir").read_text().strip()).resolve() if (git / "commondir").exists() else git
        for base in (git, common):
            if (base / ref).is_file():
                return (base / ref).read_text().strip()
        for line in (common / "packed-refs").read_text().splitlines():
            if line.endswith(f" {ref}"):
                return line.split()[0]
    except (OSError, IndexError):
        pass
    return None


_WARM: set[str] = set()  # formats whose libraries this process has warmed up


def _warm_up(formats) -> None:
    """While the kernel runs, export a small page in a thread, so that the brief's export finds
    its libraries imported and its template, stylesheet, fonts and hyphenation patterns loaded
    (~1.3 s of a cold process). Only the time changes: any error is left for the export itself."""
    formats = tuple(f for f in formats if f not in _WARM)
    if not formats:
        return
    _WARM.update(formats)

    def work():
        try:
            from .export import warm_up

            warm_up(formats)
        except Exception:
            pass

    threading.Thread(target=work, name="briefkit-warm-up", daemon=True).start()


def _make_writable(target: Path) -> None:
    try:
        target.mkdir(parents=True, exist_ok=True)
        probe = tempfile.TemporaryFile(dir=target)
        probe.close()
    except OSError as exc:
        raise OutputError(
            f"Cannot write to {target} ({exc.strerror}): choose another folder with --output, "
            f"or make this one writable") from None
