"""A JSON parser that records where each key and value sits and notices duplicate keys.

The standard library keeps the last of two equal keys without a word, and gives no
positions; both matter for a linter (two states with one name is a classic mistake).
The parser is iterative, so deeply nested input cannot exhaust the Python stack.
"""

from __future__ import annotations

import json
import re
from typing import Any

from analyzer.load import pointer as jp
from analyzer.load.source import Document, DuplicateKey, ParseError

_WS = re.compile(r"[ \t\n\r]*")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\.)*"', re.DOTALL)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_LITERALS = {"true": True, "false": False, "null": None}

MAX_DEPTH = 10_000


def _describe(text: str, pos: int) -> str:
    if pos >= len(text):
        return "end of file"
    return repr(text[pos])


def _string(text: str, pos: int) -> tuple[str, int]:
    m = _STRING.match(text, pos)
    if m is None:
        end = text.find("\n", pos)
        bad = next((i for i in range(pos + 1, len(text)) if text[i] < " " ), None)
        if bad is not None and (end == -1 or bad <= end):
            raise ParseError("control character inside a string (unterminated string?)", bad)
        raise ParseError("unterminated string", pos)
    raw = m.group(0)
    if "\\" in raw:
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise ParseError(f"invalid escape in string: {exc.msg}", pos + getattr(exc, "pos", 0)) from None
    else:
        value = raw[1:-1]
    return value, m.end()


def parse_json(text: str, path: str = "<input>") -> Document:
    """Parse ``text`` into a :class:`Document`; raises :class:`ParseError` on bad syntax."""
    doc = Document(path=path, text=text, value=None, format="json")
    value_offsets = doc.value_offsets
    key_offsets = doc.key_offsets
    n = len(text)
    pos = _WS.match(text, 0).end()
    if pos >= n:
        raise ParseError("the file is empty", 0)

    # Stack frames: [container, pointer, start offset, pending key, pending key offsets, seen keys]
    stack: list[list[Any]] = []
    root: Any = None
    expect_value = True

    def attach(value: Any, start: int, end: int) -> None:
        nonlocal root
        if not stack:
            root = value
            value_offsets[""] = (start, end)
            return
        frame = stack[-1]
        container = frame[0]
        if isinstance(container, dict):
            key = frame[3]
            ptr = jp.join(frame[1], key)
            container[key] = value
        else:
            ptr = jp.join(frame[1], len(container))
            container.append(value)
        value_offsets[ptr] = (start, end)

    while True:
        pos = _WS.match(text, pos).end()
        if expect_value:
            if pos >= n:
                raise ParseError("unexpected end of file: a value was expected", pos)
            ch = text[pos]
            if ch == "{" or ch == "[":
                if len(stack) >= MAX_DEPTH:
                    raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", pos)
                container: Any = {} if ch == "{" else []
                if stack:
                    frame = stack[-1]
                    ptr = jp.join(frame[1], frame[3] if isinstance(frame[0], dict) else len(frame[0]))
                else:
                    ptr = ""
                stack.append([container, ptr, pos, None, None, {}])
                pos += 1
                pos = _WS.match(text, pos).end()
                if ch == "{":
                    if pos < n and text[pos] == "}":
                        pos = _close(stack, pos + 1, attach)
                        expect_value = False
                        if not stack:
                            break
                        continue
                    pos = _read_key(text, pos, stack[-1], doc)
                    continue
                if pos < n and text[pos] == "]":
                    pos = _close(stack, pos + 1, attach)
                    expect_value = False
                    if not stack:
                        break
                    continue
                continue
            if ch == '"':
                value, end = _string(text, pos)
            elif ch == "-" or "0" <= ch <= "9":
                m = _NUMBER.match(text, pos)
                if m is None:
                    raise ParseError("malformed number", pos)
                tok = m.group(0)
                end = m.end()
                value = float(tok) if ("." in tok or "e" in tok or "E" in tok) else int(tok)
            else:
                for word, lit in _LITERALS.items():
                    if text.startswith(word, pos):
                        value, end = lit, pos + len(word)
                        break
                else:
                    raise ParseError(f"unexpected {_describe(text, pos)}: a value was expected", pos)
            attach(value, pos, end)
            pos = end
            expect_value = False
            if not stack:
                break
            continue

        # After a value inside a container: expect ',' or the closing bracket.
        frame = stack[-1]
        is_obj = isinstance(frame[0], dict)
        if pos >= n:
            raise ParseError(f"unexpected end of file: '{'}' if is_obj else ']'}' or ',' expected", pos)
        ch = text[pos]
        if ch == ",":
            comma = pos
            pos = _WS.match(text, pos + 1).end()
            if is_obj:
                if pos < n and text[pos] == "}":
                    raise ParseError("trailing comma: JSON allows no ',' before '}'", comma)
                pos = _read_key(text, pos, frame, doc)
            else:
                if pos < n and text[pos] == "]":
                    raise ParseError("trailing comma: JSON allows no ',' before ']'", comma)
            expect_value = True
            continue
        if (ch == "}" and is_obj) or (ch == "]" and not is_obj):
            pos = _close(stack, pos + 1, attach)
            if not stack:
                break
            continue
        expected = "',' or '}'" if is_obj else "',' or ']'"
        raise ParseError(f"unexpected {_describe(text, pos)}: {expected} expected", pos)

    pos = _WS.match(text, pos).end()
    if pos < n:
        raise ParseError(f"unexpected {_describe(text, pos)} after the end of the document", pos)
    doc.value = root
    return doc


def _read_key(text: str, pos: int, frame: list[Any], doc: Document) -> int:
    if pos >= len(text) or text[pos] != '"':
        raise ParseError(f"unexpected {_describe(text, pos)}: an object key (a quoted string) was expected", pos)
    key, end = _string(text, pos)
    ptr = jp.join(frame[1], key)
    seen = frame[5]
    if key in seen:
        doc.duplicates.append(DuplicateKey(ptr, key, seen[key], (pos, end)))
    seen[key] = (pos, end)
    doc.key_offsets[ptr] = (pos, end)  # the last occurrence is the one whose value survives
    frame[3] = key
    pos = _WS.match(text, end).end()
    if pos >= len(text) or text[pos] != ":":
        raise ParseError(f"unexpected {_describe(text, pos)}: ':' expected after the key", pos)
    return pos + 1


def _close(stack: list[list[Any]], end: int, attach: Any) -> int:
    frame = stack.pop()
    attach(frame[0], frame[2], end)
    return end
