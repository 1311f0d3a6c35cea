"""The briefkit command as a user runs it: a real process, real exit codes, one-line errors."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefkit.errors import NotebookError
from briefkit.render import render
from conftest import FIXTURES


def briefkit(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "briefkit.cli", *args], capture_output=True, text=True, cwd=cwd)


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def good_build(pak_blr, tmp_path):
    """A copy of a good PAK-BLR brief in a fresh output folder."""
    target = tmp_path / "build" / "PAK-BLR"
    shutil.copytree(pak_blr.directory, target)
    return target


def test_render_help_explains_formats_output_data_and_parameters():
    out = briefkit("render", "--help").stdout
    for words in ("--to", "html,pdf", "--output", "--data", "--as-of", "--notebook", "country_a, country_b, data", "Pakistan"):
        assert words in out


def test_unknown_country_is_one_line_with_suggestions_and_exit_code_2(good_build):
    before = digests(good_build)
    result = briefkit("render", "Pakistan", "Belarusia", "--output", str(good_build.parent))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        'briefkit: error: Unknown country "Belarusia" (did you mean Belarus, BLR or Bulgaria, BGR?)']
    assert "Traceback" not in result.stderr
    assert digests(good_build) == before


def test_unwritable_output_folder_is_named(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = briefkit("render", "PAK", "BLR", "--to", "html", "--output", str(blocker))
    assert result.returncode == 1
    assert result.stderr.startswith(f"briefkit: error: Cannot write to {blocker}/PAK-BLR")
    assert "--output" in result.stderr


def test_failing_cell_keeps_the_notebook_and_the_earlier_good_brief(good_build):
    before = digests(good_build)
    with pytest.raises(NotebookError) as info:
        render("PAK", "BLR", output=good_build.parent, notebook=FIXTURES / "failing_brief.ipynb")
    message = str(info.value)
    assert "failing_brief.ipynb: cell" in message
    assert 'brief.section("nowhere")' in message
    assert '"nowhere" is not a brief section' in message
    failed = good_build / "PAK-BLR.failed.ipynb"
    assert str(failed) in message
    import nbformat

    nb = nbformat.read(failed, as_version=4)
    errors = [c for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert len(errors) == 1 and 'brief.section("nowhere")' in errors[0].source
    assert any("An Exception was encountered" in c.source for c in nb.cells if c.cell_type == "markdown")
    made = nb.metadata["briefkit"]  # how it was made, as for a brief that rendered
    assert made["parameters"]["country_b"] == "BLR" and len(made["data_digest"]) == 64
    assert digests(good_build) == before | {"PAK-BLR.failed.ipynb": digests(good_build)["PAK-BLR.failed.ipynb"]}
    assert not [p for p in good_build.iterdir() if p.name.startswith(".partial-")]


def test_names_work_like_codes_and_print_the_files(tmp_path):
    result = briefkit("render", "Pakistan", "Belarus", "--to", "html", "--output", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"html   {tmp_path}/PAK-BLR/PAK-BLR.html" in result.stdout
    assert (tmp_path / "PAK-BLR" / "PAK-BLR.ipynb").exists()
    assert not (tmp_path / "PAK-BLR" / "PAK-BLR.pdf").exists()


def test_nbconvert_finds_the_briefkit_exporters(pak_blr, tmp_path):
    jupyter = Path(sys.executable).with_name("jupyter")
    result = subprocess.run([str(jupyter), "nbconvert", "--to", "briefkit_pdf", "--output-dir", str(tmp_path),
                             str(pak_blr.files["ipynb"])], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "PAK-BLR.pdf").read_bytes().startswith(b"%PDF-")


def test_missing_font_is_named_with_the_package_to_install(good_build, tmp_path):
    before = digests(good_build)
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir></fontconfig>')
    import os

    env = dict(os.environ, FONTCONFIG_FILE=str(empty))
    result = subprocess.run([sys.executable, "-m", "briefkit.cli", "render", "PAK", "BLR", "--output",
                             str(good_build.parent)], capture_output=True, text=True, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("briefkit: error: Font Noto Serif, Noto Sans, Noto Naskh Arabic, Noto Serif CJK SC "
                                    "is not installed")
    assert "sudo apt-get install fonts-noto-cjk fonts-noto-core" in result.stderr
    assert "Traceback" not in result.stderr
    assert digests(good_build) == before
