"""The one place that imports and configures z3.

Every solver the model checker uses is made here, so every query runs under the same
budget: a fixed random seed (reproducible models), a per-query wall-clock ``timeout`` and a
per-query resource limit (``rlimit``, machine independent, because wall-clock limits are
only softly enforced). z3 is imported lazily: ``aslcheck --version`` and a lint run with the
solver switched off never load it.

A property check answers with a :class:`Verdict`; ``unknown`` (budget exhausted, or a
construct outside the exact encoding) is never promoted to ``proved``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

PROVED, VIOLATED, UNKNOWN = "proved", "violated", "unknown"

_z3 = None


def z3():
    """The z3 module, configured once (ASCII strings: printable witnesses, faster string theory)."""
    global _z3
    if _z3 is None:
        import z3 as module

        module.set_param("encoding", "ascii")
        _z3 = module
    return _z3


@dataclass(frozen=True)
class Verdict:
    """``proved``: the property holds for every input; ``violated``: ``witness`` breaks it."""

    status: str
    witness: Any = None
    reason: str = ""

    @property
    def proved(self) -> bool:
        return self.status == PROVED


@dataclass
class Budget:
    timeout_ms: int = 2000
    rlimit: int = 5_000_000
    seed: int = 0

    @classmethod
    def from_settings(cls, solver_settings) -> "Budget":
        if solver_settings is None:
            return cls()
        return cls(timeout_ms=int(getattr(solver_settings, "timeout_ms", 2000) or 0),
                   rlimit=int(getattr(solver_settings, "rlimit", 5_000_000) or 0),
                   seed=int(getattr(solver_settings, "seed", 0) or 0))


def make_solver(budget: Optional[Budget] = None):
    """A fresh incremental solver with the seed, timeout and resource limit of ``budget``."""
    m = z3()
    budget = budget or Budget()
    s = m.SimpleSolver()
    s.set("random_seed", budget.seed)
    s.set("timeout", max(1, budget.timeout_ms))
    if budget.rlimit:
        s.set("rlimit", budget.rlimit)
    return s


class Checker:
    """One solver with push/pop, counting the answers it gives (for the coverage summary)."""

    def __init__(self, budget: Optional[Budget] = None) -> None:
        self.solver = make_solver(budget)
        self.queries = 0
        self.unknowns = 0
        self._model = None

    def push(self) -> None:
        self.solver.push()

    def pop(self) -> None:
        self.solver.pop()

    def add(self, *constraints) -> None:
        m = z3()
        for c in constraints:
            if isinstance(c, bool):  # never assert a Python bool by accident
                c = m.BoolVal(c)
            self.solver.add(c)

    def check(self, *assumptions) -> str:
        """``sat``, ``unsat`` or ``unknown`` for the current assertions plus ``assumptions``."""
        m = z3()
        self.queries += 1
        clean = [m.BoolVal(a) if isinstance(a, bool) else a for a in assumptions]
        # The assumptions are asserted inside a push/pop scope rather than passed to ``check``:
        # z3's assumption handling crashed (SIGSEGV) on some long sequences of these queries.
        self.solver.push()
        try:
            self.solver.add(*clean)
            result = self.solver.check()
        except m.Z3Exception:
            result = m.unknown
        finally:
            try:
                self._model = self.solver.model() if result == m.sat else None
            except m.Z3Exception:
                self._model = None
            self.solver.pop()
        if result == m.sat:
            return "sat"
        if result == m.unsat:
            return "unsat"
        self.unknowns += 1
        return "unknown"

    def model(self):
        """The model of the last ``sat`` check, or None when z3 cannot produce one."""
        return self._model
