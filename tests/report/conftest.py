"""Fixtures of the reporter tests (helpers live in report_helpers.py)."""

from __future__ import annotations

import pytest
from report_helpers import FIXTURES, lint_fixtures


@pytest.fixture
def in_fixtures(monkeypatch):
    monkeypatch.chdir(FIXTURES)
    return FIXTURES


@pytest.fixture
def fixture_report(in_fixtures):
    return lint_fixtures()
