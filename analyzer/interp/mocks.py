"""Mocked Task responses: our own format and AWS Step Functions Local's MockConfigFile.

Our format maps a state name to the list of its responses, one per call, in order::

    {"Fetch": [{"Return": {"id": 1}},
               {"Throw": {"Error": "Lambda.TooManyRequestsException", "Cause": "slow down"}},
               {"Return": 7, "Seconds": 30}]}

``Seconds`` (optional) is how long the call takes on the virtual clock, which is what
``TimeoutSeconds``/``HeartbeatSeconds`` are checked against. A single response object
instead of a list means "this response, every time". A distributed Map's ``ItemReader``
is mocked under the Map state's own name; its ``Return`` is the data read.

Step Functions Local's file (``StateMachines`` → name → ``TestCases`` → case → state →
response name; ``MockedResponses`` → response name → ``{"0": {...}, "1-2": {...}}``) is
turned into the same lists; invocation ranges are 0-based and must be consecutive.

Calling a Task with no response left is not a workflow error: the run stops with
``aslcheck.MockMissing`` naming the state (see :class:`analyzer.interp.failures.Abort`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from analyzer.interp.failures import MOCK_MISSING, Abort


class MockError(ValueError):
    """The mock file itself is malformed."""


@dataclass(frozen=True)
class Response:
    returns: Any = None
    error: str | None = None  # set for a Throw
    cause: str = ""
    seconds: float = 0.0

    @property
    def is_throw(self) -> bool:
        return self.error is not None


def _response(raw: Any, where: str) -> Response:
    if not isinstance(raw, dict):
        raise MockError(f"{where}: a response must be an object with Return or Throw")
    seconds = raw.get("Seconds", 0)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or seconds < 0:
        raise MockError(f"{where}: Seconds must be a non-negative number")
    if "Return" in raw and "Throw" in raw:
        raise MockError(f"{where}: a response has either Return or Throw, not both")
    if "Return" in raw:
        return Response(returns=raw["Return"], seconds=float(seconds))
    throw = raw.get("Throw")
    if not isinstance(throw, dict) or not isinstance(throw.get("Error"), str):
        raise MockError(f"{where}: a response needs Return, or Throw with an Error string")
    cause = throw.get("Cause", "")
    return Response(error=throw["Error"], cause=cause if isinstance(cause, str) else str(cause),
                    seconds=float(seconds))


class Mocks:
    """Per-state response queues; each call of a state takes the next response."""

    def __init__(self, responses: dict[str, list[Response]] | None = None,
                 repeat: dict[str, Response] | None = None) -> None:
        self.responses = responses or {}
        self.repeat = repeat or {}  # states whose single response answers every call
        self.calls: dict[str, int] = {}

    def has(self, state: str) -> bool:
        return state in self.responses or state in self.repeat

    def next(self, state: str) -> Response:
        n = self.calls.get(state, 0)
        self.calls[state] = n + 1
        if state in self.repeat:
            return self.repeat[state]
        queue = self.responses.get(state)
        if queue is None:
            raise Abort(MOCK_MISSING, f"The Task state '{state}' was called but the mocks have no entry for it")
        if n >= len(queue):
            raise Abort(MOCK_MISSING, f"The Task state '{state}' was called {n + 1} times but the mocks give only "
                                      f"{len(queue)} response{'s' if len(queue) != 1 else ''}")
        return queue[n]

    def returned(self, response: Response) -> Any:
        """A private copy of a Return value (the workflow may not alias the mock data)."""
        return copy.deepcopy(response.returns)


def from_value(value: Any, test_case: str | None = None, state_machine: str | None = None) -> Mocks:
    """Build :class:`Mocks` from a parsed mock file of either format."""
    if value is None:
        return Mocks()
    if not isinstance(value, dict):
        raise MockError("the mock file must hold a JSON object")
    if "StateMachines" in value or "MockedResponses" in value:
        return _from_sfl(value, test_case, state_machine)
    if test_case is not None:
        raise MockError("--test-case applies only to a Step Functions Local mock configuration file")
    responses: dict[str, list[Response]] = {}
    repeat: dict[str, Response] = {}
    for state, raw in value.items():
        if isinstance(raw, list):
            responses[state] = [_response(r, f"{state}[{i}]") for i, r in enumerate(raw)]
        else:
            repeat[state] = _response(raw, state)
    return Mocks(responses, repeat)


def _parse_range(text: str, where: str) -> tuple[int, int]:
    parts = text.strip().split("-")
    try:
        if len(parts) == 1:
            return int(parts[0]), int(parts[0])
        if len(parts) == 2:
            lo, hi = int(parts[0]), int(parts[1])
            if lo <= hi:
                return lo, hi
    except ValueError:
        pass
    raise MockError(f"{where}: invocation range {text!r} must be a number such as \"0\" or a range such as \"1-2\"")


def _from_sfl(value: dict, test_case: str | None, state_machine: str | None) -> Mocks:
    machines = value.get("StateMachines")
    named = value.get("MockedResponses")
    if not isinstance(machines, dict) or not isinstance(named, dict):
        raise MockError("a Step Functions Local mock file needs StateMachines and MockedResponses objects")
    if test_case is None:
        raise MockError("this is a Step Functions Local mock file: choose a test case with --test-case")
    if state_machine is not None:
        if state_machine not in machines:
            raise MockError(f"the mock file has no state machine {state_machine!r} (it has: "
                            + ", ".join(sorted(machines)) + ")")
        candidates = [state_machine]
    else:
        candidates = [m for m, cfg in machines.items()
                      if isinstance(cfg, dict) and isinstance(cfg.get("TestCases"), dict)
                      and test_case in cfg["TestCases"]]
        if not candidates:
            raise MockError(f"no state machine in the mock file has a test case {test_case!r}")
        if len(candidates) > 1:
            raise MockError(f"several state machines have a test case {test_case!r} ("
                            + ", ".join(sorted(candidates)) + "); choose one with --state-machine")
    machine = machines[candidates[0]]
    cases = machine.get("TestCases") if isinstance(machine, dict) else None
    if not isinstance(cases, dict) or test_case not in cases:
        raise MockError(f"state machine {candidates[0]!r} has no test case {test_case!r}")
    case = cases[test_case]
    if not isinstance(case, dict):
        raise MockError(f"test case {test_case!r} must map state names to mocked response names")
    responses: dict[str, list[Response]] = {}
    for state, response_name in case.items():
        entry = named.get(response_name) if isinstance(response_name, str) else None
        if not isinstance(entry, dict) or not entry:
            raise MockError(f"test case {test_case!r}: no mocked response named {response_name!r}")
        ranged = []
        for key, raw in entry.items():
            lo, hi = _parse_range(key, f"{response_name}.{key}")
            ranged.append((lo, hi, _response(raw, f"{response_name}.{key}")))
        ranged.sort(key=lambda r: r[0])
        queue: list[Response] = []
        for lo, hi, resp in ranged:
            if lo != len(queue):
                raise MockError(f"{response_name}: invocation ranges must be consecutive from 0 (expected "
                                f"{len(queue)}, found {lo})")
            queue.extend([resp] * (hi - lo + 1))
        responses[state] = queue
    return Mocks(responses)
