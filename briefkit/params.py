"""The brief notebook's parameter contract: names, types, checks. Checked before a kernel starts.

The notebook's `parameters` cell declares the same names, each as `name: type = default  # help`,
so that `papermill --help-notebook` shows them; a unit test keeps the two in step.
"""
from __future__ import annotations

import ast
import datetime as dt
import json
import re
from dataclasses import dataclass, fields
from pathlib import Path

from .errors import DataPackageError, ParameterError, did_you_mean, shown

OPTIONAL = ("as_of", "title", "author")  # passed to the notebook only when set


@dataclass(frozen=True)
class Params:
    """What the notebook's `parameters` cell receives."""

    country_a: str        # ISO3, already resolved
    country_b: str
    data: str | None = None    # absolute folder of the data package; None: the project's data/
    as_of: str | None = None   # the edition's date, YYYY-MM-DD; None: the brief's own date
    title: str | None = None   # replaces the title of briefs.csv (or the drafted one)
    author: str | None = None  # replaces the author of briefs.csv

    @property
    def pair(self) -> str:
        return f"{self.country_a}-{self.country_b}"

    def as_notebook(self) -> dict:
        """The parameters papermill injects; optional ones only when set, so that a brief without
        them has the same parameters (and cache key) as before they existed."""
        values = ((name, getattr(self, name)) for name in NAMES)  # every field is a string or None: no copy needed
        return {k: v for k, v in values if k not in OPTIONAL or v is not None}


NAMES = tuple(f.name for f in fields(Params))
ISO3 = re.compile(r"[A-Z]{3}")


def check(package, country_a: str, country_b: str, **extra) -> Params:
    """Resolve both countries through the package, check every other parameter, reject unknown ones."""
    for name in extra:
        if name not in NAMES:
            hint = did_you_mean(name, NAMES)
            raise ParameterError(f'Unknown parameter "{name}"{hint}; the brief takes: {", ".join(NAMES)}')
    a, b = package.resolve(country_a), package.resolve(country_b)
    for text, code in ((country_a, a), (country_b, b)):
        if not ISO3.fullmatch(code):  # it becomes a folder and file name: nothing else may pass
            raise DataPackageError(
                f'The countries table gives "{shown(text)}" the code "{shown(code)}", which is not three capital '
                f"letters (ISO 3166 alpha-3): fix its iso3 in countries.csv, then run: briefkit data validate")
    if a == b:
        raise ParameterError(f"A brief needs two different countries; both are {a}")
    data = str(Path(extra.get("data") or package.directory).absolute())
    return Params(a, b, data, check_date(extra.get("as_of")),
                  _text("title", extra.get("title")), _text("author", extra.get("author")))


def check_date(value) -> str | None:
    """An edition date: None, a date, or an ISO string YYYY-MM-DD → the ISO string."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ParameterError(f'as_of "{value}" is not a date: write it as YYYY-MM-DD, e.g. 2024-02-02') from None


def _text(name: str, value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    if not text:
        raise ParameterError(f"{name} is empty: give the text, or leave {name} out to keep the brief's own")
    return text




def check_notebook(notebook: Path) -> None:
    """The notebook's contract, checked before a kernel starts: one cell tagged `parameters` that
    assigns exactly the parameters briefkit passes (Params' fields), no more and no fewer."""
    notebook = Path(notebook)
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ParameterError(f"{notebook} is not a readable notebook ({_reason(exc)}): restore it from git") from None
    tagged = [c for c in cells if isinstance(c, dict) and "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        found = "no cell" if not tagged else f"{len(tagged)} cells"
        raise ParameterError(
            f'{notebook.name} has {found} tagged "parameters": tag the one cell that sets {", ".join(NAMES)}')
    source = tagged[0].get("source", "")
    source = "".join(source) if isinstance(source, list) else str(source)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f'{notebook.name}: the "parameters" cell is not valid Python (line {exc.lineno}: '
                             f"{exc.msg})") from None
    declared = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AnnAssign) else []
        declared += [t.id for t in targets if isinstance(t, ast.Name)]
    missing = [n for n in NAMES if n not in declared]
    extra = [n for n in declared if n not in NAMES]
    if missing or extra:
        said = "; ".join(part for part in (
            f"it lacks {', '.join(missing)}" if missing else "",
            f"it sets {', '.join(extra)}, which briefkit does not pass" if extra else "") if part)
        raise ParameterError(f'{notebook.name}: the "parameters" cell must set exactly {", ".join(NAMES)}: {said}')


def _reason(exc: Exception) -> str:
    return getattr(exc, "strerror", None) or type(exc).__name__

