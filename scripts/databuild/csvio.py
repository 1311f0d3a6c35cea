"""Reading source CSV files as text and writing package CSV files deterministically.

Every cell is kept as text, so what a source wrote is what the builder sees; files are written
with LF line ends and, for .gz, a gzip header without time stamp or name, so two builds of the
same sources give byte-identical files.
"""
from __future__ import annotations

import gzip
import io
from decimal import Decimal
from pathlib import Path

import pandas as pd


def log(msg: str) -> None:
    print(msg, flush=True)


def read_str_csv(path: Path, **kw) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)


def plain_number(text: str) -> str:
    """Format a number with at most 6 significant digits, never in exponent notation."""
    if text == "":
        return ""
    s = "%.6g" % float(text)
    if "e" in s:
        s = format(Decimal(s), "f")
    if s == "-0":
        s = "0"
    return s


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def write_csv(df: pd.DataFrame, path: Path) -> None:
    path.write_bytes(to_csv_bytes(df))
    log(f"  wrote {path.name}: {len(df):,} rows, {path.stat().st_size:,} bytes")


def gzip_bytes(raw: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(raw)
    return out.getvalue()


def write_csv_gz(df: pd.DataFrame, path: Path) -> None:
    raw = to_csv_bytes(df)
    path.write_bytes(gzip_bytes(raw))
    log(f"  wrote {path.name}: {len(df):,} rows, {path.stat().st_size:,} bytes "
        f"({len(raw):,} bytes uncompressed)")


def check_unique(df: pd.DataFrame, key: list[str], what: str) -> None:
    dup = df.duplicated(key, keep=False)
    if dup.any():
        raise SystemExit(f"{what}: {int(dup.sum())} rows share a primary key {key}:\n"
                         + df[dup].head(10).to_string(index=False))
