"""Validation never crashes: any JSON value in any place becomes findings, not tracebacks."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings

BASE = {
    "StartAt": "T",
    "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"a.$": "$.x"},
              "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
              "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "ResultPath": "$.e"}], "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.a", "IsPresent": True}], "Next": "M"}],
              "Default": "W"},
        "W": {"Type": "Wait", "Timestamp": "2024-01-01T00:00:00Z", "Next": "M"},
        "M": {"Type": "Map", "ItemsPath": "$.items", "ItemProcessor": {
            "StartAt": "J", "States": {"J": {"Type": "Pass", "QueryLanguage": "JSONata", "Output": "{% 1 %}",
                                             "End": True}}}, "Next": "P"},
        "P": {"Type": "Parallel", "Branches": [{"StartAt": "S", "States": {"S": {"Type": "Succeed"}}}], "End": True},
        "F": {"Type": "Fail", "ErrorPath": "States.Format('{}', $.e)"},
    },
}

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                     st.sampled_from(["", "$", "$$", "$.a[", "{% 1 + %}", "{%", "States.Format(", "States.UUID()",
                                      "arn:aws:states:::x:y.sync", "${X}", "2024-13-01T00:00:00Z", "States.ALL"]),
                     st.text(max_size=12))
_values = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                          st.dictionaries(st.text(max_size=6), inner, max_size=3)),
                       max_leaves=6)


def _places(value, path=()):
    yield path
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _places(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _places(v, path + (i,))


PLACES = [p for p in _places(BASE) if p]
LINTERS = [Linter(Settings(select=["ASL1"])), Linter(Settings(select=["ASL1"], workflow_type="EXPRESS"))]
# One lint before Hypothesis starts: the loader raises the recursion limit on first use,
# which Hypothesis would otherwise report as a change made during the test.
LINTERS[0].lint_text(json.dumps(BASE), "warm-up.asl.json", LintReport())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(place=st.sampled_from(PLACES), value=_values)
def test_any_value_anywhere_is_reported_not_raised(place, value):
    definition = copy.deepcopy(BASE)
    target = definition
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = value
    for linter in LINTERS:
        report = LintReport()
        linter.lint_text(json.dumps(definition), "fuzz.asl.json", report)
        assert not report.internal_errors, report.internal_errors[0].detail
