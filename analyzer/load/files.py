"""From paths on disk (or stdin) to parsed documents.

Decoding is explicit: UTF-8 with or without a BOM, UTF-16 and UTF-32 by their BOM.
Any other undecodable byte becomes a :class:`ParseError` (ASL100), never a crash.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from analyzer.load.source import Document, ParseError

JSON_SUFFIXES = (".json", ".json5")
YAML_SUFFIXES = (".yaml", ".yml")
ASL_SUFFIXES = (".asl.json", ".asl.yaml", ".asl.yml")
SKIPPED_DIRS = {".git", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", ".pytest_cache"}
MAX_FILE_BYTES = 50 * 1024 * 1024

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as exc:
                raise ParseError(f"the file is not valid {encoding} text: {exc.reason}", exc.start) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = _byte_position(data, exc.start)
        raise ParseError(
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})", 0,
            line=line, column=column,
        ) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of byte ``offset`` of UTF-8 ``data``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


#: Words that only a state machine, or a template that deploys one, is likely to contain.
_MACHINE_MARKERS = ("StartAt", "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine",
                    "stepFunctions")


def mentions_state_machine(text: str | bytes) -> bool:
    """Whether a file that cannot be parsed may still be meant as a state machine.

    A directory holds plenty of JSON and YAML that is not ours to judge (``tsconfig.json``
    with comments, editor settings with trailing commas, multi-document Kubernetes YAML):
    found by walking a directory, an unparsable file is reported only when it mentions one
    of these words, and skipped otherwise. A file named on the command line is always reported.
    """
    if isinstance(text, bytes):
        return any(marker.encode() in text for marker in _MACHINE_MARKERS)
    return any(marker in text for marker in _MACHINE_MARKERS)


def is_candidate(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(JSON_SUFFIXES) or name.endswith(YAML_SUFFIXES)


def is_explicit_asl(path: str) -> bool:
    return path.lower().endswith(ASL_SUFFIXES)


def format_of(path: str, text: str) -> str:
    name = path.lower()
    if name.endswith(YAML_SUFFIXES):
        return "yaml"
    if name.endswith(JSON_SUFFIXES):
        return "json"
    stripped = text.lstrip()
    return "json" if stripped[:1] in ("{", "[") else "yaml"


def parse_text(text: str, path: str, fmt: str | None = None, yaml_schema: str | None = None) -> Document:
    """``yaml_schema``: see :func:`analyzer.load.yaml_parser.parse_yaml` (ignored for JSON)."""
    fmt = fmt or format_of(path, text)
    if fmt == "yaml":
        from analyzer.load.yaml_parser import parse_yaml

        return parse_yaml(text, path, yaml_schema)
    from analyzer.load.json_parser import parse_json

    return parse_json(text, path)


def discover(paths: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Yield ``(file, named_explicitly)`` for every file to look at, in a stable order, each
    file once: ``lint . flows/x.asl.json`` or ``lint - -`` must not report a file twice (a
    second read of stdin would only find it empty). A file both named and found in a folder
    counts as named."""
    found = list(_discover(paths))
    named = {_identity(f) for f, explicit in found if explicit}
    seen: set[str] = set()
    for file, explicit in found:
        key = _identity(file)
        if key not in seen:
            seen.add(key)
            yield file, explicit or key in named


def _identity(file: str) -> str:
    return file if file == "-" else os.path.normcase(os.path.abspath(file))


def _discover(paths: Iterable[str]) -> Iterator[tuple[str, bool]]:
    for raw in paths:
        if raw == "-":
            yield raw, True
            continue
        p = Path(raw)
        if p.is_dir():
            found = []
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not d.startswith("asset."))
                for f in files:
                    fp = Path(root) / f
                    if is_candidate(fp):
                        found.append(str(fp))
            for f in sorted(found):
                yield f, False
        else:
            yield raw, True
