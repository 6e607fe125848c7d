"""The built wheel is complete and installs cleanly on its own.

Builds the wheel, installs it (without dependencies) into a fresh virtual environment
whose only other import path is the dependency site-packages, and runs the installed
console script from a directory outside the source tree.
"""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    if proc.returncode != 0:
        pytest.fail(f"pip wheel failed:\n{proc.stdout}\n{proc.stderr}")
    [whl] = list(out.glob("aslcheck-*.whl"))
    return whl


def test_wheel_carries_grammars_schemas_and_rules_under_one_namespace(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top_level == {"analyzer"}, top_level  # no generic top-level "rules" or "grammars"
    for source_dir, installed in (("rules", "analyzer/rules"), ("grammars", "analyzer/grammars")):
        for f in (ROOT / source_dir).iterdir():
            if f.suffix in (".py", ".lark"):
                assert f"{installed}/{f.name}" in names, f.name
    for init in (ROOT / "analyzer").rglob("__init__.py"):
        package = init.parent.relative_to(ROOT).as_posix()
        assert f"{package}/__init__.py" in names, f"package {package} is missing from the wheel (pyproject packages)"
    for f in (ROOT / "analyzer" / "data").iterdir():
        if f.suffix in (".json", ".toml"):
            assert f"analyzer/data/{f.name}" in names, f.name


def test_installed_wheel_runs(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # Dependencies come from this interpreter's site-packages; .pth files there (such as a
    # development install of aslcheck itself) are not processed for a plain path entry.
    deps = [p for p in site.getsitepackages() if Path(p).is_dir()]
    Path(purelib, "_deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, text=True, timeout=300)
    cmd = [str(bindir / "aslcheck")]
    work = tmp_path / "elsewhere"
    work.mkdir()
    proc = subprocess.run(cmd + ["--version"], cwd=work, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "0." in proc.stdout, proc.stderr
    where = subprocess.run([str(py), "-c", "import analyzer, analyzer.rules; print(analyzer.__file__)"],
                           cwd=work, capture_output=True, text=True, timeout=60)
    assert str(ROOT) not in where.stdout and purelib in where.stdout, where.stdout + where.stderr
    sample = work / "bad.asl.json"
    sample.write_text(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}))
    proc = subprocess.run(cmd + ["lint", "--format", "json", str(sample)], cwd=work, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    rules = {f["rule"] for f in json.loads(proc.stdout)["findings"]}
    assert "ASL103" in rules
