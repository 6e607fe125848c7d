"""Property: the z3 encoding of JSONata Conditions agrees with the jsonata package on random
conditions and random inputs (the fixed cases of test_jsonata_subset.py, generalised).

Conditions are drawn from the documented subset (comparisons, arithmetic, ``and``/``or``,
``$not``, ``$exists``, plain paths); those the encoder leaves out are skipped, since an
expression outside the subset is unknown by design. For every input, the outcomes the solver
allows once the input is pinned must include the one the interpreter's JSONata engine gives
(true, false, or an error: undefined, or not a boolean), and be exactly that one unless an
object is compared (deep equality of objects is left unknown by design).
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from analyzer.symbolic.jsonata import encode_condition
from analyzer.symbolic.solver import z3
from analyzer.symbolic.values import Store

from .test_jsonata_subset import _concrete, _pin

PATHS = ["$states.input.x", "$states.input.y", "$states.input.a.b"]
LITERALS = ["0", "1", "2", "-1", "1.5", "'a'", "\"b\"", "''", "true", "false", "null"]
SCALARS = [0, 1, 2, -1, 1.5, "a", "b", "", True, False, None]

atoms = st.one_of(st.sampled_from(PATHS), st.sampled_from(LITERALS))
arith = st.recursive(atoms, lambda inner: st.builds(lambda a, op, b: f"({a} {op} {b})", inner,
                                                     st.sampled_from(["+", "-", "*"]), inner), max_leaves=3)
comparison = st.builds(lambda a, op, b: f"{a} {op} {b}", arith, st.sampled_from(["=", "!=", "<", "<=", ">", ">="]),
                       arith)
leaf = st.one_of(comparison, comparison, st.builds(lambda p: f"$exists({p})", st.sampled_from(PATHS)),
                 st.sampled_from(PATHS))
conditions = st.recursive(leaf, lambda inner: st.one_of(
    st.builds(lambda a, b: f"({a}) and ({b})", inner, inner),
    st.builds(lambda a, b: f"({a}) or ({b})", inner, inner),
    st.builds(lambda a: f"$not({a})", inner)), max_leaves=4)
values = st.one_of(st.sampled_from(SCALARS), st.fixed_dictionaries({"b": st.sampled_from(SCALARS)}))
inputs = st.dictionaries(st.sampled_from(["x", "y", "a"]), values, max_size=3)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(conditions, st.lists(inputs, min_size=1, max_size=6))
def test_encoding_agrees_with_jsonata(condition, samples):
    m = z3()
    store = Store()
    encoded = encode_condition("{% " + condition + " %}", lambda steps: store.get(("in",), steps))
    assume(encoded is not None)
    taken, error = encoded
    for value in samples:
        s = m.Solver()
        s.set("timeout", 5000)
        s.add(*store.pending)
        s.add(*_pin(store, value))
        s.add(store.get(("in",), ()).tag == 5)  # the input is an object
        outcomes = set()
        for name, formula in (("true", taken), ("error", error), ("false", m.And(m.Not(taken), m.Not(error)))):
            answer = s.check(formula)
            assume(answer != m.unknown)
            if answer == m.sat:
                outcomes.add(name)
        concrete = _concrete(condition, value)
        assert concrete in outcomes, (condition, value, outcomes)  # sound: the real outcome is allowed
        if not any(isinstance(v, dict) for v in value.values()):  # exact, but for deep equality of objects
            assert outcomes == {concrete}, (condition, value, outcomes)
