"""Named checks a rule must pass before it may state a judgement as fact.

    checks = Checks(f)
    if checks("balance_agrees", 2020):      # both reporters' balances point the same way
        ...                                 # checks.passed == ("balance_agrees",)

Each guard is a function of the pair's Figures and its arguments, registered under a name; the
claim records the names it passed, so the ledger shows why a sentence was allowed.
"""
from __future__ import annotations

from typing import Callable

from ..errors import did_you_mean
from .settings import THRESHOLDS

GUARDS: dict[str, Callable[..., bool]] = {}


def guard(name: str):
    def register(func):
        GUARDS[name] = func
        return func
    return register


def get(name: str) -> Callable[..., bool]:
    if name not in GUARDS:
        hint = did_you_mean(name, list(GUARDS))
        raise KeyError(f'Unknown guard "{name}"{hint}; known: {", ".join(sorted(GUARDS))}')
    return GUARDS[name]


class Checks:
    """Runs guards on one pair and remembers which passed."""

    def __init__(self, figures):
        self.f = figures
        self.passed: list[str] = []

    def __call__(self, name: str, *args) -> bool:
        ok = bool(get(name)(self.f, *args))
        if ok and name not in self.passed:
            self.passed.append(name)
        return ok


def _signed(value: float | None) -> int | None:
    if value is None:
        return None
    return (value > 0) - (value < 0)


@guard("has_trade")
def has_trade(f, year: int) -> bool:
    """At least one reporter has a figure for the year."""
    return any(f.number(c, year) is not None for c in (f.a, f.b))


@guard("both_reporters")
def both_reporters(f, year: int) -> bool:
    """Both sides report a total for the year."""
    return all(f.number(c, year) is not None for c in (f.a, f.b))


@guard("not_negligible")
def not_negligible(f, reporter: str, year: int) -> bool:
    total = f.number(reporter, year)
    return total is not None and total >= THRESHOLDS["negligible_trade"]


@guard("balance_agrees")
def balance_agrees(f, year: int) -> bool:
    """Both reporters' records give the balance the same sign, each beyond 'roughly balanced'.

    The balance of A with B is A's exports minus A's imports by A's records, and B's imports minus
    B's exports by B's records (B's exports are A's imports)."""
    signs = set()
    for code in (f.a, f.b):
        total, balance = f.number(code, year), f.number(code, year, "balance")
        if total is None or balance is None or total < THRESHOLDS["negligible_trade"]:
            return False
        if abs(balance) < THRESHOLDS["balanced_share"] * total:
            return False
        favoured = code if balance > 0 else f.other(code)
        signs.add(favoured)
    return len(signs) == 1


@guard("direction_agrees")
def direction_agrees(f, start: int, end: int) -> bool:
    """Both reporters' totals moved the same way between two years, each by more than 'flat'."""
    moves = set()
    for code in (f.a, f.b):
        change = f.change(code, start, end)
        if change is None or abs(change.number) < THRESHOLDS["flat_change"]:
            return False
        moves.add(_signed(change.number))
    return len(moves) == 1


@guard("ranks_agree")
def ranks_agree(f, year: int) -> bool:
    """Shares and ranks are each side's own view of its trade: both must exist to compare them."""
    return all(f.rank(c, year) is not None and f.share(c, year) is not None for c in (f.a, f.b))


@guard("same_source")
def same_source(f, *values) -> bool:
    """Every value of a comparison comes from one source."""
    sources = {row.source for v in values for row in v.rows}
    return len(sources) == 1


@guard("valuation_fits")
def valuation_fits(f, gap: dict) -> bool:
    """CIF-against-FOB valuation can explain a gap only where the importer's figure is the higher."""
    return bool(gap["importer_higher"])


@guard("lopsided")
def lopsided(f, year: int) -> bool:
    """Both reporters' records show the same side selling at least `lopsided_ratio` times what it buys."""
    sellers = set()
    for code in (f.a, f.b):
        ex, im = f.number(code, year, "exports"), f.number(code, year, "imports")
        if ex is None or im is None or min(ex, im) < THRESHOLDS["negligible_trade"]:
            return False
        if max(ex, im) / min(ex, im) < THRESHOLDS["lopsided_ratio"]:
            return False
        sellers.add(code if ex > im else f.other(code))
    return len(sellers) == 1


@guard("below_peak")
def below_peak(f, reporter: str, since: int, year: int) -> bool:
    """The reporter's latest figure lies well below the peak of the window."""
    peak = f.peak(reporter, since)
    latest = f.number(reporter, year)
    if peak is None or latest is None or peak[0] == year:
        return False
    return latest < (1 - THRESHOLDS["below_peak"]) * peak[1]
