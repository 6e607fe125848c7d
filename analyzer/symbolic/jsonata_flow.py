"""JSONata data flow (``Arguments``, ``Output``, ``Assign``) as terms, for plain paths and literals.

A field whose expression is a *plain path* (``{% $states.input.a.b %}``,
``{% $states.result.x %}``, ``{% $states.context.Execution.Input.c %}``, ``{% $name.y %}``) becomes the term at that path, and the
value must be defined there: the interpreter (like Step Functions) fails a state with
``States.QueryEvaluationError`` when such a field evaluates to nothing. Literal JSON
values and templates made of them are concrete. Any other expression is an unknown value.

One approximation remains: in JSONata a step into an *array* maps over its items, while
a term step names an object member. A path that reads through a value of unknown type is
therefore reported (:attr:`Evaluation.approximate`); the explorer then never claims a goal
unreachable, and witnesses are confirmed by a run as always.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from analyzer.model.nodes import MISSING
from analyzer.symbolic.jsonata import body_of
from analyzer.symbolic.terms import Conc, Havoc, Obj, Term, lookup

_PLAIN = re.compile(r"^\$(?P<root>states\.input|states\.result|[A-Za-z_][A-Za-z0-9_]*)"
                    r"(?P<steps>(?:\.[A-Za-z_][A-Za-z0-9_]*)*)$")
_RESERVED = {"states"}  # ``$states`` alone, or ``$states.context``/``errorOutput``: not modelled here


def plain_path(body: str) -> Optional[tuple[str, tuple]]:
    """``(root, steps)`` of a plain path expression: root ``input``, ``result``, ``execution``
    (``$states.context.Execution.Input``) or ``$name``."""
    m = _PLAIN.match(body)
    if m is None:
        return None
    root = m.group("root")
    steps = tuple(s for s in m.group("steps").split(".") if s)
    if root == "states.input":
        return "input", steps
    if root == "states.result":
        return "result", steps
    if root == "states" and steps[:3] == ("context", "Execution", "Input"):
        return "execution", steps[3:]  # the execution input, whatever state reads it
    if root in _RESERVED:
        return None
    return "$" + root, steps


@dataclass
class Evaluation:
    """What evaluating templates needed: terms that must be defined, and whether it approximated."""

    must_exist: list = field(default_factory=list)
    exact: bool = True
    approximate: bool = False


def evaluate(template: Any, roots: Callable[[str], Optional[Term]], ev: Evaluation) -> Term:
    """The term of a JSONata template (``Output``, an ``Assign`` value, ``Arguments``)."""
    body = body_of(template)
    if body is not None:
        parsed = plain_path(body)
        root = roots(parsed[0]) if parsed is not None else None
        if root is None:
            ev.exact = False
            return Havoc("jsonata expression")
        term = lookup(root, parsed[1])
        if parsed[1]:
            ev.approximate = True
        if isinstance(term, Havoc):
            ev.exact = False
        else:
            ev.must_exist.append(term)
        return term
    if isinstance(template, dict):
        return Obj(tuple((k, evaluate(v, roots, ev)) for k, v in template.items()))
    if isinstance(template, list):
        items = [evaluate(v, roots, ev) for v in template]
        if all(isinstance(t, Conc) for t in items):
            return Conc([t.value for t in items])
        ev.exact = False
        return Havoc("jsonata array")
    return Conc(template)


def assign(assignments: Any, roots: Callable[[str], Optional[Term]], ev: Evaluation,
           variables: tuple) -> tuple:
    """The variables after an ``Assign`` (all values read the same snapshot), as sorted pairs."""
    if assignments is MISSING or assignments is None:
        return variables
    bound = dict(variables)
    if not isinstance(assignments, dict):
        ev.exact = False
        return ()  # unknown: every variable becomes unknown
    for name, template in assignments.items():
        if isinstance(name, str):
            bound["$" + name] = evaluate(template, roots, ev)
    return tuple(sorted(bound.items()))
