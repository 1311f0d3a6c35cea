"""The brief notebook's parameter contract: names, types, checks. Checked before a kernel starts."""
from __future__ import annotations

import difflib
from dataclasses import asdict, dataclass

from .errors import ParameterError


@dataclass(frozen=True)
class Params:
    """What the notebook's `parameters` cell receives."""

    country_a: str        # ISO3, already resolved
    country_b: str
    data: str | None = None   # folder of the data package; None: the project's data/

    @property
    def pair(self) -> str:
        return f"{self.country_a}-{self.country_b}"

    def as_notebook(self) -> dict:
        return asdict(self)


NAMES = tuple(Params.__dataclass_fields__)


def check(package, country_a: str, country_b: str, **extra) -> Params:
    """Resolve both countries through the package and reject unknown parameters."""
    for name in extra:
        if name not in NAMES:
            close = difflib.get_close_matches(name, NAMES, n=1)
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            raise ParameterError(f'Unknown parameter "{name}"{hint}; the brief takes: {", ".join(NAMES)}')
    a, b = package.resolve(country_a), package.resolve(country_b)
    if a == b:
        raise ParameterError(f"A brief needs two different countries; both are {a}")
    data = extra.get("data") or str(package.directory)
    return Params(a, b, data)
