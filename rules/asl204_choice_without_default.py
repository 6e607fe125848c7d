"""ASL204: a Choice with no ``Default`` whose rules may all be false (``States.NoChoiceMatched``).

Two sources decide whether the rules are exhaustive, and the rule is structured so the
second replaces the first without touching the reporting code:

1. :func:`syntactically_exhaustive` (always available, sound, deliberately simple): some
   rule, or the rules together, hold a test and its exact negation, for example
   ``IsPresent: true`` and ``IsPresent: false`` on the same ``Variable``, a rule ``R`` and
   ``{"Not": R}``, JSONata conditions ``{% E %}`` and ``{% $not(E) %}``, or a JSONata
   ``Condition`` that is the literal ``{% true %}``. (``BooleanEquals: true`` plus
   ``BooleanEquals: false`` is *not* exhaustive: a string ``"true"`` matches neither.) When it
   says "exhaustive" that is certain; when it says "not shown" the rules may still be
   exhaustive in a way it cannot see.
2. **The solver hook.** A z3 pass that runs earlier may store its verdicts in
   ``ctx.cache["choice_verdicts"]``: a mapping from the Choice state's JSON Pointer to a
   verdict, either a mapping or an object with ``exhaustive`` (``True`` proved exhaustive,
   ``False`` a counterexample was found, ``None`` unknown) and, for ``False``, ``witness``
   (an input that makes every rule false). A proof means no finding; a counterexample
   means a finding with ``data["witness"]`` set and the input shown in the message; an
   unknown verdict (or no verdict) falls back to the syntactic test.
"""

from __future__ import annotations

import json
from typing import Any

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import MISSING, ChoiceRule, ChoiceState

_TYPE_TESTS = ("IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp")
_IGNORED_KEYS = frozenset({"Next", "Comment", "Assign", "Output"})
_TRUE_CONDITIONS = frozenset({"{% true %}", "{%true%}"})


def _jsonata_literal(condition: str) -> tuple[str, bool] | None:
    """``{% E %}`` as (E, True) and ``{% $not(E) %}`` as (E, False), whitespace-normalised."""
    text = condition.strip()
    if not (text.startswith("{%") and text.endswith("%}")):
        return None
    body = " ".join(text[2:-2].split())
    if body.startswith("$not(") and body.endswith(")"):
        return ("jsonata:" + " ".join(body[5:-1].split()), False)
    return ("jsonata:" + body, True)


def _literal(rule: ChoiceRule) -> tuple[str, bool] | None:
    """A rule as (canonical test, polarity), so that a test and its negation compare equal but for polarity.

    A JSONata ``Condition`` that yields a non-boolean is an error, not "false", so ``E`` and
    ``$not(E)`` together leave no input that matches neither.
    """
    if isinstance(rule.condition, str):
        return _jsonata_literal(rule.condition)
    if rule.not_ is not None and len(rule.operators) == 1:
        inner = _literal(rule.not_)
        return (inner[0], not inner[1]) if inner else None
    if rule.operator in _TYPE_TESTS and len(rule.operators) == 1 and isinstance(rule.operand, bool) \
            and isinstance(rule.variable, str):
        return (json.dumps([rule.operator, rule.variable]), rule.operand)
    body = {k: v for k, v in rule.raw.items() if k not in _IGNORED_KEYS}
    if not body:
        return None
    try:
        return (json.dumps(body, sort_keys=True), True)
    except (TypeError, ValueError):
        return None


def _disjuncts(rule: ChoiceRule):
    """The rule itself, and the members of a top-level ``Or`` (flattened)."""
    if rule.or_ is not None and len(rule.operators) == 1:
        for child in rule.or_:
            yield from _disjuncts(child)
    else:
        yield rule


def syntactically_exhaustive(state: ChoiceState) -> bool:
    """True only when the rules certainly cannot all be false (see the module docstring)."""
    seen: dict[str, set[bool]] = {}
    for top in state.choices:
        for rule in _disjuncts(top):
            if isinstance(rule.condition, str) and rule.condition.strip() in _TRUE_CONDITIONS:
                return True
            if rule.condition is True:
                return True
            lit = _literal(rule)
            if lit is None:
                continue
            polarities = seen.setdefault(lit[0], set())
            polarities.add(lit[1])
            if len(polarities) == 2:
                return True
    return False


def solver_verdict(ctx, pointer: str) -> tuple[bool | None, Any]:
    """``(exhaustive, witness)`` from the solver's cache, ``(None, None)`` when it has nothing to say."""
    verdicts = ctx.cache.get("choice_verdicts")
    solver = getattr(ctx.settings, "solver", None)
    if verdicts is None and solver is not None and solver.enabled:
        from analyzer.symbolic.analysis import analyse

        analyse(ctx)  # publishes ctx.cache["choice_verdicts"]
        verdicts = ctx.cache.get("choice_verdicts")
    if not verdicts:
        return None, None
    verdict = verdicts.get(pointer) if hasattr(verdicts, "get") else None
    if verdict is None:
        return None, None
    if isinstance(verdict, dict):
        return verdict.get("exhaustive"), verdict.get("witness")
    return getattr(verdict, "exhaustive", None), getattr(verdict, "witness", None)


class ChoiceWithoutDefault(Rule):
    id = "ASL204"
    name = "choice-without-default"
    severity = Severity.WARNING
    category = "graph"
    tags = ("graph", "correctness", "error-handling")
    precision = "high"
    doc = """
A Choice state has no `Default` and its rules may all be false, so the execution can fail with `States.NoChoiceMatched`.

## What it finds
A `Choice` without `Default` whose rules are not known to cover every input. Without the
solver the test is syntactic and only trusts obvious exhaustiveness (a test and its exact
negation, such as `IsPresent: true` and `IsPresent: false` on the same variable); with the
solver the verdict is exact and the finding carries an input that no rule matches.

## Why it matters
When no rule matches and there is no `Default`, the state fails with
`States.NoChoiceMatched`. A Choice has no `Catch`, so this ends the execution (or the
enclosing branch or iteration), typically on the one value nobody thought of: a new
status string, a missing field, a number exactly on a boundary.

## Example
```json
"Route": {"Type": "Choice", "Choices": [
  {"Variable": "$.status", "StringEquals": "APPROVED", "Next": "Ship"},
  {"Variable": "$.status", "StringEquals": "REJECTED", "Next": "Refund"}]}
```

## Fix
Add a `Default` that handles the unexpected value explicitly, even if it only fails with a clear error:
```json
"Route": {"Type": "Choice", "Default": "UnknownStatus", "Choices": [...]},
"UnknownStatus": {"Type": "Fail", "Error": "UnknownStatus", "Cause": "status is neither APPROVED nor REJECTED"}
```
"""

    def check(self, ctx):
        for scope in ctx.machine.walk_scopes():
            for state in scope.states.values():
                if not isinstance(state, ChoiceState) or state.default is not MISSING or not state.choices:
                    continue
                exhaustive, witness = solver_verdict(ctx, state.pointer)
                if exhaustive is None:
                    exhaustive = syntactically_exhaustive(state)
                    witness = None
                if exhaustive:
                    continue
                msg = (f"Choice state {state.name!r} has no Default and its rules do not cover every input: "
                       f"when none matches, the execution fails with States.NoChoiceMatched")
                data: dict[str, Any] = {}
                if witness is not None:
                    shown = json.dumps(witness.get("input") if isinstance(witness, dict) and "input" in witness
                                       else witness, sort_keys=True)
                    msg += f" (for example with input {shown[:200]})"
                    data["witness"] = witness
                msg += "; add a Default state that handles unexpected input"
                yield self.finding(state.pointer, msg, state=state.name, **data)
