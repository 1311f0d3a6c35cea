"""Read one tabular resource of the data package and check it against its Table Schema.

Checking is vectorised with pandas/numpy so that the whole package (the trade
table alone has ~700,000 rows) validates in a few seconds.  The verdicts follow
frictionless-py 5 cell by cell; where this module knowingly differs, the
difference is listed below.

Public API
----------
``Problem``            one finding: resource, row, field, message (frozen).
``TableError``         raised by ``read_raw``/``load_schema``; carries ``.problem``.
``load_schema``        the resource's schema, inline or a JSON file in the package.
``read_raw``           the CSV as a DataFrame of ``str`` cells, header checked.
``check_table``        (typed frame, problems) for one raw table.
``check_foreign_keys`` dangling foreign-key values across typed tables.

Row numbers
-----------
Rows are numbered as frictionless numbers them: the header is row 1, the first
data row is row 2.  Row ``i`` of a frame (by position, not index label) is row
``i + 2``.  ``row`` is ``None`` for file-, schema- and column-level problems
and for the "... and N more rows" summaries.

Typed frame
-----------
``check_table`` returns a frame with exactly the schema's fields, in schema
order, on the raw frame's index (one typed row per raw row, blank rows
included, so position ``i`` is still row ``i + 2``):

==========  ===========================================================
string      pandas ``"string"`` dtype (``pd.StringDtype()``), ``pd.NA`` missing
integer     pandas ``"Int64"``, ``pd.NA`` missing
year        pandas ``"Int64"``, ``pd.NA`` missing
number      numpy ``float64``, ``NaN`` missing (a literal "NaN" cell is NaN too)
boolean     pandas ``"boolean"``, ``pd.NA`` missing
date        ``datetime64[s]`` (dates only, midnight), ``NaT`` missing
==========  ===========================================================

A cell is missing in the typed frame when it is one of the missing values or
when it could not be read as its type (a type error).  Values that are of the
right type but break a constraint (minimum, pattern, enum, unique, ...) keep
their value, as frictionless keeps them.

Frictionless semantics matched
------------------------------
* Missing values are compared with the raw cell before anything else (default
  ``[""]``; schema ``missingValues``, or a field's own ``missingValues``).
* integer: Python ``int()`` after stripping whitespace, so "+3", " 3 ", "007"
  and "1_000" are integers; "1.5", "1e3", "1.0" are not.  ``bareNumber:
  false`` strips leading/trailing non-digits first, as frictionless does.
* number: ``decimal.Decimal()`` after stripping whitespace, so "1e3", ".5",
  "5.", "NaN", "inf", "-Infinity" and "1_000" are numbers; "1,000" is not,
  unless ``groupChar`` is ",".  ``decimalChar``/``groupChar``/``bareNumber``
  are honoured like frictionless.  NaN fails every minimum/maximum check;
  infinities compare normally.
* boolean: exact match against ``trueValues``/``falseValues`` (defaults
  true/True/TRUE/1 and false/False/FALSE/0); no whitespace stripping.
* date: ``datetime.strptime(cell, "%Y-%m-%d")`` (or the field's ``format``),
  which also accepts unpadded months and days ("2020-1-5") and a space-padded
  day ("2020-01- 5"); impossible dates such as 2021-02-29 are type errors.
* year: exactly four characters that ``int()`` reads as 0..9999 ("+123" and
  " 123" pass, "-123" does not).
* Constraints are only checked on cells that were read as their type; a
  required cell that is a type error gets the type error only.  ``pattern``,
  ``minLength`` and ``maxLength`` apply to string fields only (frictionless
  ignores them on other types); minimum/maximum/exclusive*/enum compare typed
  values, so enum ["1"] on an integer field accepts "01".  Each broken
  constraint of a cell is a separate problem.
* unique and primary key compare typed values ("1" and "01" collide on an
  integer field); missing cells are never duplicates of each other under
  ``unique``, but a primary key with some (not all) parts missing is still
  compared, missing equal to missing, as frictionless does.
* A row whose every cell is missing is reported once as blank; no other
  problem is reported for it.
* Foreign keys: rows whose key cells are all missing are skipped; the rest
  must appear among the referenced table's typed key values.

Deliberate differences from frictionless 5
------------------------------------------
* Every primaryKey field is required (frictionless 5 only objects when *all*
  parts are missing).  A row missing every part gets the required problems,
  not an extra row-level one.
* ``pattern`` is a true full match (``re.fullmatch``).  frictionless uses
  ``re.match("^" + pattern + "$")``, which lets "ABC\\n" match "[A-Z]{3}" and
  makes a top-level alternation "a|b" accept anything starting with "a".
* Duplicates name the row where the value *first* appeared (frictionless names
  the previous one).
* Rows with too many or too few cells are file-level errors from ``read_raw``
  (frictionless reports extra-cell/missing-cell per row and carries on).
* Digits outside ASCII, integers beyond 64 bits and string formats other than
  "default" (email, uri, ...) are not supported the same way: wide integers are
  type errors, and unsupported types/formats are reported as schema problems.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from typing import Any, Callable

import numpy as np
import pandas as pd

__all__ = [
    "Problem",
    "TableError",
    "load_schema",
    "read_raw",
    "check_table",
    "check_foreign_keys",
    "MAX_PROBLEMS_PER_KIND",
]

#: Problems listed per (resource, field, kind) before one summary Problem.
MAX_PROBLEMS_PER_KIND = 20

_DEFAULT_MISSING_VALUES = [""]
_DEFAULT_TRUE_VALUES = ["true", "True", "TRUE", "1"]
_DEFAULT_FALSE_VALUES = ["false", "False", "FALSE", "0"]
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_SUPPORTED_TYPES = {"string", "any", "integer", "number", "boolean", "date", "year"}


# --------------------------------------------------------------------------
# Problem and TableError


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a resource, a row, or a cell."""

    resource: str
    row: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.resource
        if self.row is not None:
            where += f" row {self.row}"
        if self.field is not None:
            where += f', field "{self.field}"'
        return f"{where}: {' '.join(self.message.splitlines())}"


class TableError(Exception):
    """A resource that cannot be read at all; ``.problem`` says why."""

    def __init__(self, problem: Problem):
        super().__init__(str(problem))
        self.problem = problem


def _fail(resource: str, message: str) -> TableError:
    return TableError(Problem(resource, None, None, message))


# --------------------------------------------------------------------------
# Small formatting helpers (messages stay on one line)

_CONTROL = re.compile(r'[\x00-\x1f\x7f"\\]')
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t", '"': '\\"', "\\": "\\\\"}


def _quote(value: Any, limit: int = 60) -> str:
    """A cell for a message: double-quoted, control characters escaped."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    text = _CONTROL.sub(lambda m: _ESCAPES.get(m.group(), f"\\x{ord(m.group()):02x}"), text)
    return f'"{text}"'


def _plain(value: Any) -> str:
    """A typed value or schema constant for a message, unquoted unless text."""
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (np.integer,)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        number = float(value)
        return str(int(number)) if number.is_integer() and abs(number) < 1e16 else repr(number)
    return str(value)


def _cells(count: int) -> str:
    return "1 cell" if count == 1 else f"{count} cells"


def _characters(text: str) -> str:
    return "1 character" if len(text) == 1 else f"{len(text)} characters"


def _names(items: list[str]) -> str:
    return ", ".join(_quote(i) for i in items)


def _listing(values: list[Any], limit: int = 10) -> str:
    shown = ", ".join(_plain(v) for v in values[:limit])
    if len(values) > limit:
        shown += f", ... ({len(values) - limit} more)"
    return shown


# --------------------------------------------------------------------------
# Schema


def load_schema(package_dir: Path, resource: dict) -> dict:
    """The resource's Table Schema: inline, or a JSON file relative to ``package_dir``."""
    name = resource.get("name") or "?"
    schema = resource.get("schema")
    if isinstance(schema, dict):
        descriptor = schema
    elif isinstance(schema, str):
        if "://" in schema:
            raise _fail(name, f"schema {schema} is remote; only inline or package-relative schemas are supported")
        location = Path(package_dir) / schema
        try:
            descriptor = json.loads(location.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise _fail(name, f"schema file {schema} does not exist (looked for {location})") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise _fail(name, f"schema file {schema} cannot be read: {exc}") from None
        except json.JSONDecodeError as exc:
            raise _fail(name, f"schema file {schema} is not valid JSON: {exc}") from None
    elif schema is None:
        raise _fail(name, "resource has no schema")
    else:
        raise _fail(name, f"schema must be an object or a path, not {type(schema).__name__}")
    fields = descriptor.get("fields") if isinstance(descriptor, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) and isinstance(f.get("name"), str) for f in fields):
        raise _fail(name, 'schema has no valid "fields" list (each field needs a "name")')
    return descriptor


# --------------------------------------------------------------------------
# Reading


def read_raw(path: Path, resource: dict) -> pd.DataFrame:
    """The resource's CSV as a frame of ``str`` cells, one column per header cell.

    Honours ``compression`` ("gz"/"gzip", or a ``.gz`` suffix), ``encoding``
    (default utf-8, a UTF-8 byte-order mark is dropped) and the dialect's
    ``delimiter``/``quoteChar``.  The header must list the schema's field names
    in the schema's order.  ``resource["schema"]`` may be inline or a path; a
    path is resolved against the package directory, i.e. ``path`` with
    ``resource["path"]`` taken off its end.  Raises ``TableError`` when the
    file is missing or unreadable, is not consistent CSV (a row with more or
    fewer cells than the header), or its header does not match the schema.
    """
    path = Path(path)
    name = resource.get("name") or path.name
    package_dir = path.parent
    if isinstance(resource.get("path"), str) and "://" not in resource["path"]:
        package_dir = path
        for _ in PurePosixPath(resource["path"]).parts:
            package_dir = package_dir.parent
    schema = load_schema(package_dir, {**resource, "name": name})
    expected = [f["name"] for f in schema["fields"]]

    fmt = resource.get("format")
    if fmt is not None and str(fmt).lower() != "csv":
        raise _fail(name, f'format "{fmt}" is not supported (only csv)')
    encoding = resource.get("encoding") or "utf-8"
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise _fail(name, f'unknown encoding "{encoding}"') from None
    dialect = resource.get("dialect") or {}
    delimiter = dialect.get("delimiter", ",")
    quotechar = dialect.get("quoteChar", '"')

    data = _read_bytes(path, resource, name)
    if codec.name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    if not data.strip():
        raise _fail(name, f"{path.name} is empty: no header row")

    try:
        text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
        header = next(csv.reader(text, delimiter=delimiter, quotechar=quotechar))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _fail(name, f"{path.name} is not readable {encoding} CSV: {exc}") from None
    _check_header(name, header, expected)

    if _ascii_compatible(codec.name) and all(len(c) == 1 and ord(c) < 128 for c in (delimiter, quotechar)):
        _check_shape(name, data, delimiter, quotechar, len(header))

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.BytesIO(data),
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                index_col=False,
                header=0,
                sep=delimiter,
                quotechar=quotechar,
                encoding=encoding,
                engine="c",
            )
    except UnicodeDecodeError as exc:
        raise _fail(name, f"{path.name} is not valid {encoding}: {exc}") from None
    except pd.errors.ParserWarning as exc:
        raise _fail(name, f"{path.name}: rows have more cells than the header ({exc})") from None
    except (pd.errors.ParserError, ValueError) as exc:
        found = re.search(r"line (\d+), saw (\d+)", str(exc))
        if found:
            raise _fail(name, f"row {found.group(1)} has {_cells(int(found.group(2)))} but the header has {len(header)}") from None
        raise _fail(name, f"{path.name} is not valid CSV: {exc}") from None
    return frame


def _read_bytes(path: Path, resource: dict, name: str) -> bytes:
    compression = resource.get("compression")
    if compression not in (None, "", "gz", "gzip"):
        raise _fail(name, f'compression "{compression}" is not supported (only gz)')
    gz = compression in ("gz", "gzip") or path.suffix == ".gz"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _fail(name, f"data file {path} does not exist") from None
    except IsADirectoryError:
        raise _fail(name, f"data file {path} is a directory") from None
    except OSError as exc:
        raise _fail(name, f"data file {path} cannot be read: {exc}") from None
    if gz:
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, ValueError) as exc:
            raise _fail(name, f"{path.name} is not a valid gzip file: {exc}") from None
    return data


def _check_header(name: str, header: list[str], expected: list[str]) -> None:
    if header == expected:
        return
    missing = [f for f in expected if f not in header]
    extra = [h for h in header if h not in expected]
    repeated = sorted({h for h in header if header.count(h) > 1})
    parts = []
    if missing:
        parts.append(f"missing column(s) {_names(missing)}")
    if extra:
        parts.append(f"unexpected column(s) {_names(extra)}")
    if repeated:
        parts.append(f"repeated column(s) {_names(repeated)}")
    if not parts:
        parts.append(f"columns are out of order: expected {_names(expected)}, found {_names(header)}")
    raise _fail(name, "header does not match the schema: " + "; ".join(parts))


def _ascii_compatible(codec_name: str) -> bool:
    """Whether newline, comma and quote are single ASCII bytes in this encoding."""
    try:
        return "\n,\"".encode(codec_name) == b'\n,"'
    except (LookupError, UnicodeError):
        return False


def _check_shape(name: str, data: bytes, delimiter: str, quotechar: str, width: int) -> None:
    """Every CSV record has ``width`` cells (blank lines excepted), checked on the bytes.

    Delimiters and line ends inside quotes are found by the parity of the
    quote characters before them (a doubled quote toggles twice).
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    newline = 10 if b"\n" in data else 13
    ends = raw == newline
    seps = raw == ord(delimiter)
    if quotechar.encode() in data:
        outside = (np.cumsum(raw == ord(quotechar), dtype=np.uint8) & 1) == 0
        ends &= outside
        seps &= outside
    end_at = np.flatnonzero(ends)
    if len(end_at) == 0 or end_at[-1] != len(raw) - 1:
        end_at = np.append(end_at, len(raw))
    start_at = np.concatenate(([0], end_at[:-1] + 1))
    sep_at = np.flatnonzero(seps)
    cells = np.diff(np.concatenate(([0], np.searchsorted(sep_at, end_at)))) + 1
    length = end_at - start_at
    blank = (length == 0) | ((length == 1) & (raw[np.minimum(start_at, len(raw) - 1)] == 13))
    bad = np.flatnonzero((cells != width) & ~blank)
    if len(bad):
        first = int(bad[0])
        more = f" (and {len(bad) - 1} more rows with the wrong number of cells)" if len(bad) > 1 else ""
        raise _fail(name, f"row {first + 1} has {_cells(int(cells[first]))} but the header has {width}{more}")


# --------------------------------------------------------------------------
# Cell readers: one value at a time, exactly as frictionless reads it


_NOT_BARE = re.compile(r"((^[^-\d]*)|(\D*$))")


def _integer_reader(field: dict) -> Callable[[str], int | None]:
    bare = field.get("bareNumber", True)

    def read(cell: str) -> int | None:
        text = cell.strip()
        if not bare:
            text = _NOT_BARE.sub("", text)
        try:
            value = int(text)
        except ValueError:
            return None
        return value if _INT64_MIN <= value <= _INT64_MAX else None

    return read


def _number_processed(field: dict) -> bool:
    return any(key in field for key in ("groupChar", "decimalChar", "bareNumber"))


def _number_reader(field: dict) -> Callable[[str], float | None]:
    processed = _number_processed(field)
    bare = field.get("bareNumber", True)
    group = field.get("groupChar", "")
    decimal = field.get("decimalChar", ".")

    def read(cell: str) -> float | None:
        text = cell.strip()
        if processed:
            if not bare:
                text = _NOT_BARE.sub("", text)
            text = text.replace(group, "")
            if decimal != "." and "." in text:
                return None
            text = text.replace(decimal, ".")
        try:
            value = Decimal(text)
        except (InvalidOperation, ValueError):
            return None
        return float("nan") if value.is_nan() else float(value)

    return read


def _year_reader(field: dict) -> Callable[[str], int | None]:
    def read(cell: str) -> int | None:
        if len(cell) != 4:
            return None
        try:
            value = int(cell)
        except ValueError:
            return None
        return value if 0 <= value <= 9999 else None

    return read


def _date_format(field: dict) -> str | None:
    fmt = field.get("format", "default")
    if fmt == "default":
        return "%Y-%m-%d"
    if fmt == "any" or not isinstance(fmt, str):
        return None
    return fmt[4:] if fmt.startswith("fmt:") else fmt


def _date_reader(field: dict) -> Callable[[str], np.datetime64 | None]:
    fmt = _date_format(field) or "%Y-%m-%d"

    def read(cell: str) -> np.datetime64 | None:
        try:
            return np.datetime64(datetime.strptime(cell, fmt).date(), "D")
        except (ValueError, TypeError, OverflowError):
            return None

    return read


def _boolean_reader(field: dict) -> Callable[[str], bool | None]:
    mapping = {v: True for v in field.get("trueValues", _DEFAULT_TRUE_VALUES)}
    mapping.update({v: False for v in field.get("falseValues", _DEFAULT_FALSE_VALUES)})
    return mapping.get


_READERS = {
    "integer": _integer_reader,
    "number": _number_reader,
    "year": _year_reader,
    "date": _date_reader,
    "boolean": _boolean_reader,
}
_STORAGE = {
    "integer": np.int64,
    "year": np.int64,
    "number": np.float64,
    "date": "datetime64[D]",
    "boolean": np.bool_,
}


def _read_constant(field: dict, value: Any) -> Any:
    """A constraint value (minimum, enum item) as a typed value, or None if unreadable."""
    ftype = field.get("type", "string")
    if isinstance(value, bool):
        return value if ftype == "boolean" else None
    if ftype in ("integer", "year") and isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() else None
    if ftype == "number" and isinstance(value, (int, float)):
        return float(value)
    if ftype == "boolean" and not isinstance(value, str):
        return None
    if not isinstance(value, str):
        return None
    return _READERS[ftype](field)(value)


# --------------------------------------------------------------------------
# Checking one table


_TYPE_NAMES = {
    "integer": "an integer",
    "number": "a number",
    "year": "a year (four digits)",
    "boolean": "a boolean",
    "date": "a date",
}


def _type_message(field: dict, cell: str) -> str:
    ftype = field.get("type")
    if ftype == "boolean":
        accepted = list(field.get("trueValues", _DEFAULT_TRUE_VALUES)) + list(
            field.get("falseValues", _DEFAULT_FALSE_VALUES)
        )
        return f"value {_quote(cell)} is not a boolean (expected one of {_names(accepted)})"
    if ftype == "date":
        fmt = field.get("format", "default")
        expected = "YYYY-MM-DD" if fmt == "default" else f"format {fmt}"
        return f"value {_quote(cell)} is not a date (expected {expected})"
    return f"value {_quote(cell)} is not {_TYPE_NAMES[ftype]}"


@dataclass
class _Issue:
    """Rows with one kind of problem in one field (or row-level when field is None)."""

    field: str | None
    kind: str
    rows: np.ndarray  # positions, ascending
    message: Callable[[int], str]  # position -> message
    label: str  # for the "... and N more" summary


class _Column:
    """One field's raw cells, typed values and cell-level issues (internal)."""

    def __init__(self, field: dict, cells: np.ndarray, absent: np.ndarray, missing_values: list[str]):
        self.field = field
        self.name: str = field["name"]
        self.type: str = field.get("type", "string")
        self.cells = cells  # object array of raw str cells (None/NaN where absent)
        self.missing_values = list(missing_values)
        self.missing = _missing_of(cells, absent, self.missing_values)
        self.invalid = np.zeros(len(cells), dtype=bool)  # type errors
        self.values: np.ndarray | None = None  # numpy values, meaningful where ok
        self.typed: Any = None  # array for the typed frame
        self.codes: np.ndarray | None = None  # equal values, equal codes; -1 when absent
        self.uniques: np.ndarray | None = None  # string columns: distinct cells behind codes
        self.issues: list[_Issue] = []

    @property
    def ok(self) -> np.ndarray:
        return ~(self.missing | self.invalid)

    def add(self, kind: str, mask: np.ndarray, message: Callable[[int], str], label: str) -> None:
        rows = np.flatnonzero(mask)
        if len(rows):
            self.issues.append(_Issue(self.name, kind, rows, message, label))

    def key_codes(self) -> np.ndarray:
        """Codes of the typed values for unique/primary-key checks; -1 for missing or invalid."""
        if self.codes is None:
            ok = self.ok
            codes = np.full(len(ok), -1, dtype=np.int64)
            if ok.any():
                values = self.values[ok]
                if values.dtype.kind == "M":
                    values = values.view(np.int64)
                codes[ok] = pd.factorize(values)[0]
            if self.type == "number":
                nan = ok & np.isnan(self.values)
                if nan.any():  # NaN never equals NaN (frictionless compares Decimals)
                    codes[nan] = codes.max() + 1 + np.arange(int(nan.sum()))
            self.codes = codes
        return self.codes


def _cells_of(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(object array of str cells, bool array of absent None/NaN cells) for a raw column."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.to_numpy(dtype=object), series.isna().to_numpy()
    cells = series.to_numpy(dtype=object)
    absent = np.asarray(pd.isna(cells), dtype=bool)
    if pd.api.types.infer_dtype(cells, skipna=True) not in ("string", "empty"):
        cells = np.array(
            [None if gone else (c if isinstance(c, str) else str(c)) for c, gone in zip(cells, absent)],
            dtype=object,
        )
    return cells, absent


def _missing_of(cells: np.ndarray, absent: np.ndarray, missing_values: list[str]) -> np.ndarray:
    if missing_values == [""]:
        missing = np.asarray(cells == "", dtype=bool)
    else:
        missing = pd.Series(cells, dtype=object).isin(missing_values).to_numpy()
    return missing | absent


def _parse_by_unique(cells: np.ndarray, reader: Callable, storage: Any) -> tuple[np.ndarray, np.ndarray]:
    """Run ``reader`` once per distinct cell; (values, ok) aligned with ``cells``."""
    codes, uniques = pd.factorize(cells)
    values = np.zeros(len(uniques), dtype=storage)
    ok = np.zeros(len(uniques), dtype=bool)
    for j, cell in enumerate(uniques):
        value = reader(cell)
        if value is not None:
            values[j] = value
            ok[j] = True
    return values[codes], ok[codes]


def _parse_numbers(cells: np.ndarray, reader: Callable) -> tuple[np.ndarray, np.ndarray]:
    """Plain numbers through ``float()``; whatever it refuses (and NaNs) through the exact reader.

    Everything ``float()`` reads, ``Decimal()`` reads to the same value, so
    only the cells that come out NaN need a second look.
    """

    def quick(cell: str) -> float:
        try:
            return float(cell)
        except ValueError:
            return np.nan

    values = np.fromiter(map(quick, cells), dtype=np.float64, count=len(cells))
    ok = np.ones(len(cells), dtype=bool)
    again = np.flatnonzero(np.isnan(values))
    if len(again):
        values[again], ok[again] = _parse_by_unique(cells[again], reader, np.float64)
    return values, ok


def _parse_string(col: _Column) -> None:
    codes, uniques = pd.factorize(col.cells)  # absent cells get -1
    uniques = np.asarray(uniques, dtype=object)
    if len(uniques):
        missing_u = _missing_of(uniques, np.zeros(len(uniques), dtype=bool), col.missing_values)
        codes = np.where(codes >= 0, np.where(missing_u[np.maximum(codes, 0)], -1, codes), -1)
    col.codes, col.uniques = codes.astype(np.int64), uniques
    keep = codes >= 0
    typed = np.full(len(codes), None, dtype=object)
    typed[keep] = col.cells[keep]
    col.typed = pd.array(typed, dtype=pd.StringDtype())


def _parse_typed(col: _Column) -> None:
    field, ftype, n = col.field, col.type, len(col.cells)
    present = ~col.missing
    cells = col.cells[present]
    storage = _STORAGE[ftype]
    values = ok = None
    # Fast paths: numpy's str -> int64 / float64 casts call int() / float(), which
    # accept exactly what frictionless's int() / a subset of what Decimal() accept.
    try:
        if ftype == "integer" and field.get("bareNumber", True) is not False:
            values, ok = cells.astype(np.int64), np.ones(len(cells), dtype=bool)
        elif ftype == "number" and not _number_processed(field):
            values, ok = cells.astype(np.float64), np.ones(len(cells), dtype=bool)
    except (ValueError, TypeError, OverflowError):
        values = ok = None
    if values is None and ftype == "number" and not _number_processed(field):
        values, ok = _parse_numbers(cells, _READERS[ftype](field))
    elif values is None:
        values, ok = _parse_by_unique(cells, _READERS[ftype](field), storage)

    col.invalid = np.zeros(n, dtype=bool)
    col.invalid[present] = ~ok
    absent = col.missing | col.invalid
    full = np.zeros(n, dtype=storage)
    full[present] = values
    if ftype == "number":
        full[absent] = np.nan
    elif ftype == "date":
        full[absent] = np.datetime64("NaT")
    col.values = full
    if ftype in ("integer", "year"):
        col.typed = pd.arrays.IntegerArray(np.where(absent, 0, full), absent)
    elif ftype == "boolean":
        col.typed = pd.arrays.BooleanArray(np.where(absent, False, full), absent)
    elif ftype == "date":
        col.typed = full.astype("datetime64[s]")
    else:
        col.typed = full
    raw = col.cells
    col.add("type", col.invalid, lambda i: _type_message(field, raw[i]), f"not {_TYPE_NAMES[ftype]}")


_BOUNDS = {  # kind: (holds, words for a break, noun)
    "minimum": (np.greater_equal, "below the minimum", "minimum"),
    "maximum": (np.less_equal, "above the maximum", "maximum"),
    "exclusiveMinimum": (np.greater, "not above the exclusive minimum", "exclusive minimum"),
    "exclusiveMaximum": (np.less, "not below the exclusive maximum", "exclusive maximum"),
}


def _check_typed_constraints(col: _Column, problems: list[Problem], resource: str) -> None:
    field, ftype, raw = col.field, col.type, col.cells
    constraints = field.get("constraints") or {}
    ok = col.ok
    for kind, (holds, words, noun) in _BOUNDS.items():
        if kind not in constraints or ftype == "boolean":
            continue
        written = constraints[kind]
        bound = _read_constant(field, written)
        if bound is None:
            problems.append(Problem(resource, None, col.name, f"constraint {kind} {_plain(written)} is not a valid {ftype}"))
            continue
        with np.errstate(invalid="ignore"):
            bad = ok & ~holds(col.values, bound)  # NaN holds nothing, as in frictionless
        shown = written if isinstance(written, str) else _plain(written)

        def message(i: int, words: str = words, noun: str = noun, shown: str = shown) -> str:
            if ftype == "number" and np.isnan(col.values[i]):
                return f"value {raw[i].strip()} cannot be compared with the {noun} {shown}"
            return f"value {raw[i].strip()} is {words} {shown}"

        col.add(kind, bad, message, f"{words} {shown}")

    if "enum" in constraints:
        allowed = [v for v in (_read_constant(field, e) for e in constraints["enum"]) if v is not None]
        bad = ok & ~np.isin(col.values, np.array(allowed, dtype=_STORAGE[ftype]))
        listing = _listing(list(constraints["enum"]))
        col.add("enum", bad, lambda i: f"value {_quote(raw[i])} is not one of {listing}", "not an allowed value")
    # pattern, minLength and maxLength are string-only; frictionless ignores them elsewhere.


def _check_string_constraints(col: _Column, problems: list[Problem], resource: str) -> None:
    constraints = col.field.get("constraints") or {}
    uniques, codes, raw = col.uniques, col.codes, col.cells
    if not len(uniques):
        return
    present = codes >= 0

    def failing(test: Callable[[str], bool]) -> np.ndarray:
        """Rows whose cell fails ``test``, testing each distinct cell once."""
        bad_u = np.fromiter((not test(u) for u in uniques), dtype=bool, count=len(uniques))
        bad = np.zeros(len(codes), dtype=bool)
        bad[present] = bad_u[codes[present]]
        return bad

    if "pattern" in constraints:
        source = constraints["pattern"]
        try:
            regex = re.compile(source)
        except (re.error, TypeError) as exc:
            problems.append(Problem(resource, None, col.name, f"pattern {_quote(source)} is not a valid regular expression: {exc}"))
        else:
            col.add("pattern", failing(lambda u: regex.fullmatch(u) is not None),
                    lambda i: f"value {_quote(raw[i])} does not match the pattern {_quote(source)}",
                    f"does not match the pattern {_quote(source)}")
    if "enum" in constraints:
        allowed = {e for e in constraints["enum"] if isinstance(e, str)}
        listing = _listing(list(constraints["enum"]))
        col.add("enum", failing(lambda u: u in allowed),
                lambda i: f"value {_quote(raw[i])} is not one of {listing}", "not an allowed value")
    if "minLength" in constraints:
        least = constraints["minLength"]
        col.add("minLength", failing(lambda u: len(u) >= least),
                lambda i: f"value {_quote(raw[i])} is shorter than the minimum length {least} ({_characters(raw[i])})",
                f"shorter than the minimum length {least}")
    if "maxLength" in constraints:
        most = constraints["maxLength"]
        col.add("maxLength", failing(lambda u: len(u) <= most),
                lambda i: f"value {_quote(raw[i])} is longer than the maximum length {most} ({_characters(raw[i])})",
                f"longer than the maximum length {most}")


def _first_seen(keys: np.ndarray, eligible: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions repeating an earlier key among ``eligible`` rows, and where each key first appeared."""
    rows = np.flatnonzero(eligible)
    if len(rows) == 0:
        return rows, rows
    codes = pd.factorize(keys[rows])[0]  # numbered in order of first appearance
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    new[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
    first_rows = rows[new]  # first_rows[c]: where code c first appeared
    return rows[~new], first_rows[codes[~new]]


def _lookup(repeats: np.ndarray, firsts: np.ndarray) -> Callable[[int], int]:
    """For a repeating position, the position where its value first appeared."""
    return lambda i: int(firsts[np.searchsorted(repeats, i)])


def _emit(problems: list[Problem], resource: str, issue: _Issue) -> None:
    """At most MAX_PROBLEMS_PER_KIND problems for ``issue``, then one summary."""
    for i in issue.rows[:MAX_PROBLEMS_PER_KIND]:
        problems.append(Problem(resource, int(i) + 2, issue.field, issue.message(int(i))))
    extra = len(issue.rows) - MAX_PROBLEMS_PER_KIND
    if extra > 0:
        rows = "row" if extra == 1 else "rows"
        problems.append(Problem(resource, None, issue.field, f"... and {extra} more {rows} with the same problem ({issue.label})"))


def _schema_columns(raw: pd.DataFrame, schema: dict, resource: str, problems: list[Problem]) -> list[_Column]:
    """Parse each schema field's column; column- and schema-level problems go to ``problems``."""
    n = len(raw)
    if raw.columns.has_duplicates:
        for dup in dict.fromkeys(raw.columns[raw.columns.duplicated()]):
            problems.append(Problem(resource, None, str(dup), "column appears more than once; the first one is checked"))
        raw = raw.loc[:, ~raw.columns.duplicated()]
    fields = schema.get("fields") or []
    names = [f["name"] for f in fields]
    for extra in [c for c in raw.columns if c not in names]:
        problems.append(Problem(resource, None, str(extra), "column is not in the schema"))
    schema_missing = schema.get("missingValues", _DEFAULT_MISSING_VALUES)

    columns = []
    for field in fields:
        name, ftype = field["name"], field.get("type", "string")
        fmt = field.get("format", "default")
        if ftype not in _SUPPORTED_TYPES:
            problems.append(Problem(resource, None, name, f'type "{ftype}" is not supported; cells were read as strings'))
            field = {**field, "type": "string"}
        elif ftype == "date" and _date_format(field) is None:
            problems.append(Problem(resource, None, name, f'date format "{fmt}" is not supported; YYYY-MM-DD was used'))
        elif ftype != "date" and fmt != "default":
            problems.append(Problem(resource, None, name, f'format "{fmt}" is not supported; it was not checked'))
        if name in raw.columns:
            cells, absent = _cells_of(raw[name])
        else:
            problems.append(Problem(resource, None, name, "column is missing from the table"))
            cells, absent = np.full(n, None, dtype=object), np.ones(n, dtype=bool)
        col = _Column(field, cells, absent, field.get("missingValues", schema_missing))
        if col.type in ("string", "any"):
            _parse_string(col)
            _check_string_constraints(col, problems, resource)
        else:
            _parse_typed(col)
            _check_typed_constraints(col, problems, resource)
        columns.append(col)
    return columns


def check_table(raw: pd.DataFrame, schema: dict, resource: str) -> tuple[pd.DataFrame, list[Problem]]:
    """Check every cell of ``raw`` against ``schema``; return (typed frame, problems).

    ``raw`` holds the cells as text, as ``read_raw`` returns them (None/NaN
    cells count as missing; other non-text cells are read through ``str``).
    Problems come in this order: schema and column problems; then, field by
    field in schema order, type, required, constraint and unique problems;
    then blank rows; then duplicate primary keys.  Within one kind they are in
    row order, at most ``MAX_PROBLEMS_PER_KIND`` and then one summary.
    """
    n = len(raw)
    problems: list[Problem] = []
    columns = _schema_columns(raw, schema, resource, problems)
    by_name = {col.name: col for col in columns}

    primary_key = _as_list(schema.get("primaryKey"))
    unknown = [k for k in primary_key if k not in by_name]
    if unknown:
        problems.append(Problem(resource, None, None, f"primary key names unknown field(s) {_names(unknown)}"))
        primary_key = [k for k in primary_key if k in by_name]

    blank = np.ones(n, dtype=bool) if columns else np.zeros(n, dtype=bool)
    for col in columns:
        blank &= col.missing

    for col in columns:
        constraints = col.field.get("constraints") or {}
        for issue in col.issues:
            if issue.kind == "type":
                _emit(problems, resource, issue)
        if constraints.get("required") or col.name in primary_key:
            why = "" if constraints.get("required") else " (part of the primary key)"
            rows = np.flatnonzero(col.missing & ~blank)
            _emit(problems, resource, _Issue(col.name, "required", rows,
                                             lambda i, why=why: f"required value is missing{why}", "required value is missing"))
        for issue in col.issues:
            if issue.kind != "type":
                _emit(problems, resource, issue)
        if constraints.get("unique"):
            codes = col.key_codes()
            repeats, firsts = _first_seen(codes, codes >= 0)
            _emit(problems, resource, _Issue(
                col.name, "unique", repeats,
                lambda i, raw=col.cells, first=_lookup(repeats, firsts):
                    f"value {_quote(raw[i])} is not unique, first seen on row {first(i) + 2}",
                "value is not unique"))

    _emit(problems, resource, _Issue(None, "blank", np.flatnonzero(blank),
                                     lambda i: "row is blank (every cell is missing)", "blank row"))

    if primary_key:
        parts = [by_name[k] for k in primary_key]
        key = np.zeros(n, dtype=np.int64)
        all_missing = np.ones(n, dtype=bool)
        for part in parts:
            codes = part.key_codes() + 1  # 0: missing or invalid, equal to itself
            all_missing &= codes == 0
            key = pd.factorize(key * (int(codes.max(initial=0)) + 1) + codes)[0].astype(np.int64)
        # Rows missing every part already have "required" problems; frictionless
        # compares partly missing keys, missing equal to missing, and so do we.
        repeats, firsts = _first_seen(key, ~all_missing)
        first = _lookup(repeats, firsts)

        def key_message(i: int) -> str:
            shown = ", ".join("" if p.missing[i] else str(p.cells[i]) for p in parts)
            return f"duplicate primary key ({shown}), first seen on row {first(i) + 2}"

        _emit(problems, resource, _Issue(None, "primaryKey", repeats, key_message,
                                         "duplicate primary key (" + ", ".join(primary_key) + ")"))

    typed = pd.DataFrame({col.name: col.typed for col in columns}, index=raw.index)
    return typed, problems


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# --------------------------------------------------------------------------
# Foreign keys


def check_foreign_keys(tables: dict[str, pd.DataFrame], schemas: dict[str, dict]) -> list[Problem]:
    """Rows whose foreign-key values are absent from the referenced table.

    ``tables`` are typed frames from ``check_table`` keyed by resource name,
    ``schemas`` the matching schemas; resources in ``schemas`` but not in
    ``tables`` are skipped.  A reference resource of "" means the table
    itself.  Rows whose key cells are all missing are skipped; for a
    multi-field key, a row with some parts missing must match a referenced row
    with the same parts missing (frictionless semantics).  A foreign key that
    refers to a resource or field that is not there is one Problem.
    Dangling rows are capped per foreign key like ``check_table``'s problems.
    """
    problems: list[Problem] = []
    for name, schema in schemas.items():
        if name in tables:
            for fk in schema.get("foreignKeys") or []:
                _check_foreign_key(name, fk, tables, problems)
    return problems


def _check_foreign_key(name: str, fk: dict, tables: dict[str, pd.DataFrame], problems: list[Problem]) -> None:
    fields = _as_list(fk.get("fields"))
    reference = fk.get("reference") or {}
    target = reference.get("resource") or name
    target_fields = _as_list(reference.get("fields"))
    label = ", ".join(fields)
    field = fields[0] if len(fields) == 1 else None
    if target not in tables:
        problems.append(Problem(name, None, field, f'foreign key ({label}) refers to resource "{target}", '
                                                   "which is not in the package or could not be read"))
        return
    table, other = tables[name], tables[target]
    unknown = [f for f in fields if f not in table.columns] + [
        f"{target}.{f}" for f in target_fields if f not in other.columns]
    if unknown or not fields or len(fields) != len(target_fields):
        why = f"unknown field(s) {_names(unknown)}" if unknown else "the two field lists differ in length"
        problems.append(Problem(name, None, field, f"foreign key ({label}) -> {target} ({', '.join(target_fields)}) "
                                                   f"cannot be checked: {why}"))
        return

    here = table[fields]
    all_missing = here.isna().all(axis=1).to_numpy()
    if len(fields) == 1:
        column = here[fields[0]]
        found = column.isin(other[target_fields[0]].dropna().unique()).to_numpy()
        where = f"{target}.{target_fields[0]}"

        def message(i: int) -> str:
            return f"value {_plain(column.iloc[i])} is not in {where}"
    else:
        found = _tuples_found(here, other[target_fields])
        where = f"{target} ({', '.join(target_fields)})"

        def message(i: int) -> str:
            shown = ", ".join("" if pd.isna(v) else _plain(v) for v in here.iloc[i])
            return f"values ({shown}) of ({label}) are not in {where}"

    dangling = np.flatnonzero(~found & ~all_missing)
    _emit(problems, name, _Issue(field, "foreignKey", dangling, message, f"value not in {where}"))


def _tuples_found(here: pd.DataFrame, there: pd.DataFrame) -> np.ndarray:
    """For each row of ``here``, whether the same tuple of values is a row of ``there`` (NA equals NA)."""
    n = len(here)
    key = np.zeros(n + len(there), dtype=np.int64)
    for a, b in zip(here.columns, there.columns):
        both = pd.concat([here[a].astype(object), there[b].astype(object)], ignore_index=True)
        codes = pd.factorize(both, use_na_sentinel=False)[0].astype(np.int64)
        key = pd.factorize(key * (int(codes.max(initial=0)) + 1) + codes)[0].astype(np.int64)
    return np.isin(key[:n], key[n:])
