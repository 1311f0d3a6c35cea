"""A printed value and the rows behind it.

A Value is what a sentence states (a number, a date, a count) as printed, with everything a reviewer
or the checker needs to trace it: the footnote refs, and for numbers the measure, unit, year,
reporter and the primary keys of the data-package rows it was computed from.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .notes import Ref


@dataclass(frozen=True)
class Row:
    """A pointer to one row of a data-package table, by its primary key."""

    table: str
    key: tuple[tuple[str, object], ...]   # (("reporter", "PAK"), ("partner", "BLR"), ("year", 2020))
    source: str

    def as_dict(self) -> dict:
        return {"table": self.table, "source": self.source, **{k: v for k, v in self.key}}


@dataclass(frozen=True)
class Value:
    """A number or date as printed, with its footnote refs and the rows it comes from."""

    text: str
    refs: tuple[Ref, ...] = ()
    number: float | None = None
    unit: str = ""           # usd_million, percent, count, rank, date, ratio, tiv_million, ...
    measure: str = ""        # total, exports, imports, balance, share, rank, change, ...
    year: int | None = None
    reporter: str | None = None
    partner: str | None = None
    rows: tuple[Row, ...] = field(default=())

    def __str__(self) -> str:
        return self.text

    def as_record(self) -> dict:
        """The value as the claims ledger stores it."""
        first = self.rows[0] if self.rows else None
        return {
            "text": self.text,
            "number": None if self.number is None else round(float(self.number), 6),
            "unit": self.unit or None,
            "measure": self.measure or None,
            "year": self.year,
            "reporter": self.reporter,
            "partner": self.partner,
            "source": first.source if first else (self.refs[0].source if self.refs else None),
            "table": first.table if first else None,
            "rows": [r.as_dict() for r in self.rows],
        }


@dataclass(frozen=True)
class Pointer:
    """A reference to a numbered figure or table of the brief ("Figure 3"), numbered when the
    whole brief is laid out."""

    kind: str   # "figure" or "table"
    name: str
