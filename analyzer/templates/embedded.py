"""Parse a definition assembled from segments and map every position back to the template.

The segments are joined into one JSON text in which each placeholder is a marker
(wrapped in quotes when it stands outside any JSON string, as in
``"TimeoutSeconds": ${Timeout}``). That text is parsed with positions; markers are then
replaced by stand-ins that fit their key (see :mod:`analyzer.templates.standins`),
and every recorded offset is translated into a template offset. The result is a
:class:`Document` over the *template's* text whose pointers are the definition's own,
so rules, locators and duplicate-key reports work on it unchanged.

A text that is not JSON gives an ASL100 :class:`HostProblem` at the template position
of the parse error instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from analyzer.load import pointer as jp
from analyzer.load.definitions import HostProblem
from analyzer.load.json_parser import parse_json
from analyzer.load.source import Document, DuplicateKey, ParseError, Span
from analyzer.templates import standins
from analyzer.templates.segments import Literal, Placeholder, Segment

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters: never part of a real definition
_MARKER = re.compile(_OPEN + r"(\d+)" + _CLOSE)


@dataclass
class Assembled:
    text: str
    starts: list[int]  # template offset where each character of ``text`` starts
    ends: list[int]  # ... and ends
    placeholders: list[tuple[Placeholder, bool]]  # (placeholder, written outside a string)


def assemble(segments: list[Segment]) -> Assembled:
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    placeholders: list[tuple[Placeholder, bool]] = []
    in_string = escaped = False
    for seg in segments:
        if isinstance(seg, Literal):
            parts.append(seg.text)
            starts.extend(seg.offsets)
            ends.extend(o + 1 for o in seg.offsets)
            for ch in seg.text:  # track whether the next placeholder lands inside a JSON string
                if escaped:
                    escaped = False
                elif ch == "\\" and in_string:
                    escaped = True
                elif ch == '"':
                    in_string = not in_string
            continue
        outside = not in_string
        marker = f"{_OPEN}{len(placeholders)}{_CLOSE}"
        if outside:
            marker = f'"{marker}"'
        placeholders.append((seg, outside))
        parts.append(marker)
        starts.extend([seg.start] * len(marker))
        ends.extend([seg.end] * len(marker))
    return Assembled("".join(parts), starts, ends, placeholders)


class _Remapper:
    def __init__(self, inner: Document, asm: Assembled) -> None:
        self.inner = inner
        self.asm = asm
        self.value_offsets: dict[str, tuple[int, int]] = {}
        self.key_offsets: dict[str, tuple[int, int]] = {}
        self.renamed: dict[str, str] = {}

    def span(self, offsets: tuple[int, int] | None) -> tuple[int, int] | None:
        if offsets is None:
            return None
        s, e = offsets
        starts, ends = self.asm.starts, self.asm.ends
        if not starts:
            return None
        start = starts[min(s, len(starts) - 1)]
        end = ends[min(max(e - 1, 0), len(ends) - 1)]
        return start, max(end, start)

    def text(self, s: str, key: str | None, whole_value: bool) -> Any:
        m = _MARKER.fullmatch(s)
        if m and whole_value:
            ph, outside = self.asm.placeholders[int(m.group(1))]
            if outside:
                return standins.bare(key, ph.standin)
            return standins.quoted(key, ph.standin, ph.name)
        return _MARKER.sub(lambda mm: self._inline(int(mm.group(1))), s)

    def _inline(self, index: int) -> str:
        ph = self.asm.placeholders[index][0]
        return ph.standin.text if ph.standin.text else ph.name

    def node(self, value: Any, old: str, new: str, key: str | None) -> Any:
        self.renamed[old] = new
        mapped = self.span(self.inner.value_offsets.get(old))
        if mapped:
            self.value_offsets[new] = mapped
        if isinstance(value, dict):
            out: dict[str, Any] = {}
            for k, v in value.items():
                nk = self.text(k, None, False) if _OPEN in k else k
                old_child, new_child = jp.join(old, k), jp.join(new, nk)
                kspan = self.span(self.inner.key_offsets.get(old_child))
                if kspan:
                    self.key_offsets[new_child] = kspan
                out[nk] = self.node(v, old_child, new_child, nk)
            return out
        if isinstance(value, list):
            return [self.node(v, jp.join(old, i), jp.join(new, i), key) for i, v in enumerate(value)]
        if isinstance(value, str) and _OPEN in value:
            return self.text(value, key, True)
        return value


def parse_segments(segments: list[Segment], host: Document) -> tuple[Document | None, HostProblem | None]:
    """The definition document (positions in ``host``), or the ASL100 problem that stops it."""
    asm = assemble(segments)
    try:
        inner = parse_json(asm.text, host.path)
    except ParseError as exc:
        if asm.starts:
            offset = asm.starts[min(exc.offset, len(asm.starts) - 1)]
        else:
            offset = segments[0].start if segments and isinstance(segments[0], Placeholder) else 0
        line, col = host.lines.position(offset)
        return None, HostProblem("ASL100", f"the definition string is not valid JSON: {exc.message}",
                                 Span(line, col, line, col + 1))
    remap = _Remapper(inner, asm)
    value = remap.node(inner.value, "", "", None)
    duplicates = []
    for dup in inner.duplicates:
        first, second = remap.span(dup.first), remap.span(dup.second)
        if first and second:
            duplicates.append(DuplicateKey(remap.renamed.get(dup.pointer, dup.pointer), dup.key, first, second))
    doc = Document(path=host.path, text=host.text, value=value, format=host.format,
                   value_offsets=remap.value_offsets, key_offsets=remap.key_offsets, duplicates=duplicates)
    return doc, None
