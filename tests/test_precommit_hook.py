"""The pre-commit hook definition: it installs our console script and passes it the right files."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def _hook() -> dict:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["aslcheck"]
    return hooks[0]


def test_the_hook_runs_the_installed_lint_command():
    hook = _hook()
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    command, subcommand = shlex.split(hook["entry"])
    assert command in scripts and subcommand == "lint"
    assert hook["language"] == "python"


def test_the_hook_selects_state_machine_files_and_nothing_else():
    files = re.compile(_hook()["files"])
    for name in ("statemachine/order.asl.json", "flow.asl.yaml", "flow.asl.yml", "template.yaml", "template.yml",
                 "infra/template.json", "serverless.yml", "serverless.prod.yml", "cdk.out/App.template.json"):
        assert files.search(name), name
    for name in ("package.json", "tsconfig.json", ".github/workflows/ci.yml", "docker-compose.yaml",
                 "not-a-template.yaml", "asl.json"):
        assert not files.search(name), name
