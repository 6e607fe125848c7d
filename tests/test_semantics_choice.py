"""The shared Choice semantics on concrete values (asl-semantics §4)."""

from __future__ import annotations

import pytest

from analyzer.load.pointer import resolve
from analyzer.model.build import build_choice_rule
from analyzer.model.nodes import MISSING
from analyzer.semantics.choice import evaluate_choice_concrete
from analyzer.semantics.values import glob_tokens, parse_timestamp, STAR

_ABSENT = object()


def lookup_in(data):
    def lookup(path):
        assert path.startswith("$.") or path == "$"
        ptr = "" if path == "$" else "/" + path[2:].replace(".", "/")
        v = resolve(data, ptr, _ABSENT)
        return MISSING if v is _ABSENT else v
    return lookup


def run(rules, data):
    built = tuple(build_choice_rule(r, f"/Choices/{i}", True) for i, r in enumerate(rules))
    return evaluate_choice_concrete(built, lookup_in(data))


@pytest.mark.parametrize("value,expected", [
    (1, ("rule", 0)), (1.0, ("rule", 0)), ("1", ("default", None)), (True, ("default", None)),
    (None, ("default", None)), ([1], ("default", None)), ({}, ("default", None)),
])
def test_type_mismatch_is_false_not_error(value, expected):
    # §4.2.2: NumericEquals on a non-number is false.
    assert run([{"Variable": "$.x", "NumericEquals": 1, "Next": "A"}], {"x": value}) == expected


def test_missing_variable_is_runtime_error_except_is_present():
    # §4.2.3 and §4.2.4
    assert run([{"Variable": "$.x", "StringEquals": "a", "Next": "A"}], {}) == ("error", 0)
    assert run([{"Variable": "$.x", "IsNull": True, "Next": "A"}], {}) == ("error", 0)
    assert run([{"Variable": "$.x", "IsPresent": False, "Next": "A"}], {}) == ("rule", 0)
    assert run([{"Variable": "$.x", "IsPresent": True, "Next": "A"}], {"x": None}) == ("rule", 0)


def test_and_short_circuits_left_to_right():
    # §4.2.5: IsPresent guard first is safe; the reverse order crashes on missing data.
    safe = [{"And": [{"Variable": "$.x", "IsPresent": True}, {"Variable": "$.x", "StringEquals": "a"}], "Next": "A"}]
    unsafe = [{"And": [{"Variable": "$.x", "StringEquals": "a"}, {"Variable": "$.x", "IsPresent": True}], "Next": "A"}]
    assert run(safe, {}) == ("default", None)
    assert run(unsafe, {}) == ("error", 0)
    assert run(safe, {"x": "a"}) == ("rule", 0)


def test_or_stops_at_first_true_and_not_propagates_error():
    rules = [{"Or": [{"Variable": "$.y", "IsPresent": False}, {"Variable": "$.x", "NumericEquals": 1}], "Next": "A"}]
    assert run(rules, {}) == ("rule", 0)  # second child (missing $.x) never evaluated
    assert run([{"Not": {"Variable": "$.x", "NumericEquals": 1}, "Next": "A"}], {}) == ("error", 0)
    assert run([{"Not": {"Variable": "$.x", "NumericEquals": 1}, "Next": "A"}], {"x": 2}) == ("rule", 0)


def test_first_match_wins_and_later_errors_are_not_reached():
    rules = [{"Variable": "$.a", "IsPresent": True, "Next": "A"}, {"Variable": "$.missing", "IsNull": True, "Next": "B"}]
    assert run(rules, {"a": 1}) == ("rule", 0)
    assert run(rules, {}) == ("error", 1)


def test_path_comparands():
    rules = [{"Variable": "$.a", "NumericLessThanPath": "$.b", "Next": "A"}]
    assert run(rules, {"a": 1, "b": 2}) == ("rule", 0)
    assert run(rules, {"a": 1}) == ("error", 0)  # §4.2.6 missing comparand
    assert run(rules, {"a": 1, "b": "2"}) == ("default", None)


def test_string_order_is_utf16_code_units():
    # U+FF61 sorts before U+1F600 (a surrogate pair 0xD83D...) in UTF-16 but after it by code point.
    rules = [{"Variable": "$.s", "StringLessThan": "\U0001F600", "Next": "A"}]
    assert run(rules, {"s": "\uff61"}) == ("default", None)
    assert run(rules, {"s": "a"}) == ("rule", 0)


def test_timestamps_compare_as_instants():
    rules = [{"Variable": "$.t", "TimestampEquals": "2024-01-01T00:00:00Z", "Next": "A"}]
    assert run(rules, {"t": "2024-01-01T01:00:00+01:00"}) == ("rule", 0)
    assert run(rules, {"t": "2024-01-01T00:00:00.000Z"}) == ("rule", 0)
    assert run(rules, {"t": "2024-01-01"}) == ("default", None)  # not a timestamp: false
    assert parse_timestamp("2024-01-01T00:00:00.5Z") - parse_timestamp("2024-01-01T00:00:00Z") == 0.5
    assert parse_timestamp("2024-02-30T00:00:00Z") is None
    assert parse_timestamp("2024-01-01t00:00:00Z") is None


def test_numbers_compare_as_doubles_and_negative_zero_equals_zero():
    assert run([{"Variable": "$.x", "NumericEquals": 0, "Next": "A"}], {"x": -0.0}) == ("rule", 0)
    assert run([{"Variable": "$.x", "NumericEquals": 9007199254740993, "Next": "A"}],
               {"x": 9007199254740992}) == ("rule", 0)


@pytest.mark.parametrize("pattern,text,matches", [
    ("log-*.txt", "log-2024.txt", True), ("log-*.txt", "log-.txt", True), ("log-\\*.txt", "log-*.txt", True),
    ("log-\\*.txt", "log-a.txt", False), ("a?c", "abc", False), ("a?c", "a?c", True), ("[ab]", "a", False),
    ("*", "multi\nline", True), ("a\\\\b", "a\\b", True), ("a\\xb", "a\\xb", True),
])
def test_string_matches_glob(pattern, text, matches):
    # §4.4: only * is special; \* and \\ are escapes; ? and [ are literal.
    got = run([{"Variable": "$.s", "StringMatches": pattern, "Next": "A"}], {"s": text})
    assert got == (("rule", 0) if matches else ("default", None))


def test_glob_tokens_collapse_stars():
    assert glob_tokens("a**b") == ["a", STAR, "b"]
