"""Shared test helpers: paths to the shared corpus and a one-call lint."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# The property tests draw the same examples on every run (CI included), so a suite that passed
# here passes there; `HYPOTHESIS_PROFILE=explore pytest tests/symbolic` draws fresh random ones
# to hunt for new counterexamples.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("ASLCHECK_SHARED", ROOT.parent / "shared"))
CORPUS = SHARED / "corpus"


def require_shared() -> None:
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not available next to the checkout")


@pytest.fixture
def shared_corpus() -> Path:
    require_shared()
    return CORPUS


def lint_value(value, select=None, workflow_type=None, filename="def.asl.json", **settings_kwargs):
    """Lint a definition given as a Python value (serialised as JSON); returns the report."""
    from analyzer.engine.runner import Linter, LintReport
    from analyzer.engine.settings import Settings

    text = value if isinstance(value, str) else json.dumps(value, indent=2)
    settings = Settings(select=list(select or []), workflow_type=workflow_type, **settings_kwargs)
    report = LintReport()
    Linter(settings).lint_text(text, filename, report)
    return report
