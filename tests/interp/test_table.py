"""Runs every case of :mod:`tests.interp.cases` (results worked out from asl-semantics.md)."""

from __future__ import annotations

import pytest

from analyzer.interp.interpreter import run
from tests.interp.cases import CASES


def _ids():
    seen = set()
    for case in CASES:
        assert case["id"] not in seen, f"duplicate case id {case['id']}"
        seen.add(case["id"])
    return [c["id"] for c in CASES]


def test_table_is_large_enough():
    assert len(CASES) >= 60
    assert all(c.get("section") for c in CASES)


@pytest.mark.parametrize("case", CASES, ids=_ids())
def test_case(case):
    result = run(case["definition"], case.get("input"), mocks=case.get("mocks"), context=case.get("context"),
                 seed=case.get("seed", 0), max_transitions=case.get("max_transitions", 25000),
                 test_case=case.get("test_case"), workflow_type=case.get("workflow_type", "STANDARD"))
    where = f"[{case['section']}] error={result.error} cause={result.cause}"
    assert result.status == case["status"], where
    if "output" in case:
        assert result.output == case["output"], where
    if "error" in case:
        assert result.error == case["error"], where
    if "cause_contains" in case:
        assert case["cause_contains"] in (result.cause or ""), where
    if "path" in case:
        assert result.path == case["path"], where
    if "elapsed" in case:
        assert result.elapsed_seconds == pytest.approx(case["elapsed"]), where
    if "check" in case:
        assert case["check"](result), where
