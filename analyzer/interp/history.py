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


class History:
    """An append-only event list; ``enabled=False`` makes every call a no-op (for speed)."""

    def __init__(self, clock, enabled: bool = True) -> None:
        self.clock = clock
        self.enabled = enabled
        self.events: list[dict[str, Any]] = []

    def add(self, event_type: str, details: dict[str, Any] | None = None) -> None:
        if not self.enabled:
            return
        n = len(self.events) + 1
        event: dict[str, Any] = {"id": n, "previousEventId": n - 1, "timestamp": self.clock.iso(),
                                 "type": event_type}
        if details is not None:
            key = _DETAILS_KEY.get(event_type)
            if key is None:
                key = "stateEnteredEventDetails" if event_type.endswith("StateEntered") else \
                    "stateExitedEventDetails" if event_type.endswith("StateExited") else \
                    event_type[0].lower() + event_type[1:] + "EventDetails"
            event[key] = details
        self.events.append(event)

    # Helpers with the payload shapes of the service ------------------------------------

    def state_entered(self, state_type: str, name: str, data: Any) -> None:
        if self.enabled:
            self.add(f"{state_type}StateEntered", {"name": name, "input": _json(data)})

    def state_exited(self, state_type: str, name: str, data: Any) -> None:
        if self.enabled:
            self.add(f"{state_type}StateExited", {"name": name, "output": _json(data)})

    def failed(self, event_type: str, error: str, cause: str) -> None:
        if self.enabled:
            self.add(event_type, {"error": error, "cause": cause})
