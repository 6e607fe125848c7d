"""Error names and how Retry/Catch match them: one statement for the rules, the interpreter and the solver.

Sources: asl-semantics §5. ``States.ALL`` matches every error except the ones that are
uncatchable by design (``States.Runtime``, ``States.DataLimitExceeded``);
``States.TaskFailed`` matches every error except ``States.Timeout`` (and, like ALL,
never the uncatchable ones). All other names match only themselves, case-sensitively.
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

ALL = "States.ALL"
TASK_FAILED = "States.TaskFailed"
TIMEOUT = "States.Timeout"
RUNTIME = "States.Runtime"
DATA_LIMIT = "States.DataLimitExceeded"

#: Errors no Retry or Catch can intercept.
UNCATCHABLE = frozenset({RUNTIME, DATA_LIMIT})

#: Every ``States.*`` name the service defines (and so the only ones allowed in ErrorEquals).
PREDEFINED = frozenset({
    ALL, "States.HeartbeatTimeout", TIMEOUT, TASK_FAILED, "States.Permissions", "States.ResultPathMatchFailure",
    "States.ParameterPathFailure", "States.BranchFailed", "States.NoChoiceMatched", "States.IntrinsicFailure",
    "States.ExceedToleratedFailureThreshold", "States.ItemReaderFailed", "States.ResultWriterFailed",
    "States.QueryEvaluationError", DATA_LIMIT, RUNTIME, "States.Http.Socket",
})

#: Errors that retrying can never fix: the same input and definition fail the same way.
NEVER_HEALS = frozenset({
    "States.Permissions", "States.ResultPathMatchFailure", "States.ParameterPathFailure",
    "States.IntrinsicFailure", "States.NoChoiceMatched", "States.QueryEvaluationError", RUNTIME, DATA_LIMIT,
})


def matches(error: str, error_equals: Iterable[str]) -> bool:
    """Whether a Retry/Catch entry with ``error_equals`` intercepts ``error``."""
    if error in UNCATCHABLE:
        return False
    for name in error_equals:
        if name == error:
            return True
        if name == ALL:
            return True
        if name == TASK_FAILED and error != TIMEOUT:
            return True
    return False


def covers(earlier: Iterable[str], name: str) -> bool:
    """Whether every error matched by the single matcher ``name`` is already matched by ``earlier``."""
    earlier = set(earlier)
    if ALL in earlier:
        return True
    if name == ALL:
        return TASK_FAILED in earlier and TIMEOUT in earlier
    if TASK_FAILED in earlier:
        return name != TIMEOUT and name != ALL
    return name in earlier


def first_match(entries: Sequence, error: str) -> Optional[int]:
    """Index of the first retrier/catcher (objects with ``error_equals``) matching ``error``."""
    for i, entry in enumerate(entries):
        if matches(error, entry.error_equals):
            return i
    return None


def retry_delay(interval: float, backoff_rate: float, attempt: int, max_delay: float | None = None) -> float:
    """Seconds before retry number ``attempt`` (0-based): ``min(interval * rate**attempt, max_delay)``."""
    delay = float(interval) * float(backoff_rate) ** attempt
    if max_delay is not None:
        delay = min(delay, float(max_delay))
    return delay


def missing_for_full_coverage(names: Iterable[str], can_time_out: bool = True) -> list[str]:
    """Matchers to add so that ``names`` (all ErrorEquals of a Catch or Retry list) intercept
    every catchable error; empty when they already do.

    ``States.ALL`` covers everything; ``States.TaskFailed`` everything but ``States.Timeout``,
    which only matters when the state can time out at all (see :func:`may_time_out`).
    """
    names = set(names)
    if ALL in names:
        return []
    missing = [] if TASK_FAILED in names else [TASK_FAILED]
    if can_time_out and TIMEOUT not in names:
        missing.append(TIMEOUT)
    return missing


_TIMEOUT_FIELDS = ("timeout_seconds", "timeout_seconds_path", "heartbeat_seconds", "heartbeat_seconds_path")


def may_time_out(state) -> bool:
    """Whether ``States.Timeout`` can come out of this Task, Parallel or Map state.

    A Task times out only when it sets ``TimeoutSeconds``/``HeartbeatSeconds`` (or their
    ``*Path`` forms): the default of 99,999,999 s is longer than any execution may run. A
    Parallel or Map times out when a Task inside it can, unless that Task's own Catch
    already takes ``States.Timeout``.
    """
    from analyzer.model.nodes import MISSING, TaskState, nested_scopes

    if isinstance(state, TaskState):
        return any(getattr(state, f) is not MISSING for f in _TIMEOUT_FIELDS)
    for scope in nested_scopes(state):
        for inner in scope.walk_states():
            if isinstance(inner, TaskState) and may_time_out(inner):
                caught = {n for c in inner.catch for n in c.error_equals}
                if not (ALL in caught or TIMEOUT in caught):
                    return True
    return False
