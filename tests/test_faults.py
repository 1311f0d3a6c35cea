"""Faults while rendering: a kernel killed mid-run or before it is ready, a kept kernel dying during
its reset, two renders of one pair at once. Each is one line naming the brief and the stage, keeps the
failed notebook, costs no idle timeout, and leaves the earlier good brief as it was."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from pypdf import PdfReader

from briefkit.errors import NotebookError
from briefkit.render import render

pytestmark = pytest.mark.system

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "country_pair_brief.ipynb"


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def kernels(parent: psutil.Process) -> list[psutil.Process]:
    found = []
    for child in parent.children(recursive=True):
        try:
            if "briefkit.kernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return found


def wait_for(condition, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out")


@pytest.fixture
def good_build(pak_blr, tmp_path):
    target = tmp_path / "build" / "PAK-BLR"
    shutil.copytree(pak_blr.directory, target)
    return target


@pytest.fixture
def waiting_notebook(tmp_path):
    """The brief notebook with a cell, after the front matter, that says it started and then waits."""
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"].insert(3, {"cell_type": "code", "execution_count": None, "id": "wait", "metadata": {}, "outputs": [],
                           "source": 'open("started", "w").close()\nimport time\ntime.sleep(120)'})
    folder = tmp_path / "notebooks"
    folder.mkdir()
    path = folder / "brief.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def render_in_thread(**kw):
    outcome = {}

    def work():
        try:
            outcome["result"] = render("PAK", "BLR", **kw)
        except BaseException as exc:  # noqa: BLE001  handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=work)
    thread.start()
    return thread, outcome


def test_a_kernel_killed_mid_cell_is_one_line_and_keeps_the_failed_notebook(good_build, waiting_notebook):
    before = digests(good_build)
    thread, outcome = render_in_thread(output=good_build.parent, notebook=waiting_notebook)
    wait_for(lambda: (waiting_notebook.parent / "started").exists())
    started = time.monotonic()
    for kernel in kernels(psutil.Process()):
        kernel.kill()
    thread.join(60)
    assert time.monotonic() - started < 15  # no idle timeout
    error = outcome.get("error")
    assert isinstance(error, NotebookError), error
    message = str(error)
    assert "\n" not in message
    assert message.startswith("PAK-BLR: failed while running the notebook: the kernel died in cell 4 "
                              "(open(\"started\", \"w\").close()) (DeadKernelError)")
    failed = good_build / "PAK-BLR.failed.ipynb"
    assert f"the executed notebook is {failed}" in message
    assert error.exit_code == 1
    kept = json.loads(failed.read_text(encoding="utf-8"))
    waiting = kept["cells"][4]  # papermill's injected parameters cell comes before it
    assert waiting["id"] == "wait" and waiting["metadata"]["papermill"]["exception"] is True
    assert kept["cells"][3]["outputs"], "the cells that ran keep their outputs"
    assert {k: v for k, v in digests(good_build).items() if k in before} == before
    assert not [p for p in good_build.iterdir() if p.name.startswith(".partial-")]


def test_a_kernel_dying_before_it_is_ready_is_one_line(good_build, tmp_path):
    before = digests(good_build)
    thread, outcome = render_in_thread(output=good_build.parent)
    victim = wait_for(lambda: kernels(psutil.Process()))[0]
    victim.kill()
    thread.join(60)
    error = outcome.get("error")
    assert isinstance(error, NotebookError), error
    assert str(error).startswith("PAK-BLR: failed while starting the kernel (KernelDied)")
    assert (good_build / "PAK-BLR.failed.ipynb").exists()
    assert {k: v for k, v in digests(good_build).items() if k in before} == before


def test_the_command_prints_one_line_when_its_kernel_is_killed(good_build):
    before = digests(good_build)
    command = subprocess.Popen([sys.executable, "-m", "briefkit.cli", "render", "PAK", "BLR", "-o", str(good_build.parent)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim = wait_for(lambda: kernels(psutil.Process(command.pid)))[0]
    victim.kill()  # killed as soon as it exists: on a fast machine the whole brief is done within two seconds
    out, err = command.communicate(timeout=120)
    assert command.returncode == 1, err
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err
    assert lines[0].startswith("briefkit: error: PAK-BLR: failed while ")
    assert "the executed notebook is" in lines[0] and (good_build / "PAK-BLR.failed.ipynb").exists()
    assert {k: v for k, v in digests(good_build).items() if k in before} == before


def test_a_kept_kernel_dying_during_its_reset_is_noticed_at_once(monkeypatch):
    from briefkit import kernel as kernellib

    monkeypatch.setattr(kernellib, "RESET", "import time; time.sleep(60)")  # a reset that would hang
    with kernellib.Kernel(NOTEBOOK.parent) as kernel:
        threading.Timer(2.0, kernel.manager.provisioner.process.kill).start()
        started = time.monotonic()
        with pytest.raises(kernellib.KernelDied):
            kernel.reset()
        assert time.monotonic() - started < 8


def test_two_renders_of_one_pair_at_once_leave_a_complete_brief(tmp_path):
    command = [sys.executable, "-m", "briefkit.cli", "render", "PAK", "BLR", "-o", str(tmp_path)]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    for code, err in results:
        assert "Traceback" not in err
        assert code == 0 or (code == 1 and len(err.splitlines()) == 1), err
    assert any(code == 0 for code, _ in results)
    folder = tmp_path / "PAK-BLR"
    assert sorted(p.name for p in folder.iterdir()) == ["PAK-BLR.claims.json", "PAK-BLR.html", "PAK-BLR.ipynb",
                                                        "PAK-BLR.pdf"]
    assert len(PdfReader(folder / "PAK-BLR.pdf").pages) > 1
    assert (folder / "PAK-BLR.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    json.loads((folder / "PAK-BLR.ipynb").read_text(encoding="utf-8"))
