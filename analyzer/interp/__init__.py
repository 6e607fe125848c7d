"""Local execution of state machines with mocked Tasks: ``run(definition, input, mocks=...)``.

The names are loaded on first use, so importing the package costs nothing until a run.
"""

from __future__ import annotations

__all__ = ["run", "ExecutionResult"]


def __getattr__(name: str):
    if name in __all__:
        from analyzer.interp import interpreter

        return getattr(interpreter, name)
    raise AttributeError(name)
