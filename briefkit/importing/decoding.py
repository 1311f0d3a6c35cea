"""Turning a trade file's bytes into rows of text cells: gzip, encodings, delimiters, ragged rows.

Files may be UTF-8 (with or without a byte-order mark), Windows-1252 or Latin-1 (tried in that
order), UTF-16 with a byte-order mark, gzip-compressed, comma-, tab- or semicolon-separated, with
LF or CRLF line ends, and with a trailing delimiter on the header and/or the rows (Comtrade Plus
writes one on every row). Zip archives, binary files and empty files are refused with a message.
"""
from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

from .layouts import clean_header
from .results import NoSuchTradeFile, RowProblem, UnreadableTradeFile


def load_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise NoSuchTradeFile(f"No such file: {path}") from None
    except IsADirectoryError:
        raise NoSuchTradeFile(f"{path} is a folder; give the trade file itself") from None
    except OSError as exc:
        raise UnreadableTradeFile(f"{path} cannot be read: {exc.strerror or exc}") from None


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding) of a trade file; UnreadableTradeFile when it is not text."""
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, ValueError, zlib.error) as exc:
            raise UnreadableTradeFile(f"{name} looks gzip-compressed but cannot be decompressed: {exc}") from None
    if data[:4] == b"PK\x03\x04":
        raise UnreadableTradeFile(f"{name} is a zip archive: unzip it and import the CSV inside")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise UnreadableTradeFile(f"{name} starts like UTF-16 text but is not: {exc}") from None
    if b"\x00" in data[:1 << 16]:
        raise UnreadableTradeFile(
            f"{name} is a binary file (it contains NUL bytes), not a CSV text file: "
            "export or download the data as CSV")
    if not data.strip():
        raise UnreadableTradeFile(f"{name} is empty")
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    # latin-1 decodes any byte; text that is not text shows up as control characters.
    controls = re.findall(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text)
    if len(controls) > max(3, len(text) // 1000):
        line = text.count("\n", 0, re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", text).start()) + 1
        raise UnreadableTradeFile(
            f"{name} does not read as text in UTF-8, Windows-1252 or Latin-1: {len(controls):,} "
            f"control characters (the first on line {line}). Save it as UTF-8 CSV and try again")
    return text, ("utf-8" if encoding == "utf-8-sig" else encoding)


def delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max([",", "\t", ";"], key=first.count)


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, list[str]]]   # (line number, cells), blank lines dropped
    problems: list[RowProblem]
    encoding: str


def parse(text: str, encoding: str, name: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    try:
        header = clean_header(next(reader, []))
        if not any(header):
            raise UnreadableTradeFile(f"{name} has no header row")
        width = len(header)
        rows, problems, line = [], [], reader.line_num
        for cells in reader:
            start = line + 1
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # blank line (the bulk file ends with two)
            if len(cells) > width and not any(c.strip() for c in cells[width:]):
                cells = cells[:width]  # trailing delimiter(s)
            if len(cells) != width:
                problems.append(RowProblem(start, f"has {len(cells)} cells but the header has {width}"))
                continue
            rows.append((start, cells))
    except csv.Error as exc:
        raise UnreadableTradeFile(f"{name} is not a readable CSV file (near line {reader.line_num}): {exc}") from None
    return Table(header, rows, problems, encoding)

