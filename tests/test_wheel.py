"""The package as users install it: a wheel built from the tree, installed into a fresh virtual
environment, scanning the sample corpus from another folder (so the bundled catalogue and default
configuration must come from the installed package, not from the checkout)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from syndet.detector import Detector

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
                   check=True, capture_output=True, text=True)
    (built,) = out.glob("syndet-*.whl")
    return built


def test_wheel_holds_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"syndet/data/evidence.yaml", "syndet/data/default.yaml", "syndet/py.typed",
            "syndet/__main__.py", "syndet/read/html.py", "syndet/store/redis.py"} <= names
    assert not any(n.startswith(("tests/", "benchmarks/", "examples/")) for n in names)


@pytest.mark.slow
def test_installed_wheel_scans_from_another_folder(wheel: Path, tmp_path: Path, geneva: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # The dependencies are taken from this environment (a path file), so that the test needs no
    # download; syndet itself comes only from the wheel (path files in that folder are not read).
    purelib = Path(sysconfig.get_paths()["purelib"])
    new_site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                   check=True, capture_output=True, text=True).stdout.strip())
    (new_site / "deps-from-test-env.pth").write_text(f"{purelib}\n", encoding="utf-8")
    install = subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", "--quiet",
                              "--disable-pip-version-check", str(wheel)], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr
    check = subprocess.run([str(python), "-m", "pip", "check", "--disable-pip-version-check"],
                           capture_output=True, text=True)
    assert "syndet" not in check.stdout, check.stdout  # every requirement of the wheel is met
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = subprocess.run([str(python), "-c", "import syndet; print(syndet.__file__)"], capture_output=True,
                           text=True, cwd=tmp_path, env=env, check=True).stdout.strip()
    assert where.startswith(str(new_site)), where
    scan = subprocess.run([str(venv / "bin" / "syndet"), "scan", str(geneva), "--format", "json", "-q"],
                          capture_output=True, text=True, cwd=tmp_path, env=env)
    assert scan.returncode == 0, scan.stderr
    installed = json.loads(scan.stdout)
    here = Detector().scan_paths([geneva])
    assert [p["id"] for p in installed["passages"]] == [p.id for p in here.passages]
    assert {p["attribution"]["origin"] for p in installed["passages"]} >= {"AP"}
    module = subprocess.run([str(python), "-m", "syndet", "config", "default"], capture_output=True, text=True,
                            cwd=tmp_path, env=env)
    assert module.returncode == 0 and module.stdout == (ROOT / "syndet" / "data" / "default.yaml").read_text(
        encoding="utf-8")
