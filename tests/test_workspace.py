"""briefkit new (a prose file and a notebook of the analyst's own), render --notebook, and briefkit lab."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest

from briefkit.content.placeholders import SECTIONS, parse_prose
from briefkit.datapackage import open_package
from briefkit.execute import NOTEBOOK, ROOT
from briefkit.prose_check import check_text
from briefkit.workspace import lab_command

pytestmark = pytest.mark.system


def briefkit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "briefkit.cli", *args], capture_output=True, text=True, cwd=cwd)


@pytest.fixture
def package_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target


def test_new_writes_every_heading_and_examples_that_check_clean_and_registers_the_pair(package_copy, tmp_path):
    done = briefkit("new", "Pakistan", "China", "--data", "data", "--notebook", "mine.ipynb", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    prose = package_copy / "prose" / "PAK-CHN.md"
    assert done.stdout.splitlines() == [f"wrote {prose}", f"wrote {package_copy / 'briefs.csv'}",
                                        f"wrote {tmp_path / 'mine.ipynb'}"]
    text = prose.read_text(encoding="utf-8")
    assert tuple(parse_prose(text)) == SECTIONS
    comment = re.search(r"<!--(.*?)-->", text, re.S).group(1)
    examples = re.findall(r"^  (\S.*?)  +\S", comment, re.M)
    kinds = [re.match(r"\{\{ (\w+)|\[@", e).group(1) or "source" for e in examples]
    assert kinds == ["source", "event", "anniversary", "statement", "trade", "figure", "table"]
    row = (package_copy / "briefs.csv").read_text(encoding="utf-8").splitlines()[-1]
    assert row.startswith("PAK-CHN,PAK,CHN,Pakistan-China Relations: An Assessment,Country Desk,")
    assert row.endswith(",issi,prose/PAK-CHN.md")
    assert (tmp_path / "mine.ipynb").read_bytes() == NOTEBOOK.read_bytes()
    report = open_package(package_copy).validate()
    assert report.valid, str(report)


def test_the_examples_of_a_pair_with_rows_are_its_own_and_check_clean(package_copy, tmp_path):
    (package_copy / "prose" / "PAK-BLR.md").rename(tmp_path / "kept.md")  # the pair's row stays in briefs.csv
    before = (package_copy / "briefs.csv").read_bytes()
    done = briefkit("new", "PAK", "BLR", "--data", str(package_copy))
    assert done.returncode == 0, done.stderr
    assert (package_copy / "briefs.csv").read_bytes() == before  # already listed: not rewritten
    comment = re.search(r"<!--(.*?)-->", (package_copy / "prose" / "PAK-BLR.md").read_text(), re.S).group(1)
    examples = re.findall(r"^  (\S.*?)  +\S", comment, re.M)
    assert "{{ event:pak-blr-recognition }}" in examples
    package = open_package(package_copy)
    ids = {name: set(package.table(name)["id"]) for name in ("events", "statements", "sources")}
    sides = {name: {i: {a, b} for i, a, b in package.table(name)[["id", "country_a", "country_b"]].itertuples(index=False)}
             for name in ("events", "statements")}
    body = "\n\n".join(examples)
    assert check_text(body, "x.md", {"PAK", "BLR"}, ids, sides) == []


def test_new_never_overwrites(package_copy, tmp_path):
    prose = package_copy / "prose" / "PAK-BLR.md"
    before = prose.read_bytes(), (package_copy / "briefs.csv").read_bytes()
    done = briefkit("new", "PAK", "BLR", "--data", str(package_copy), "--notebook", str(tmp_path / "m.ipynb"))
    assert done.returncode == 2
    assert done.stderr.strip() == (f"briefkit: error: {prose} already exists: edit it, or move it away to start "
                                   f"again (briefkit new never overwrites)")
    assert (prose.read_bytes(), (package_copy / "briefs.csv").read_bytes()) == before
    assert not (tmp_path / "m.ipynb").exists()


def test_render_uses_the_analysts_notebook(tmp_path):
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if "".join(c["source"]) != 'brief.section("next")']
    nb["cells"].insert(3, {"cell_type": "markdown", "metadata": {}, "source": ["An analyst's own note."]})
    (tmp_path / "mine.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    done = briefkit("render", "--notebook", "mine.ipynb", "PAK", "BLR", "--to", "html", "-o", "out", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "out" / "PAK-BLR" / "PAK-BLR.html").read_text(encoding="utf-8")
    assert "An analyst&#39;s own note." in page or "An analyst's own note." in page
    assert "What Next?" not in page and "Conclusion:" in page


def test_lab_command_roots_jupyter_at_the_project_with_the_notebook():
    command = lab_command()
    assert command[1:3] == ["lab", f"--ServerApp.root_dir={ROOT}"]
    assert command[-1] == str(NOTEBOOK)
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert os.access(command[0], os.X_OK)


def test_briefkit_lab_serves_the_project_root_as_root_or_not(tmp_path):
    """A real JupyterLab, started by the command the README gives, from another folder: data/prose/
    is in its file browser."""
    import socket
    import time
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(tmp_path / "lab.log", "w+")
    lab = subprocess.Popen([sys.executable, "-m", "briefkit.cli", "lab", "--no-browser", f"--port={port}",
                            "--ServerApp.ip=127.0.0.1", "--ServerApp.token=briefkit-test"],
                           cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        listing = None
        deadline = time.monotonic() + 90
        while listing is None and time.monotonic() < deadline and lab.poll() is None:
            time.sleep(0.5)
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents/data/prose?token=briefkit-test") as r:
                    listing = json.load(r)
            except OSError:
                continue
        log.seek(0)
        assert listing is not None, log.read()
        assert "PAK-BLR.md" in [c["name"] for c in listing["content"]]
    finally:
        lab.terminate()
        lab.wait(timeout=30)
