"""Which catchable errors a Parallel or Map state can fail with, when that set is finite.

A Task can fail with any name its resource chooses, so a scope with a Task inside (or an
ItemReader/ResultWriter, which are resources too) raises an *unbounded* set (``None``). Without
one, the errors come only from the definition itself: the names written on Fail states, and the
framework errors that the fields present can trigger (asl-semantics §3.1, §5; the interpreter
raises the same names). The set is an over-approximation: a name is left out only when no field
of the state or of its scopes can produce it. A Catch whose ``ErrorEquals`` matches none of the
names can then never be taken; :mod:`analyzer.symbolic.symexec` adds ``error ∈ set`` to the
path condition of such a catch, so the exploration proves it dead.

Uncatchable errors (``States.Runtime``, ``States.DataLimitExceeded``) are never listed: no
catcher sees them anyway. A Fail state without ``Error`` fails with the empty name, which only
the wildcards match.
"""

from __future__ import annotations

import re
from typing import Any, Optional

from analyzer.model.nodes import (
    MISSING, ChoiceState, FailState, MapState, ParallelState, PassState, State, SucceedState, TaskState,
    WaitState,
)

INTRINSIC = "States.IntrinsicFailure"
PARAMETER_PATH = "States.ParameterPathFailure"
RESULT_PATH = "States.ResultPathMatchFailure"
QUERY = "States.QueryEvaluationError"
NO_CHOICE = "States.NoChoiceMatched"
BRANCH_FAILED = "States.BranchFailed"
TOLERATED = "States.ExceedToleratedFailureThreshold"

_TEMPLATE = (INTRINSIC, PARAMETER_PATH)  # a payload template or path field may fail with these (docs) or Runtime
_MEMBER_RESULT_PATH = re.compile(r"^\$\.[A-Za-z_][A-Za-z0-9_]*$")
_MEMBER_INPUT_PATH = re.compile(r"^\$\.[A-Za-z_]")


def possible_errors(state: State) -> Optional[frozenset]:
    """The catchable error names ``state`` (a Parallel or Map) can fail with, or None when unbounded."""
    if not isinstance(state, (ParallelState, MapState)):
        return None
    own = own_errors(state)
    if own is None:
        return None
    scopes = state.branches if isinstance(state, ParallelState) else (state.processor,)
    inner: set = set()
    for scope in scopes:
        if scope is None:
            return None
        for nested in scope.states.values():
            got = _state_errors(nested)
            if got is None:
                return None
            inner |= got
    if inner:
        inner.add(BRANCH_FAILED)  # only ever reported for a failed branch or iteration [unverified use]
    return frozenset(own | inner)


def _state_errors(state: State) -> Optional[set]:
    """Errors a state inside a scope can fail with (its own catchers are ignored: over-approximation)."""
    if isinstance(state, (ParallelState, MapState)):
        got = possible_errors(state)
        return None if got is None else set(got)
    if isinstance(state, TaskState) or type(state) not in _KNOWN:
        return None
    if isinstance(state, FailState):
        return _fail_errors(state)
    out = _common(state)
    if isinstance(state, ChoiceState) and state.default is MISSING:
        out.add(NO_CHOICE)
    if isinstance(state, WaitState) and (state.seconds_path is not MISSING or state.timestamp_path is not MISSING):
        out.update(_TEMPLATE)
    return out


_KNOWN = (PassState, ChoiceState, WaitState, SucceedState, FailState)


def _fail_errors(state: FailState) -> Optional[set]:
    if state.error_path is not MISSING:
        return None  # the name is computed from the data
    error = state.error
    if error is MISSING:
        out = {""}
    elif isinstance(error, str) and not (state.is_jsonata and error.lstrip().startswith("{%")):
        out = {error}
    else:
        return None
    if state.is_jsonata:
        out.add(QUERY)  # a Cause expression can fail
    elif state.cause_path is not MISSING:
        out.update(_TEMPLATE)
    return out


def _common(state: State) -> set:
    """Errors from the fields every state kind shares: templates, Assign, ResultPath, JSONata."""
    out: set = set()
    if state.is_jsonata:
        out.add(QUERY)
    for name in ("parameters", "item_selector", "result_selector", "arguments"):
        if getattr(state, name, MISSING) is not MISSING:
            out.update(_TEMPLATE)
    if getattr(state, "assign", MISSING) is not MISSING or \
            any(c.assign is not MISSING for c in getattr(state, "catch", ())):
        out.update(_TEMPLATE)
    for rule in getattr(state, "choices", ()):
        if getattr(rule, "assign", MISSING) is not MISSING:
            out.update(_TEMPLATE)
    paths = [getattr(state, "result_path", MISSING)] + [c.result_path for c in getattr(state, "catch", ())]
    if any(_result_path_can_fail(p, state) for p in paths):
        out.add(RESULT_PATH)
    return out


def _result_path_can_fail(path: Any, state: State) -> bool:
    """ResultPath ``$`` or null never fails; ``$.name`` cannot fail once a member InputPath proved the
    raw input an object (a member step on anything else is the uncatchable States.Runtime)."""
    if path is MISSING or path is None or path == "$":
        return False
    input_path = getattr(state, "input_path", MISSING)
    return not (isinstance(path, str) and _MEMBER_RESULT_PATH.match(path) and isinstance(input_path, str)
                and _MEMBER_INPUT_PATH.match(input_path))


def own_errors(state: State) -> Optional[set]:
    """Errors of the Parallel/Map state itself, before and after its branches run (None: unbounded)."""
    out = _common(state)
    if isinstance(state, MapState):
        if state.item_reader is not MISSING or state.result_writer is not MISSING:
            return None  # resources, mocked like Tasks
        out.add(QUERY)  # the items are not an array (both query languages)
        if state.is_distributed or any(v is not MISSING for v in (
                state.tolerated_failure_count, state.tolerated_failure_count_path,
                state.tolerated_failure_percentage, state.tolerated_failure_percentage_path)):
            out.add(TOLERATED)
        if any(v is not MISSING for v in (state.max_concurrency_path, state.tolerated_failure_count_path,
                                          state.tolerated_failure_percentage_path, state.item_batcher)):
            out.update(_TEMPLATE)
    return out
