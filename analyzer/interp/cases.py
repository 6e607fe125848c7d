"""Test cases for a workflow: an input, Task mocks and what the execution must do.

A case is the JSON object ``aslcheck tests --out`` writes, and the one a user writes by hand
to pin a workflow's behaviour down in CI::

    {"name": "declined card",
     "input": {"amount": 12},
     "mocks": {"Charge": [{"Throw": {"Error": "Payment.Declined", "Cause": "card"}}]},
     "context": {"Execution": {"StartTime": "2024-05-01T00:00:00Z"}},
     "expect": {"status": "FAILED", "error": "Payment.Declined",
                "path": ["Charge", "Notify"], "output": null}}

Every key of ``expect`` is optional; only the ones given are checked (``status``,
``error``, ``cause``, ``path``, ``output``). Outputs are compared as JSON values: ``1`` and
``1.0`` are the same number, ``true`` is never ``1``, key order does not matter.
:func:`check_case` is the whole check, usable from any test framework.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

EXPECTED_KEYS = ("status", "error", "cause", "path", "output")
CASE_KEYS = {"name", "input", "mocks", "context", "expect", "covers", "comment", "Comment", "seed",
             "max_transitions"}


class CaseError(ValueError):
    """The case itself is malformed (not a failure of the workflow)."""


@dataclass
class CaseResult:
    name: str
    passed: bool
    status: str | None = None
    error: str | None = None
    path: list = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)  # one sentence per expectation not met
    seconds: float = 0.0
    #: top-level states entered and Choice rules / Defaults / Catches taken by the run
    covered: list[tuple] = field(default_factory=list)


def same_json(a: Any, b: Any) -> bool:
    """Equality of JSON values: numbers by value, booleans never equal to numbers."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def first_difference(expected: Any, got: Any, pointer: str = "") -> tuple[str, str]:
    """Where two JSON values first differ (a JSON Pointer) and how, for a readable failure."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in expected:
            if key not in got:
                return pointer + "/" + _escape(key), f"missing (expected {_short(expected[key])})"
            if not same_json(expected[key], got[key]):
                return first_difference(expected[key], got[key], pointer + "/" + _escape(key))
        extra = next(k for k in got if k not in expected)
        return pointer + "/" + _escape(extra), f"not expected (got {_short(got[extra])})"
    if isinstance(expected, list) and isinstance(got, list):
        for i, (x, y) in enumerate(zip(expected, got)):
            if not same_json(x, y):
                return first_difference(x, y, f"{pointer}/{i}")
        return pointer, f"expected {len(expected)} items, got {len(got)}"
    return pointer, f"expected {_short(expected)}, got {_short(got)}"


def validate_case(case: Any) -> None:
    """Raise :class:`CaseError` when ``case`` is not a test case."""
    if not isinstance(case, dict):
        raise CaseError(f"a test case is a JSON object, not {type(case).__name__}")
    unknown = sorted(set(case) - CASE_KEYS)
    if unknown:
        raise CaseError(f"unknown key(s) {', '.join(unknown)}; a case has " + ", ".join(sorted(CASE_KEYS)))
    expect = case.get("expect", {})
    if not isinstance(expect, dict):
        raise CaseError("expect must be an object")
    unknown = sorted(set(expect) - set(EXPECTED_KEYS))
    if unknown:
        raise CaseError(f"unknown expectation(s) {', '.join(unknown)}; expect can hold " + ", ".join(EXPECTED_KEYS))
    if not expect:
        raise CaseError("expect is empty: say at least the status the execution must end with")
    if "path" in expect and not (isinstance(expect["path"], list) and all(isinstance(p, str) for p in expect["path"])):
        raise CaseError("expect.path must be a list of state names")
    for key in ("mocks", "context"):
        if key in case and not isinstance(case[key], dict):
            raise CaseError(f"{key} must be an object")


def check_case(definition: Any, case: dict, name: str = "case", workflow_type: str | None = None) -> CaseResult:
    """Run ``case`` on ``definition`` (a dict, JSON text or a built machine) and compare."""
    import time

    from analyzer.interp.interpreter import run

    validate_case(case)
    name = str(case.get("name") or name)
    started = time.perf_counter()
    options: dict[str, Any] = {}
    if workflow_type:
        options["workflow_type"] = workflow_type
    if isinstance(case.get("max_transitions"), int):
        options["max_transitions"] = case["max_transitions"]
    from analyzer.interp.mocks import MockError, from_value

    try:
        mocks = from_value(case.get("mocks") or {})
    except MockError as exc:
        raise CaseError(f"mocks: {exc}") from None
    result = run(definition, case.get("input", {}), mocks=mocks, context=case.get("context"),
                 seed=case["seed"] if isinstance(case.get("seed"), int) else 0, history=False, **options)
    seconds = time.perf_counter() - started
    expect = case["expect"]
    mismatches = []
    if str(result.error or "").startswith("aslcheck."):
        mismatches.append(f"the run stopped: {result.error}: {result.cause}")
    for key in EXPECTED_KEYS:
        if key not in expect:
            continue
        got = getattr(result, key)
        want = expect[key]
        if key == "output":
            if not same_json(want, got):
                where, how = first_difference(want, got)
                mismatches.append(f"output{' at ' + where if where else ''}: {how}")
        elif key == "path":
            if list(got) != want:
                mismatches.append(f"path: expected {' > '.join(want) or '(none)'}, got {' > '.join(got) or '(none)'}")
        elif not same_json(want, got):
            mismatches.append(f"{key}: expected {_short(want)}, got {_short(got)}")
    covered = [("state", n) for n in dict.fromkeys(result.path)] + list(dict.fromkeys(result.branches))
    return CaseResult(name, not mismatches, result.status, result.error, list(result.path), mismatches, seconds,
                      covered)


def _escape(key: str) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def _short(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."
