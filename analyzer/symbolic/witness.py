"""From a z3 model to friendly JSON: the execution input and the Task mocks of one path.

Models are first *tidied*: the same path condition is solved again with preferences for
small integers, short strings, whole-second timestamps between 1970 and 2100, short
arrays and an object at the root. When the preferences cannot all hold, the raw model is
used. The JSON for an origin is built top-down from the values the solver knows about:
a present object gets exactly its present known children, an array gets its length with
``null`` in slots nobody reads.
"""

from __future__ import annotations

import datetime as _dt
from fractions import Fraction
from typing import Any

from analyzer.model.nodes import MISSING
from analyzer.semantics.values import parse_timestamp
from analyzer.symbolic.solver import z3
from analyzer.symbolic.values import ARR, BOOL, NULL, NUM, OBJ, STR, Store


def preference_tiers(store: Store, origins) -> list:
    """Soft wishes, strongest first; each tier is tried as hard constraints before the next (then none)."""
    m = z3()
    names = []
    for (origin, steps), v in store.values.items():
        if origin in origins and not steps and origin[0] == "error":
            names.append(v.text == m.StringVal("MockedError"))
        elif origin in origins and not steps and origin[0] == "cause":
            names.append(v.text == m.StringVal("mocked"))
    basic = preferences(store, origins)
    parents = []
    for (origin, steps), v in store.values.items():
        if origin in origins and steps and isinstance(steps[-1], str):
            parent = store.values.get((origin, steps[:-1]))
            if parent is not None:
                parents.append(m.Implies(parent.present, parent.tag == OBJ))
    tiers = [basic + names + parents, basic + names, basic] if names else [basic + parents, basic]
    return tiers


def preferences(store: Store, origins) -> list:
    """Friendly witnesses: small integers, short strings, whole-second timestamps, short arrays, object root."""
    m = z3()
    out = []
    for (origin, steps), v in store.values.items():
        if origin not in origins:
            continue
        named = origin[0] in ("error", "cause")
        if not steps and not named:
            out.append(v.tag == OBJ)
        out.append(m.Implies(v.tag == NUM, m.And(m.IsInt(v.num), v.num >= -1000, v.num <= 100000)))
        out.append(m.Implies(v.tag == STR, m.And(m.Length(v.text) <= (64 if named else 12),
                                                 m.Length(v.text) >= (1 if named else 0))))
        out.append(m.Implies(v.is_ts, m.And(m.IsInt(v.ts), v.ts >= 0, v.ts < 4102444800)))
        out.append(v.length <= 8)
    return out


def render_number(q: Fraction) -> Any:
    if q.denominator == 1:
        return int(q)
    return float(q)


def render_timestamp(q: Fraction) -> str:
    whole = q.numerator // q.denominator
    frac = q - whole
    moment = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(seconds=whole)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        digits = f"{float(frac):.9f}"[2:].rstrip("0") or "0"
        text += "." + digits
    return text + "Z"


def timestamp_spellings(q: Fraction) -> list[str]:
    """Ways to write one instant: the friendly form first, then forms a string test may need
    instead (``StringEquals "2024-01-01T00:00:00Z"`` next to a ``TimestampEquals`` of it)."""
    first = render_timestamp(q)
    stem = first[:-1]
    forms = [first, stem + "+00:00"]
    if "." not in stem:
        forms.append(stem + ".000Z")
    return forms


def timestamp_pins(model, store: Store) -> list:
    """Constraints that tie the text of every timestamp string in ``model`` to its instant.

    The value model keeps a string's text and its instant apart (see
    :mod:`analyzer.symbolic.values`); when the text the model chose is not that instant, the
    witness would print the instant instead and could then fail a string test on the same
    value. Solving again with these pins gives a model whose text spells its instant."""
    m = z3()
    pins = []
    for v in store.values.values():
        if not m.is_true(model.eval(m.And(v.present, v.tag == STR, v.is_ts), model_completion=True)):
            continue
        instant = _fraction(model, v.ts)
        if parse_timestamp(model.eval(v.text, model_completion=True).as_string()) == instant:
            continue
        exact = m.RealVal(f"{instant.numerator}/{instant.denominator}")
        pins.append(m.Or(*[m.And(v.ts == exact, v.text == m.StringVal(t)) for t in timestamp_spellings(instant)]))
    return pins


def timestamp_facts(model, store: Store) -> list:
    """True facts about the strings of ``model`` that the model itself breaks.

    A string's text decides whether it is a timestamp and which instant: ``"2024-01-01T00:00:00Z"``
    is one, ``"a"`` is none. The value model only ties the two loosely, so a model may give a
    value that text and yet call it no timestamp (or another instant); each such text yields
    the fact ``text == t -> (its timestamp view)``, and solving again with the facts removes
    that model without losing any real execution."""
    m = z3()
    facts = []
    for v in store.values.values():
        if not m.is_true(model.eval(m.And(v.present, v.tag == STR), model_completion=True)):
            continue
        text = model.eval(v.text, model_completion=True).as_string()
        instant = parse_timestamp(text)
        is_ts = m.is_true(model.eval(v.is_ts, model_completion=True))
        if instant is None and is_ts:
            facts.append(m.Implies(v.text == m.StringVal(text), m.Not(v.is_ts)))
        elif instant is not None and (not is_ts or _fraction(model, v.ts) != instant):
            exact = m.RealVal(f"{instant.numerator}/{instant.denominator}")
            facts.append(m.Implies(v.text == m.StringVal(text), m.And(v.is_ts, v.ts == exact)))
    return facts


def _fraction(model, term) -> Fraction:
    m = z3()
    v = model.eval(term, model_completion=True)
    if m.is_rational_value(v):
        return Fraction(v.numerator_as_long(), v.denominator_as_long())
    if m.is_algebraic_value(v):
        return Fraction(str(v.approx(12)).rstrip("?"))
    return Fraction(0)


def build_value(model, store: Store, origin: tuple, steps: tuple = ()) -> Any:
    """The JSON value (or MISSING) the model gives to ``origin`` at ``steps``."""
    m = z3()
    v = store.values.get((origin, steps))
    if v is None:
        return MISSING
    if steps and not m.is_true(model.eval(v.present, model_completion=True)):
        return MISSING
    tag = model.eval(v.tag, model_completion=True).as_long()
    if tag == NULL:
        return None
    if tag == BOOL:
        return m.is_true(model.eval(v.flag, model_completion=True))
    if tag == NUM:
        year_safe = _fraction(model, v.num)
        return render_number(year_safe)
    if tag == STR:
        text = model.eval(v.text, model_completion=True).as_string()
        if m.is_true(model.eval(v.is_ts, model_completion=True)):
            instant = _fraction(model, v.ts)
            # the solver's own text when it is this instant (it then meets every string test too)
            return text if parse_timestamp(text) == instant else render_timestamp(instant)
        return text
    children = [(key[1][-1]) for key in store.values if key[0] == origin and len(key[1]) == len(steps) + 1
                and key[1][:-1] == steps]
    if tag == ARR:
        length = model.eval(v.length, model_completion=True).as_long()
        out = []
        for i in range(max(0, length)):
            child = build_value(model, store, origin, steps + (i,)) if i in children else MISSING
            out.append(None if child is MISSING else child)
        return out
    obj = {}
    for key in sorted((c for c in children if isinstance(c, str)), key=str):
        child = build_value(model, store, origin, steps + (key,))
        if child is not MISSING:
            obj[key] = child
    return obj
