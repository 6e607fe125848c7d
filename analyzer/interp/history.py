"""Execution history events, named as ``GetExecutionHistory`` names them.

Each event has ``id`` (from 1), ``previousEventId`` (the event before it, 0 for the first),
``timestamp`` (virtual clock), ``type`` and a details object under the key AWS uses
(``executionStartedEventDetails``, ``stateEnteredEventDetails``, ...).
"""

from __future__ import annotations

import json
from typing import Any

_DETAILS_KEY = {
    "ExecutionStarted": "executionStartedEventDetails",
    "ExecutionSucceeded": "executionSucceededEventDetails",
    "ExecutionFailed": "executionFailedEventDetails",
    "ExecutionTimedOut": "executionTimedOutEventDetails",
    "TaskScheduled": "taskScheduledEventDetails",
    "TaskStarted": "taskStartedEventDetails",
    "TaskSucceeded": "taskSucceededEventDetails",
    "TaskFailed": "taskFailedEventDetails",
    "TaskTimedOut": "taskTimedOutEventDetails",
    "MapStateStarted": "mapStateStartedEventDetails",
    "MapIterationStarted": "mapIterationStartedEventDetails",
    "MapIterationSucceeded": "mapIterationSucceededEventDetails",
    "MapIterationFailed": "mapIterationFailedEventDetails",
    "MapRunStarted": "mapRunStartedEventDetails",
    "MapRunSucceeded": "mapRunSucceededEventDetails",
    "MapRunFailed": "mapRunFailedEventDetails",
}


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class _Json:
    """A value to be serialised when the events are read (values are never mutated in place)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


def _materialise(details: dict[str, Any]) -> dict[str, Any]:
    return {k: _json(v.value) if isinstance(v, _Json) else v for k, v in details.items()}


class History:
    """An append-only event list; ``enabled=False`` makes every call a no-op (for speed).

    Events are recorded cheaply (the virtual time and references to the data) and turned
    into the service's shape, with JSON strings and timestamps, only when ``events`` is read.
    """

    def __init__(self, clock, enabled: bool = True) -> None:
        self.clock = clock
        self.enabled = enabled
        self._raw: list[tuple[str, float, dict[str, Any] | None]] = []

    @property
    def events(self) -> list[dict[str, Any]]:
        out = []
        for n, (event_type, elapsed, details) in enumerate(self._raw, start=1):
            event: dict[str, Any] = {"id": n, "previousEventId": n - 1, "timestamp": self.clock.iso(elapsed),
                                     "type": event_type}
            if details is not None:
                event[_details_key(event_type)] = _materialise(details)
            out.append(event)
        return out

    def add(self, event_type: str, details: dict[str, Any] | None = None) -> None:
        if self.enabled:
            self._raw.append((event_type, self.clock.elapsed, details))

    # Helpers with the payload shapes of the service ------------------------------------

    def state_entered(self, state_type: str, name: str, data: Any) -> None:
        if self.enabled:
            self._raw.append((f"{state_type}StateEntered", self.clock.elapsed, {"name": name, "input": _Json(data)}))

    def state_exited(self, state_type: str, name: str, data: Any) -> None:
        if self.enabled:
            self._raw.append((f"{state_type}StateExited", self.clock.elapsed, {"name": name, "output": _Json(data)}))

    def failed(self, event_type: str, error: str, cause: str) -> None:
        if self.enabled:
            self._raw.append((event_type, self.clock.elapsed, {"error": error, "cause": cause}))


def json_value(value: Any) -> _Json:
    """Wrap a JSON value that an event shows as a JSON string."""
    return _Json(value)


def _details_key(event_type: str) -> str:
    key = _DETAILS_KEY.get(event_type)
    if key is not None:
        return key
    if event_type.endswith("StateEntered"):
        return "stateEnteredEventDetails"
    if event_type.endswith("StateExited"):
        return "stateExitedEventDetails"
    return event_type[0].lower() + event_type[1:] + "EventDetails"
