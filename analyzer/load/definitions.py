"""Finding the state machine definitions inside a parsed file.

A bare ASL file holds one definition. CloudFormation/SAM templates, CDK output and
Serverless Framework files may hold several, each embedded in its own way; those are
recognised by :mod:`analyzer.templates`. Every definition comes with a locator that
maps a pointer inside the definition back to the line and column the user edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analyzer.load.source import Document, Locator, document_locator


@dataclass
class Definition:
    file: str
    document: Document
    value: Any
    locate: Locator
    origin: str = "asl"  # asl | template-object | template-string | template-sub | serverless
    resource: str | None = None  # logical id (template) or state machine key (serverless)
    source_pointer: str = ""  # where the definition sits in the file
    workflow_type: str | None = None  # as stated by the enclosing template, if any
    #: Suppressions from the host template's resource Metadata: [{"id": ..., "reason": ...}]
    metadata_ignores: list[dict[str, Any]] = field(default_factory=list)
    #: Findings about the embedding itself (e.g. a malformed definition string), as
    #: (rule id, file pointer, message) triples located in the host file.
    host_problems: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.file}#{self.resource}" if self.resource else self.file


@dataclass
class Unchecked:
    """A state machine that was found but cannot be analysed (e.g. an S3 DefinitionUri)."""

    file: str
    resource: str | None
    reason: str
    pointer: str = ""


@dataclass
class Extraction:
    definitions: list[Definition] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)
    is_template: bool = False


def looks_like_asl(value: Any) -> bool:
    return isinstance(value, dict) and ("States" in value or "StartAt" in value)


def extract(document: Document, explicit_asl: bool = False) -> Extraction:
    value = document.value
    if looks_like_asl(value) or (explicit_asl and not _looks_like_template(value)):
        return Extraction([Definition(document.path, document, value, document_locator(document))])
    if _looks_like_template(value):
        from analyzer.templates import extract_from_template

        return extract_from_template(document)
    return Extraction()


def _looks_like_template(value: Any) -> bool:
    return isinstance(value, dict) and (
        isinstance(value.get("Resources"), dict) or isinstance(value.get("stepFunctions"), dict)
    )
