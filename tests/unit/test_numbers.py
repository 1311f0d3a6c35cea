"""Number formatting at its boundaries: the unit is chosen after rounding."""
import pytest

from briefkit.content import numbers


@pytest.mark.parametrize("value, printed", [
    (999.96, "US$1 billion"),
    (999.94, "US$999.9 million"),
    (1000, "US$1 billion"),
    (1234.5, "US$1.23 billion"),
    (50.2, "US$50.2 million"),
    (1.0, "US$1 million"),
    (0.9996, "US$1 million"),
    (0.9994, "US$999 thousand"),
    (0.35, "US$350 thousand"),
    (0.0015, "US$2 thousand"),
    (0.0004, "less than US$1 thousand"),
    (0, "less than US$1 thousand"),
    (-31.27, "US$31.3 million"),
])
def test_usd_million(value, printed):
    assert numbers.usd_million(value) == printed


@pytest.mark.parametrize("value, printed", [(12.34, "12%"), (9.96, "10%"), (9.94, "9.9%"), (0.43, "0.4%"),
                                            (0.04, "less than 0.1%"), (-25.2, "25%")])
def test_percent(value, printed):
    assert numbers.percent(value) == printed


@pytest.mark.parametrize("n, printed", [(0, "zero"), (2, "two"), (10, "ten"), (11, "11"), (1500, "1,500")])
def test_small_numbers_are_spelled(n, printed):
    assert numbers.spelled(n) == printed


def test_counted_and_listed():
    assert numbers.counted(1, "forum", "forums") == "one forum"
    assert numbers.counted(3, "forum", "forums") == "three forums"
    assert numbers.listed(["a", "b", "c"]) == "a, b and c"
    assert numbers.listed(["a", "b"], "or") == "a or b"


@pytest.mark.parametrize("n, printed", [(1, "1st"), (2, "2nd"), (3, "3rd"), (11, "11th"), (12, "12th"),
                                        (13, "13th"), (21, "21st"), (111, "111th")])
def test_ordinal(n, printed):
    assert numbers.ordinal(n) == printed


@pytest.mark.parametrize("text, printed", [("1994-02-03", "February 3, 1994"), ("2014-07", "July 2014"), ("2015", "2015")])
def test_event_date(text, printed):
    assert numbers.event_date(text) == printed
