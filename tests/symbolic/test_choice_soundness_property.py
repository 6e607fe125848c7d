"""Property: the solver's Choice verdicts never contradict a concrete evaluation.

Random Choice states (every operator family, ``*Path`` forms, And/Or/Not, literals of the
right and of the wrong type) are analysed by z3; random inputs drawn from the same literals
(so that the narrow cases, equal timestamps written with other offsets, ``1`` and ``1.0``,
escaped ``*``, actually occur) are run through the concrete Choice code that the
interpreter uses. A rule that some input takes must not be called dead, and an input that
falls through to ``Default`` must not exist when the rules are called exhaustive. The
Default witness the solver offers is itself replayed.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzer.symbolic.solver import Budget

from .helpers import choice_machine, concrete_choice, verdict

NUMBERS = [-1, 0, 1, 1.0, 1.5, 10, 2147483648]
STRINGS = ["", "a", "b", "ab", "a*", "log*", "logX", "*", "\\", "2024-01-01T00:00:00Z", "2024-01-01T01:00:00+01:00",
           "2024-01-01T00:00:00.500Z", "2024-01-02T00:00:00Z"]
TIMESTAMPS = [s for s in STRINGS if s.startswith("2024")]
PATTERNS = ["a*", "*b", "log\\*", "*", "a", "\\\\"]
SCALARS = NUMBERS + STRINGS + [True, False, None]
PATHS = ["$.a", "$.b", "$.a.x"]

FAMILIES = {
    "String": (["Equals", "LessThan", "GreaterThanEquals"], STRINGS),
    "Numeric": (["Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals"], NUMBERS),
    "Timestamp": (["Equals", "LessThan", "GreaterThanEquals"], TIMESTAMPS),
    "Boolean": (["Equals"], [True, False]),
}
TYPE_TESTS = ["IsPresent", "IsNull", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"]


@st.composite
def comparisons(draw):
    kind = draw(st.sampled_from(["value", "value", "path", "type", "matches"]))
    variable = draw(st.sampled_from(PATHS))
    if kind == "type":
        return {"Variable": variable, draw(st.sampled_from(TYPE_TESTS)): draw(st.booleans())}
    if kind == "matches":
        return {"Variable": variable, "StringMatches": draw(st.sampled_from(PATTERNS))}
    family = draw(st.sampled_from(sorted(FAMILIES)))
    ops, literals = FAMILIES[family]
    op = family + draw(st.sampled_from(ops))
    if kind == "path":
        return {"Variable": variable, op + "Path": draw(st.sampled_from([p for p in PATHS if p != variable]))}
    # mostly a literal of the operator's type, sometimes any scalar (a type mismatch)
    literal = draw(st.one_of(st.sampled_from(literals), st.sampled_from(literals), st.sampled_from(SCALARS)))
    return {"Variable": variable, op: literal}


rules_strategy = st.recursive(comparisons(), lambda inner: st.one_of(
    st.builds(lambda a, b: {"And": [a, b]}, inner, inner),
    st.builds(lambda a, b: {"Or": [a, b]}, inner, inner),
    st.builds(lambda a: {"Not": a}, inner)), max_leaves=3)

values = st.one_of(st.sampled_from(SCALARS), st.fixed_dictionaries({"x": st.sampled_from(SCALARS)}))
inputs = st.dictionaries(st.sampled_from(["a", "b"]), values, max_size=2)


def _well_formed(choices) -> bool:
    return all(isinstance(r, dict) for r in choices)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rules_strategy, min_size=1, max_size=3), st.lists(inputs, min_size=1, max_size=12))
def test_no_input_contradicts_the_solver(choices, samples):
    v = verdict(choices, budget=Budget(timeout_ms=2000))
    machine = choice_machine(choices)
    for value in samples:
        outcome, index = concrete_choice(machine, "C", value)
        if outcome == "rule":
            assert v.rules[index].status != "dead", (choices, value)
        if outcome == "default":
            assert v.exhaustive is not True, (choices, value)
    if v.exhaustive is False and v.witness is not None:
        assert concrete_choice(machine, "C", v.witness) == ("default", None), (choices, v.witness)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(rules_strategy, min_size=1, max_size=3), st.lists(inputs, min_size=1, max_size=12))
def test_generated_cases_replay_and_dead_goals_stay_dead(choices, samples):
    """The other direction: every rule the solver calls reachable gets an input (the case)
    that the interpreter must send down that rule, or the suite reports a mismatch."""
    from analyzer.symbolic.testgen import generate

    machine = choice_machine(choices)
    suite = generate(machine, explore_budget=2.0)
    assert suite.mismatches == [], (choices, suite.mismatches)
    covered = {g for case in suite.cases for g in case["covers"]}
    goals = {f"rule:C#{i + 1}" for i in range(len(choices))} | {"default:C"}
    dead = goals - covered - set(suite.summary["unknown"])
    for value in samples:
        outcome, index = concrete_choice(machine, "C", value)
        taken = f"rule:C#{index + 1}" if outcome == "rule" else "default:C" if outcome == "default" else None
        assert taken not in dead, (choices, value, sorted(dead))
