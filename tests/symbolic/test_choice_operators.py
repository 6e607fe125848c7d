"""The z3 Choice encoding at the boundaries of every operator family.

Each case states what the semantics (asl-semantics §4) says about a small Choice, and the
solver's verdict must agree; every input the solver offers for ``Default`` is replayed
through the concrete Choice code.
"""

from __future__ import annotations

import pytest

from analyzer.symbolic.solver import Budget

from .helpers import choice_machine, concrete_choice, statuses, verdict


def _default_witness_replays(choices, v):
    assert v.exhaustive is False and v.witness is not None
    assert concrete_choice(choice_machine(choices), "C", v.witness) == ("default", None)


def test_numeric_split_at_10_is_exhaustive_only_behind_an_isnumeric_guard():
    split = [{"Variable": "$.n", "NumericLessThan": 10}, {"Variable": "$.n", "NumericGreaterThanEquals": 10}]
    v = verdict(split)
    assert statuses(v) == ["reachable", "reachable"]
    _default_witness_replays(split, v)  # e.g. a string n: both comparisons are false
    guarded = [{"Not": {"Variable": "$.n", "IsNumeric": True}}] + split
    assert verdict(guarded).exhaustive is True


def test_numeric_boundary_gap_is_found():
    rules = [{"Variable": "$.n", "NumericLessThan": 10}, {"Variable": "$.n", "NumericGreaterThan": 10},
             {"Not": {"Variable": "$.n", "IsNumeric": True}}]
    v = verdict(rules)
    _default_witness_replays(rules, v)
    assert v.witness == {"n": 10}


def test_numeric_equals_1_and_1_0_are_the_same_number():
    v = verdict([{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 1.0}])
    assert statuses(v) == ["reachable", "dead"]
    assert v.rules[1].preempted_by == (0,)
    w = verdict([{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 1.5}])
    assert statuses(w) == ["reachable", "reachable"]


def test_string_matches_escaped_star_is_a_literal_star():
    literal = [{"Variable": "$.s", "StringMatches": "log\\*"}, {"Variable": "$.s", "StringEquals": "log*"}]
    assert statuses(verdict(literal)) == ["reachable", "dead"]
    other = [{"Variable": "$.s", "StringMatches": "log\\*"}, {"Variable": "$.s", "StringEquals": "logX"}]
    assert statuses(verdict(other)) == ["reachable", "reachable"]
    wild = [{"Variable": "$.s", "StringMatches": "log*"}, {"Variable": "$.s", "StringEquals": "logX"}]
    assert statuses(verdict(wild)) == ["reachable", "dead"]


@pytest.mark.parametrize("pattern,dead_value", [("*.csv", "a.csv"), ("a*b*c", "aXbYc"), ("x*", "x"),
                                                ("*mid*", "amidb"), ("back\\\\slash", "back\\slash")])
def test_glob_shapes(pattern, dead_value):
    rules = [{"Variable": "$.s", "StringMatches": pattern}, {"Variable": "$.s", "StringEquals": dead_value}]
    assert statuses(verdict(rules)) == ["reachable", "dead"]


def test_string_order_is_exhaustive_behind_isstring():
    rules = [{"Not": {"Variable": "$.s", "IsString": True}}, {"Variable": "$.s", "StringLessThan": "b"},
             {"Variable": "$.s", "StringGreaterThanEquals": "b"}]
    assert verdict(rules).exhaustive is True
    gap = rules[:2] + [{"Variable": "$.s", "StringGreaterThan": "b"}]
    v = verdict(gap)
    _default_witness_replays(gap, v)
    assert v.witness == {"s": "b"}


def test_timestamps_are_instants_with_offsets_and_fractions():
    same_instant = [{"Variable": "$.t", "TimestampEquals": "2020-01-01T01:00:00+01:00"},
                    {"Variable": "$.t", "TimestampEquals": "2020-01-01T00:00:00Z"}]
    assert statuses(verdict(same_instant)) == ["reachable", "dead"]
    fraction = [{"Variable": "$.t", "TimestampLessThan": "2020-01-01T00:00:00.5Z"},
                {"Variable": "$.t", "TimestampLessThanEquals": "2020-01-01T00:00:00Z"}]
    assert statuses(verdict(fraction)) == ["reachable", "dead"]
    later = [{"Variable": "$.t", "TimestampLessThan": "2020-01-01T00:00:00Z"},
             {"Variable": "$.t", "TimestampGreaterThanEquals": "2020-01-01T00:00:00Z"}]
    v = verdict(later)
    _default_witness_replays(later, v)  # a non-timestamp string or another type


def test_timestamp_comparison_against_a_non_timestamp_literal_is_a_mismatch():
    v = verdict([{"Variable": "$.t", "TimestampEquals": "yesterday"}])
    assert statuses(v) == ["dead"]
    assert [m.operand for m in v.mismatches] == ["TimestampEquals"]


def test_boolean_equals_is_exhaustive_behind_isboolean():
    rules = [{"Variable": "$.b", "BooleanEquals": True}, {"Variable": "$.b", "BooleanEquals": False}]
    v = verdict(rules)
    _default_witness_replays(rules, v)
    assert verdict([{"Not": {"Variable": "$.b", "IsBoolean": True}}] + rules).exhaustive is True


def test_path_comparisons_between_two_fields():
    both = {"And": [{"Variable": "$.a", "IsNumeric": True}, {"Variable": "$.b", "IsNumeric": True}]}
    rules = [{"Variable": "$.a", "NumericLessThanEqualsPath": "$.b"},
             {"Variable": "$.a", "NumericGreaterThanPath": "$.b"}, both]
    assert statuses(verdict(rules)) == ["reachable", "reachable", "dead"]
    strings = [{"Variable": "$.a", "StringEqualsPath": "$.b"}, {"Variable": "$.b", "StringEqualsPath": "$.a"}]
    assert statuses(verdict(strings)) == ["reachable", "dead"]


def test_type_tests_and_presence():
    rules = [{"Variable": "$.x", "IsPresent": False}, {"Variable": "$.x", "IsNull": True},
             {"Variable": "$.x", "IsNull": False}]
    assert verdict(rules).exhaustive is True
    v = verdict([{"Variable": "$.x", "IsNull": True}, {"Variable": "$.x", "IsString": True}])
    _default_witness_replays([{"Variable": "$.x", "IsNull": True}, {"Variable": "$.x", "IsString": True}], v)


def test_missing_path_is_a_runtime_error_not_a_default():
    # Without IsPresent, a missing $.n fails the state: Default is reached only by present non-matching values.
    rules = [{"Variable": "$.n", "IsNumeric": True}, {"Variable": "$.n", "IsNumeric": False}]
    assert verdict(rules).exhaustive is True


def test_short_circuit_and_protects_later_tests():
    rules = [{"And": [{"Variable": "$.x", "IsPresent": True}, {"Variable": "$.x", "StringEquals": "a"}]},
             {"Variable": "$.x", "IsPresent": False}]
    v = verdict(rules)
    _default_witness_replays(rules, v)
    assert v.witness["x"] != "a"


def test_prefix_consistency_of_nested_paths():
    rules = [{"Variable": "$.a", "IsString": True}, {"Variable": "$.a.b", "IsPresent": True}]
    v = verdict(rules)
    assert statuses(v) == ["reachable", "reachable"]
    contradiction = [{"And": [{"Variable": "$.a", "IsString": True}, {"Variable": "$.a.b", "IsPresent": True}]}]
    assert statuses(verdict(contradiction)) == ["dead"]
    arrays = [{"And": [{"Variable": "$.a[1]", "IsPresent": True}, {"Variable": "$.a[0]", "IsPresent": False}]}]
    assert statuses(verdict(arrays)) == ["dead"]


def test_type_mismatch_behind_an_isstring_guard():
    v = verdict([{"And": [{"Variable": "$.code", "IsString": True}, {"Variable": "$.code", "NumericEquals": 404}]},
                 {"Variable": "$.code", "NumericEquals": 500}])
    assert [(m.top_index, m.path, m.expected) for m in v.mismatches] == [(0, "$.code", "a number")]
    assert statuses(v) == ["dead", "reachable"]
    assert v.rules[0].reason.startswith("its condition is contradictory")


def test_tiny_resource_limit_gives_unknown_never_dead():
    rules = [{"Variable": "$.s", "StringMatches": "a*b*c*d"}, {"Variable": "$.s", "StringEquals": "abcd"},
             {"Variable": "$.s", "StringLessThan": "abc"}]
    v = verdict(rules, budget=Budget(timeout_ms=1000, rlimit=1))
    assert "dead" not in statuses(v)
    assert "unknown" in statuses(v)
    assert v.exhaustive is not True


def test_path_comparison_against_a_comparand_of_another_type():
    v = verdict([{"And": [{"Variable": "$.a", "IsString": True}, {"Variable": "$.b", "IsNumeric": True},
                          {"Variable": "$.a", "StringEqualsPath": "$.b"}]}])
    assert [(m.operand, m.path) for m in v.mismatches] == [("StringEqualsPath", "$.b")]
    assert statuses(v) == ["dead"]


def test_verdict_objects_follow_the_solver_conventions():
    v = verdict([{"Variable": "$.n", "NumericEquals": 1}, {"Variable": "$.n", "NumericEquals": 1.0}])
    assert [r.verdict.status for r in v.rules] == ["violated", "proved"]
    assert v.exhaustive_verdict.status == "violated" and v.exhaustive_verdict.witness == v.witness
    unknown = verdict([{"Variable": "$.s", "StringMatches": "a*b*c*d"}], budget=Budget(timeout_ms=1000, rlimit=1))
    assert unknown.rules[0].verdict.status in ("unknown", "violated")
    assert not unknown.rules[0].verdict.proved
