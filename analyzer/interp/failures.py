"""The ways an execution step can fail, as exceptions the interpreter raises and handles.

* :class:`StatesError`: an error with a name and a cause, as Step Functions reports it.
  Retry and Catch see it through :mod:`analyzer.semantics.errors`, which already knows
  that ``States.Runtime`` and ``States.DataLimitExceeded`` are uncatchable.
* :class:`Abort`: the run cannot go on for a reason of the local setup, not of the
  workflow (a Task without a mock, the transition limit). No Retry or Catch ever sees it.
* :class:`ExecutionTimeout`: the machine-level ``TimeoutSeconds`` elapsed on the virtual
  clock; the execution ends ``TIMED_OUT``.
"""

from __future__ import annotations

MOCK_MISSING = "aslcheck.MockMissing"
MAX_TRANSITIONS = "aslcheck.MaxTransitionsExceeded"
INVALID_DEFINITION = "aslcheck.InvalidDefinition"


class StatesError(Exception):
    def __init__(self, error: str, cause: str = "") -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


class Abort(Exception):
    def __init__(self, error: str, cause: str) -> None:
        super().__init__(f"{error}: {cause}")
        self.error = error
        self.cause = cause


class ExecutionTimeout(Exception):
    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.error = "States.Timeout"
        self.cause = cause
