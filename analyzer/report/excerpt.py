"""Source excerpts for terminal reports: the offending line with a marker under the span.

A reader should be able to fix a finding without opening the file, so the text report
shows the line a finding points at. The text comes from the report itself (the runner
keeps what it parsed, which also covers stdin) and, failing that, from disk, read once
per file. A file that cannot be read simply gets no excerpt.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Mapping

TAB_WIDTH = 4
MAX_WIDTH = 160  # longer lines are cut around the span so the marker stays on screen


class SourceCache:
    """File lines by reported path; ``None`` when the text is not available."""

    def __init__(self, sources: Mapping[str, str] | None = None, root: str | None = None) -> None:
        self._sources = sources or {}
        self._root = Path(root) if root else None
        self._lines: dict[str, list[str] | None] = {}

    def lines(self, file: str) -> list[str] | None:
        if file not in self._lines:
            self._lines[file] = self._load(file)
        return self._lines[file]

    def _load(self, file: str) -> list[str] | None:
        text = self._sources.get(file)
        if text is None:
            text = self._read(file)
        if text is None:
            return None
        return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def _read(self, file: str) -> str | None:
        if file.startswith("<"):  # <stdin> and other pseudo files
            return None
        candidates = [Path(file)]
        if self._root is not None:
            candidates.insert(0, self._root / file)
        for path in candidates:
            try:
                from analyzer.load.files import decode

                return decode(path.read_bytes())
            except Exception:  # missing, unreadable or undecodable: no excerpt, never a crash
                continue
        return None


def _cell_width(ch: str) -> int:
    if ch == "\t":
        return TAB_WIDTH
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


#: Control characters (NUL, ESC, ...) of a binary or hostile file would drive the terminal
#: (an ESC starts a colour or cursor sequence): each is shown as one replacement character,
#: which keeps the marker under the right column.
_CONTROLS = {c: "\ufffd" for c in (*range(0x00, 0x09), *range(0x0a, 0x20), 0x7f)}


def _expand(text: str) -> str:
    return text.replace("\t", " " * TAB_WIDTH).translate(_CONTROLS)


def excerpt(lines: list[str] | None, line: int, column: int, end_line: int, end_column: int) -> list[tuple[str, str]]:
    """The excerpt of one span as ``(gutter, text)`` pairs: the source line, then the marker line.

    Columns are 1-based code points with an exclusive end, as in :class:`~analyzer.load.source.Span`.
    A span that runs over several lines is underlined to the end of its first line. Tabs and
    wide characters are measured so the marker sits under the right characters.
    """
    if not lines or line < 1 or line > len(lines):
        return []
    source = lines[line - 1]
    start = max(column - 1, 0)
    start = min(start, len(source))
    stop = end_column - 1 if end_line == line else len(source)
    stop = max(min(stop, len(source)), start)
    begin = 0
    if len(source) > MAX_WIDTH:  # cut long lines (minified JSON) around the span
        begin = max(0, start - MAX_WIDTH // 3)
        source = source[begin:begin + MAX_WIDTH]
        start, stop = start - begin, min(stop - begin, len(source))
    pad = sum(_cell_width(c) for c in source[:start])
    width = max(1, sum(_cell_width(c) for c in source[start:stop]))
    prefix = "…" if begin else ""
    shown = prefix + _expand(source).rstrip()
    marker = " " * (pad + len(prefix)) + "^" + "~" * (width - 1)
    return [(str(line), shown), ("", marker)]
