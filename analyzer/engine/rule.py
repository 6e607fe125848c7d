"""What a rule is, and what it produces.

A rule is a class with stable metadata (id, name, default severity, doc) and one
``check(ctx)`` generator of :class:`Finding` objects. Rules see only the analysis
context: never files, never text, never configuration globals.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Iterator, Mapping

if TYPE_CHECKING:
    from analyzer.engine.context import Context


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "note": 1}[self.value]


@dataclass(frozen=True)
class Finding:
    """A problem at one place of one definition, keyed by JSON Pointer (no positions here)."""

    rule: str
    pointer: str
    message: str
    state: str | None = None
    severity: Severity | None = None  # filled from the rule's default (or config) by the runner
    data: Mapping[str, Any] = field(default_factory=dict)  # witness, related pointers, ...
    #: A place in the file that declares the definition (its template) instead of in the
    #: definition, for findings about the declaration itself (a Metadata ignore entry).
    host_pointer: str | None = None


DOC_HEADINGS = ("What it finds", "Why it matters", "Example", "Fix")


class Rule:
    id: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.WARNING
    category: ClassVar[str] = ""
    tags: ClassVar[tuple[str, ...]] = ()
    precision: ClassVar[str] = "high"  # very-high | high | medium | low (SARIF precision)
    options: ClassVar[Mapping[str, Any]] = {}  # per-rule options with their defaults
    #: Markdown with the headings of DOC_HEADINGS; the single source for ``aslcheck rules``
    #: and SARIF help text.
    doc: ClassVar[str] = ""
    #: Whether the rule needs the z3 solver (skipped cheaply when solver passes are off).
    uses_solver: ClassVar[bool] = False

    @property
    def short_description(self) -> str:
        text = self.doc.strip().split("\n\n", 2)
        for part in text:
            part = part.strip()
            if part and not part.startswith("#"):
                return " ".join(part.split())
        return self.name

    def check(self, ctx: "Context") -> Iterator[Finding]:  # pragma: no cover - interface
        raise NotImplementedError

    def finding(self, pointer: str, message: str, state: str | None = None, **data: Any) -> Finding:
        return Finding(rule=self.id, pointer=pointer, message=message, state=state, data=data)
