"""ASL301: a Task, Parallel or Map with no Catch, whose failure ends the execution.

Noise policy (what is *not* reported, and why):

* a state inside a Parallel branch or Map processor when an enclosing Parallel/Map has no
  Catch either: one finding, on the outermost state without a Catch, is enough, because a
  Catch there handles the failures from inside too (its message counts them);

* a state inside a Parallel branch or Map processor whose enclosing Parallel/Map (at any
  level) has a Catch covering every catchable error: the failure of the branch is handled
  there, which is the usual and correct way to write it;
* a state inside a Map that tolerates failed items (``ToleratedFailurePercentage`` /
  ``ToleratedFailureCount`` above zero, or their ``*Path`` forms): item failures are
  expected by design;
* a state from which its scope can only end in a ``Fail`` (for example the notification
  step of an error handler): a Catch would only change which error the execution fails with;
* a state that only a Catch leads to (an error handler, such as the "notify failure" step):
  a Catch on a handler would only chain handlers;
* a Parallel or Map whose inside already handles everything: no ``Fail`` state, every
  Choice has a ``Default``, and every Task/Parallel/Map inside has a Catch covering all errors.
"""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import ERROR_HANDLING_TYPES, MISSING, ChoiceState, MapState, nested_scopes
from analyzer.semantics import errors


def catches_everything(state) -> bool:
    names = [n for c in state.catch for n in c.error_equals]
    return bool(state.catch) and not errors.missing_for_full_coverage(names, errors.may_time_out(state))


def tolerates_failures(state) -> bool:
    if not isinstance(state, MapState):
        return False
    for value in (state.tolerated_failure_percentage, state.tolerated_failure_count):
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return True
    return state.tolerated_failure_percentage_path is not MISSING or state.tolerated_failure_count_path is not MISSING


def handled_by_parent(graph, state) -> str | None:
    """Name of the enclosing Parallel/Map that takes this state's failures, if any."""
    for owner in graph.enclosing_states(state.pointer):
        if catches_everything(owner) or tolerates_failures(owner):
            return owner.name
    return None


def only_fails(graph, state, cache: dict) -> bool:
    """True when every way out of the state's scope from here is a ``Fail`` state."""
    scope = state.scope
    if scope not in cache:
        cache[scope] = graph.can_succeed(scope) if graph.start_node(scope) is not None else None
    good = cache[scope]
    return good is not None and state.pointer not in good and not graph.has_dangling_transition(state.pointer)


def is_error_handler(graph, state, cache: dict) -> bool:
    """True for a reachable state that no failure-free path reaches: only a Catch leads to it."""
    key = ("normal", state.scope)
    if key not in cache:
        if graph.start_node(state.scope) is None:
            cache[key] = None
        else:
            cache[key] = (graph.reachable(state.scope), graph.reachable_by(state.scope, ("next", "choice", "default")))
    sets = cache[key]
    return sets is not None and state.pointer in sets[0] and state.pointer not in sets[1]


def exempt(graph, state, cache: dict) -> bool:
    """The noise policy of the module docstring, shared with ASL302."""
    return bool(handled_by_parent(graph, state) or only_fails(graph, state, cache)
                or is_error_handler(graph, state, cache))


def contains_failures(state) -> bool:
    """Whether anything inside a Parallel/Map can fail the branch with a catchable error."""
    for scope in nested_scopes(state):
        for inner in scope.walk_states():
            if inner.type == "Fail":
                return True
            if isinstance(inner, ChoiceState) and inner.default is MISSING:
                return True
            if isinstance(inner, ERROR_HANDLING_TYPES) and not catches_everything(inner):
                return True
    return False


def _uncaught_inside(state) -> int:
    return sum(1 for scope in nested_scopes(state) for inner in scope.walk_states()
               if isinstance(inner, ERROR_HANDLING_TYPES) and not inner.catch)


class MissingCatch(Rule):
    id = "ASL301"
    name = "missing-catch"
    #: A note, not a warning: letting the execution fail is the service's default and often
    #: intended (most real-world machines rely on it); teams that require handlers raise it.
    severity = Severity.NOTE
    category = "error-handling"
    tags = ("error-handling", "reliability")
    precision = "medium"
    doc = """
A Task, Parallel or Map state has no `Catch`: once its retries are spent, any failure ends the whole execution.

## What it finds
A `Task`, `Parallel` or `Map` without a `Catch` field. Inside a Parallel or Map that has no
`Catch` itself, only the enclosing state is reported (a Catch there covers the inside too),
and its message counts the states inside without one. Also not reported: states inside a
Parallel branch or Map processor whose enclosing state catches every error (or, for a Map,
tolerates failed items); states that only a Catch leads to (error handlers) or whose scope
can only end in a `Fail` from there anyway; and a Parallel or Map whose inside already
handles every error.

## Why it matters
An uncaught error fails the execution (or the enclosing branch) on the spot: no clean-up,
no compensation of the steps already done, no notification, and the state's input is gone.

## Example
```json
"ChargeCard": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Ship"}
```

## Fix
Catch everything (after retrying what is transient) and route it to a handler, keeping the input:
```json
"ChargeCard": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Ship",
  "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "RefundAndNotify"}]}
```
"""

    def check(self, ctx):
        graph = ctx.graph
        cache: dict = {}
        for state in ctx.machine.walk_states():
            if not isinstance(state, ERROR_HANDLING_TYPES) or state.catch:
                continue
            if state.raw.get("Catch") not in (None, []) and "Catch" in state.raw:
                continue  # a malformed Catch is a validation finding, not a missing one
            if any(not owner.catch for owner in graph.enclosing_states(state.pointer)):
                continue  # reported (or exempted) once, at the enclosing state without a Catch
            if exempt(graph, state, cache):
                continue
            if state.type != "Task" and not contains_failures(state):
                continue
            scope_end = "the whole execution fails" if not state.scope else \
                "its branch fails, and with it the enclosing state and (unless that catches it) the execution"
            inner = _uncaught_inside(state)
            inside = f" ({inner} state{'s' if inner > 1 else ''} inside it {'have' if inner > 1 else 'has'} no " \
                     f"Catch either, so their failures end up here)" if inner else ""
            msg = (f"{state.type} state {state.name!r} has no Catch: if it fails (after any retries) {scope_end}"
                   f"{inside}; add a Catch on States.ALL that routes to a handler state (with a ResultPath that "
                   f"keeps the input)")
            yield self.finding(state.pointer, msg, state=state.name, uncaught_inside=inner)
