"""Finding the state machine definitions inside a parsed file.

A bare ASL file holds one definition. CloudFormation/SAM templates, CDK output and
Serverless Framework files may hold several, each embedded in its own way; those are
recognised by :mod:`analyzer.templates`. Every definition comes with a locator that
maps a pointer inside the definition back to the line and column the user edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from analyzer.load.source import Document, Locator, Span, document_locator


@dataclass
class HostProblem:
    """A finding about the embedding itself (e.g. a definition string that is not JSON),
    already located in the file that holds it. The runner reports these as they are."""

    rule: str
    message: str
    span: Span


@dataclass
class Definition:
    file: str
    document: Document
    value: Any
    locate: Locator
    origin: str = "asl"  # asl | template-object | template-string | template-sub | template-uri | serverless
    resource: str | None = None  # logical id (template) or state machine key (serverless)
    source_pointer: str = ""  # where the definition sits in the file
    workflow_type: str | None = None  # as stated by the enclosing template, if any
    #: Suppressions from the host template's resource Metadata: [{"id": ..., "reason": ...,
    #: "pointer": ...}], ``pointer`` being where the entry sits in ``host``
    metadata_ignores: list[dict[str, Any]] = field(default_factory=list)
    #: Findings about the embedding itself (e.g. a malformed definition string), located
    #: in ``file``. A definition whose text could not be parsed has ``value is None`` and
    #: only these; the runner then runs no rule on it.
    host_problems: list[HostProblem] = field(default_factory=list)
    #: The file that declares the state machine (template, serverless.yml), when it is not a
    #: bare definition. Resource-level settings such as Metadata ignores live there, which
    #: may be another file than ``file`` (SAM ``DefinitionUri``).
    host: Document | None = None
    #: Written by a tool rather than by hand (a CDK ``cdk.out`` template): a copy of a
    #: definition the project may also keep as a file of its own.
    synthesized: bool = False

    @property
    def label(self) -> str:
        return f"{self.file}#{self.resource}" if self.resource else self.file

    def place(self, pointer: str, host_pointer: str | None = None) -> tuple[str, Span]:
        """The file and span to report a finding at: ``pointer`` inside the definition, or,
        with ``host_pointer``, that place of the host file (a resource's Metadata entry).
        Every finding is located through here, so reporters only read positions."""
        if host_pointer is not None and self.host is not None:
            return self.host.path, self.host.span_of(host_pointer)
        return self.file, self.locate(pointer)

    def inner_pointer(self, document_pointer: str) -> str | None:
        """A pointer into the whole file as a pointer into this definition (None when it lies
        outside it): loader records such as duplicate keys are kept per file, findings per
        definition."""
        root = self.source_pointer
        if document_pointer == root or document_pointer.startswith(root + "/"):
            return document_pointer[len(root):]
        return None


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


def extract(document: Document, explicit_asl: bool = False, base_dir: str | None = None) -> Extraction:
    value = document.value
    if looks_like_asl(value) or (explicit_asl and not _looks_like_template(value)):
        return Extraction([Definition(document.path, document, value, document_locator(document))])
    if _looks_like_template(value):
        from analyzer.templates import extract_from_template

        return extract_from_template(document, base_dir)
    return Extraction()


def _looks_like_template(value: Any) -> bool:
    if not isinstance(value, dict):
        return False
    nested = value.get("resources")  # serverless.yml keeps CloudFormation under resources.Resources
    return (isinstance(value.get("Resources"), dict) or isinstance(value.get("stepFunctions"), dict)
            or (isinstance(nested, dict) and isinstance(nested.get("Resources"), dict)))
