"""Jobs: the briefs a batch is asked for, from the command line, a CSV file or a YAML file.

    jobs_from_pairs(["PAK-BLR", "Pakistan:Belarus"])
    jobs_from_file("pairs.csv")       # columns country_a,country_b (or pair) and parameter columns

A malformed file stops the command before anything is rendered, naming the file and the line.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import UsageError, did_you_mean


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
    from ..params import NAMES

    allowed = [n for n in NAMES if n not in ("country_a", "country_b")]
    if name not in allowed:
        hint = did_you_mean(name, [*extra, *allowed])
        raise UsageError(f'{where} "{name}" is not a brief parameter{hint}; besides the countries, '
                         f'the brief takes: {", ".join(allowed)}')


def _file_params(params: dict, path: Path) -> dict:
    if params.get("data"):
        params["data"] = str((path.parent / str(params["data"])).resolve())
    return params


