"""The data package's files as an import sees them: resources by name, their text (decompressed,
read once), their schemas, the countries a row may use and the years the trade schema allows.

Reading works on text, not typed tables: an import rewrites only the rows of its own source and
leaves every other row byte for byte as it was (`records` keeps each row's exact text).
"""
from __future__ import annotations

import csv
import gzip
import io
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd

from ..errors import DataPackageError
from ..tableschema import TableError, load_schema
from .records import Countries


@dataclass
class PackageFiles:
    directory: Path
    resources: dict[str, dict]
    _texts: dict[str, str] = field(default_factory=dict)

    NEEDED = ("sources", "countries", "trade", "trade_products", "trade_totals")

    @classmethod
    def open(cls, location: str | os.PathLike | None) -> "PackageFiles":
        if location is None:
            from ..datapackage import default_location
            location = default_location()
        path = Path(location)
        if path.is_dir():
            path = path / "datapackage.json"
        if not path.exists():
            raise DataPackageError(f"No data package at {path}: pass the folder holding datapackage.json")
        try:
            descriptor = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataPackageError(f"{path} is not a readable datapackage.json: {exc}") from None
        resources = {r.get("name"): r for r in descriptor.get("resources", [])}
        missing = [n for n in cls.NEEDED if n not in resources]
        if missing:
            raise DataPackageError(
                f"The data package {path.parent} has no {', '.join(missing)} resource: a trade import "
                f"needs {', '.join(cls.NEEDED)}")
        return cls(path.parent, resources)

    def path(self, name: str) -> Path:
        return self.directory / self.resources[name]["path"]

    def schema(self, name: str) -> dict:
        try:
            return load_schema(self.directory, self.resources[name])
        except TableError as exc:
            raise DataPackageError(str(exc.problem)) from None

    def compressed(self, name: str) -> bool:
        return self.resources[name].get("compression") in ("gz", "gzip") or self.path(name).suffix == ".gz"

    def encoding(self, name: str) -> str:
        return self.resources[name].get("encoding") or "utf-8"

    def text(self, name: str) -> str:
        """The resource file's text (decompressed), read once."""
        if name not in self._texts:
            path = self.path(name)
            try:
                data = path.read_bytes()
                if self.compressed(name):
                    data = gzip.decompress(data)
                self._texts[name] = data.decode(self.encoding(name))
            except (OSError, EOFError, ValueError, zlib.error) as exc:
                raise DataPackageError(f"{path} cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
        return self._texts[name]

    def frame(self, name: str, columns: list[str]) -> pd.DataFrame:
        frame = pd.read_csv(io.StringIO(self.text(name)), dtype=str, keep_default_na=False, index_col=False)
        if list(frame.columns) != columns:
            raise DataPackageError(
                f"{self.path(name)} has columns {', '.join(frame.columns)}; expected {', '.join(columns)}")
        return frame.astype(object)

    def countries(self) -> Countries:
        rows = list(csv.DictReader(io.StringIO(self.text("countries"), newline="")))
        m49 = {int(r["m49"]): r["iso3"] for r in rows if (r.get("m49") or "").isdigit()}
        return Countries({r["iso3"] for r in rows}, m49)

    def year_range(self) -> tuple[int, int]:
        fields = {f["name"]: f for f in self.schema("trade")["fields"]}
        limits = fields.get("year", {}).get("constraints", {})
        return int(limits.get("minimum", 1900)), int(limits.get("maximum", 2100))


def records(text: str) -> list[tuple[list[str], str]]:
    """CSV records with the exact text each came from, so untouched rows are written back as they were."""
    lines = io.StringIO(text, newline="")
    consumed: list[str] = []

    def feed() -> Iterable[str]:
        for line in lines:
            consumed.append(line)
            yield line

    out = []
    for cells in csv.reader(feed()):
        out.append((cells, "".join(consumed)))
        consumed.clear()
    return out


def csv_text(frame: pd.DataFrame) -> str:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def gzip_bytes(data: bytes) -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
        gz.write(data)
    return out.getvalue()
