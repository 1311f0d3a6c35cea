"""The notebook's parameter contract: typed and documented in the notebook, checked before a kernel starts."""
import datetime as dt
from pathlib import Path

import pytest

from briefkit import params
from briefkit.datapackage import open_package
from briefkit.errors import ParameterError
from briefkit.execute import NOTEBOOK


@pytest.fixture(scope="module")
def package():
    return open_package()


def test_the_notebook_declares_each_parameter_with_a_type_and_help():
    from papermill.inspection import _infer_parameters
    from papermill.iorw import load_notebook_node

    found = _infer_parameters(load_notebook_node(str(NOTEBOOK)))
    assert tuple(p.name for p in found) == params.NAMES
    for p in found:
        assert p.inferred_type_name in ("str", "Optional[str]"), p
        assert len(p.help) > 10, p


def test_dates_are_checked_to_one_line(package):
    assert params.check(package, "PAK", "BLR", as_of="2024-02-02").as_of == "2024-02-02"
    assert params.check(package, "PAK", "BLR", as_of=dt.date(2024, 2, 2)).as_of == "2024-02-02"
    with pytest.raises(ParameterError, match=r'^as_of "2024-13-40" is not a date: write it as YYYY-MM-DD'):
        params.check(package, "PAK", "BLR", as_of="2024-13-40")


def test_title_and_author_are_passed_only_when_given(package):
    plain = params.check(package, "PAK", "BLR")
    assert set(plain.as_notebook()) == {"country_a", "country_b", "data"}
    given = params.check(package, "PAK", "BLR", title="  A   Title ", author="An Analyst")
    assert given.as_notebook()["title"] == "A Title" and given.as_notebook()["author"] == "An Analyst"
    with pytest.raises(ParameterError, match="title is empty"):
        params.check(package, "PAK", "BLR", title=" ")


def test_relative_data_is_made_absolute_from_the_working_folder(package, monkeypatch):
    root = Path(package.directory).parent
    monkeypatch.chdir(root)
    relative = open_package("./data")
    assert relative.directory == root / "data" and relative.directory.is_absolute()
    assert params.check(relative, "PAK", "BLR").data == str(root / "data")
    monkeypatch.setenv("BRIEFKIT_DATA", "data")
    assert open_package().directory == root / "data"


def test_an_unknown_parameter_is_named_with_a_suggestion(package):
    with pytest.raises(ParameterError, match=r'Unknown parameter "asof" \(did you mean "as_of"\?\)'):
        params.check(package, "PAK", "BLR", asof="2024-01-01")
