"""Parsed documents that remember where every key and value came from.

A :class:`Document` holds the value tree of one JSON or YAML file together with
the character offsets of every value and every object key, indexed by JSON
Pointer. Offsets are turned into 1-based line/column spans lazily through a
:class:`LineIndex`, so loading stays cheap and only reported places pay for the
conversion.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any, Callable, Optional

from analyzer.load import pointer as jp


@dataclass(frozen=True, slots=True)
class Span:
    """A 1-based, end-exclusive region of a file (``end_column`` is one past the last character)."""

    line: int
    column: int
    end_line: int
    end_column: int

    def as_dict(self) -> dict[str, int]:
        return {
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
        }


class LineIndex:
    """Maps character offsets of one text to 1-based (line, column) pairs."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Span(line, col, end_line, end_col)

    def line_count(self) -> int:
        return len(self._starts)


class ParseError(Exception):
    """A syntax or encoding problem, with the offset where it was found."""

    def __init__(self, message: str, offset: int = 0, *, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class DuplicateKey:
    pointer: str  # pointer of the object member that is repeated
    key: str
    first: tuple[int, int]  # offsets of the first occurrence of the key
    second: tuple[int, int]  # offsets of the repeated key


@dataclass(frozen=True, slots=True)
class YamlReading:
    """A plain YAML scalar that YAML 1.1 and YAML 1.2 read as different values (``No`` is
    false under 1.1 and the string "No" under 1.2; ``010`` is 8 or 10)."""

    pointer: str  # the member whose key it is, or the value it is
    is_key: bool
    text: str
    yaml_11: Any  # the value under YAML 1.1
    yaml_12: Any  # the value under the YAML 1.2 core schema
    used: str  # which of the two this document was read with: "1.1" or "1.2"


@dataclass
class Document:
    """One parsed file: its text, its value tree and the offsets of every node."""

    path: str
    text: str
    value: Any
    format: str  # "json" or "yaml"
    value_offsets: dict[str, tuple[int, int]] = field(default_factory=dict)
    key_offsets: dict[str, tuple[int, int]] = field(default_factory=dict)
    duplicates: list[DuplicateKey] = field(default_factory=list)
    yaml_readings: list[YamlReading] = field(default_factory=list)
    _lines: Optional[LineIndex] = None

    @property
    def lines(self) -> LineIndex:
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines

    def offsets_of(self, pointer: str, prefer_key: bool = True) -> tuple[int, int] | None:
        """Offsets of the node at ``pointer`` (its key when it has one), or of the nearest ancestor."""
        for p in jp.ancestors(pointer):
            if prefer_key and p in self.key_offsets:
                return self.key_offsets[p]
            if p in self.value_offsets:
                return self.value_offsets[p]
        return None

    def span_of(self, pointer: str, prefer_key: bool = True) -> Span:
        offsets = self.offsets_of(pointer, prefer_key)
        if offsets is None:
            return Span(1, 1, 1, 1)
        return self.lines.span(*offsets)

    def value_span(self, pointer: str) -> Span:
        return self.span_of(pointer, prefer_key=False)


Locator = Callable[[str], Span]
"""Maps a JSON Pointer inside a definition to the span a report should show."""


def document_locator(document: Document, root: str = "") -> Locator:
    """The locator for a definition stored as a plain subtree of ``document`` at ``root``."""

    def locate(pointer: str) -> Span:
        return document.span_of(root + pointer)

    return locate
