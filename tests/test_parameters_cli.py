"""Names and parameters as a user passes them: briefkit countries and --version, papermill's notebook help,
relative data paths, bad values stopped before a kernel starts."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from briefkit.execute import NOTEBOOK, ROOT

pytestmark = pytest.mark.system


def briefkit(*args, cwd=None, env=None):
    return subprocess.run([sys.executable, "-m", "briefkit.cli", *args], capture_output=True, text=True,
                          cwd=cwd, env={**os.environ, **(env or {})})


def test_papermill_help_notebook_shows_type_default_and_help_of_each_parameter():
    papermill = Path(sys.executable).parent / "papermill"
    out = subprocess.run([str(papermill), "--help-notebook", str(NOTEBOOK)], capture_output=True, text=True,
                         check=True).stdout
    assert "Unknown type" not in out
    for line in ('country_a: str (default "PAK")', 'country_b: str (default "BLR")',
                 "data: Optional[str] (default None)", "as_of: Optional[str] (default None)",
                 "title: Optional[str] (default None)", "author: Optional[str] (default None)",
                 "edition date, YYYY-MM-DD", "data package folder"):
        assert line in out


@pytest.fixture
def elsewhere(tmp_path):
    """A working folder away from the project, holding the data package as `data`."""
    (tmp_path / "data").symlink_to(ROOT / "data", target_is_directory=True)
    return tmp_path


@pytest.mark.parametrize("how", ["--data data", "--data ./data", "BRIEFKIT_DATA=data"])
def test_relative_data_is_read_from_the_working_folder(elsewhere, how):
    name, _, value = how.partition("=") if "=" in how else ("", "", "")
    args = [] if name else how.split()
    done = briefkit("render", "PAK", "BLR", "--to", "html", "-o", "out", "--as-of", "2025-02-03", *args,
                    cwd=elsewhere, env={name: value} if name else None)
    assert done.returncode == 0, done.stderr
    page = (elsewhere / "out" / "PAK-BLR" / "PAK-BLR.html").read_text(encoding="utf-8")
    assert 'class="date">February 3, 2025<' in page
    executed = json.loads((elsewhere / "out" / "PAK-BLR" / "PAK-BLR.ipynb").read_text(encoding="utf-8"))
    assert executed["metadata"]["briefkit"]["parameters"]["as_of"] == "2025-02-03"


# The command line, with a spy that leaves a file behind if a kernel is started.
SPIED = """
import sys
from pathlib import Path
import briefkit.kernel as kernel
started = kernel.Kernel.__init__
def spy(self, *args, **kwargs):
    Path("kernel-started").touch()
    started(self, *args, **kwargs)
kernel.Kernel.__init__ = spy
from briefkit.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.mark.parametrize("args, message, code", [
    (["--data", "nodata"], "No data package at {cwd}/nodata", 2),
    (["--as-of", "2025-02-30"], 'as_of "2025-02-30" is not a date: write it as YYYY-MM-DD', 2),
    (["--notebook", "mine.ipynb"], "No notebook at {cwd}/mine.ipynb", 2),
])
def test_bad_parameters_stop_before_a_kernel_starts(elsewhere, args, message, code):
    done = subprocess.run([sys.executable, "-c", SPIED, "render", "PAK", "BLR", "-o", "out", *args],
                          capture_output=True, text=True, cwd=elsewhere)
    assert done.returncode == code
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"briefkit: error: {message.format(cwd=elsewhere)}")
    assert not (elsewhere / "kernel-started").exists()


def test_the_spy_sees_a_kernel_start(elsewhere):
    """The check above can fail: with good parameters the spy does see the kernel."""
    done = subprocess.run([sys.executable, "-c", SPIED, "render", "PAK", "BLR", "-o", "out", "--to", "html"],
                          capture_output=True, text=True, cwd=elsewhere)
    assert done.returncode == 0, done.stderr
    assert (elsewhere / "kernel-started").exists()


def test_countries_lists_names_and_codes_and_finds_everyday_names():
    everything = briefkit("countries")
    assert everything.returncode == 0
    lines = everything.stdout.splitlines()
    assert "BLR  Belarus" in lines and "PAK  Pakistan" in lines and len(lines) > 200
    assert briefkit("countries", "UAE").stdout.splitlines() == ["ARE  United Arab Emirates"]
    assert "BLR  Belarus" in briefkit("countries", "bela").stdout.splitlines()
    missing = briefkit("countries", "Atlantis")
    assert missing.returncode == 1 and missing.stderr.strip() == 'briefkit: no country matches "Atlantis"'


def test_version_names_the_release_and_commit():
    from importlib import metadata

    done = briefkit("--version")
    assert done.returncode == 0
    assert done.stdout.startswith(f"briefkit {metadata.version('briefkit')}")


def test_a_misspelt_country_is_answered_before_a_kernel_starts(elsewhere):
    done = subprocess.run([sys.executable, "-c", SPIED, "render", "Pakistan", "Belarusia", "-o", "out"],
                          capture_output=True, text=True, cwd=elsewhere)
    assert done.returncode == 2
    assert done.stderr.startswith('briefkit: error: Unknown country "Belarusia" (did you mean Belarus, BLR')
    assert not (elsewhere / "kernel-started").exists()
