"""State machine resources of CloudFormation and SAM templates (CDK output included).

``AWS::StepFunctions::StateMachine`` and ``AWS::Serverless::StateMachine`` give their
definition in one of these ways, each handled here:

* ``Definition``: an object in the template (positions are the template's own);
* ``DefinitionString``: a JSON string, plain or built by ``Fn::Sub`` / ``Fn::Join``
  (the form CDK emits), parsed on its own and mapped back into the template;
* ``DefinitionUri`` (SAM): a local file, followed relative to the template and reported
  in that file; an S3 URI or ``{Bucket, Key}`` object cannot be checked;
* ``DefinitionS3Location``: cannot be checked.

``DefinitionSubstitutions`` apply to all of them. ``StateMachineType`` (CloudFormation)
or ``Type`` (SAM) gives the workflow type, and ``Metadata.aslcheck.ignore`` the
resource-level suppressions.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from typing import Any

from analyzer.load import pointer as jp
from analyzer.load.definitions import Definition, Extraction, HostProblem, Unchecked
from analyzer.load.source import Document, ParseError, Span, document_locator
from analyzer.templates.embedded import parse_segments
from analyzer.templates.intrinsics import Resolver, is_intrinsic
from analyzer.templates.object_form import Lookup, resolve_tree, substitutions_lookup
from analyzer.templates.segments import Literal, Unresolvable, apply_substitutions, segments_of

STATE_MACHINE_TYPES = ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")
WORKFLOW_TYPES = ("STANDARD", "EXPRESS")


def metadata_ignores(resource: dict[str, Any], pointer: str = "") -> list[dict[str, Any]]:
    """``Metadata: {aslcheck: {ignore: [{id: ASL301, reason: ...}]}}`` (a bare id string is accepted
    too), each entry with the ``pointer`` where it sits in the template (``pointer`` is the
    resource's). An entry that is neither an id nor an object with one comes back with
    ``id: None``, so that it is reported as malformed rather than silently dropped."""
    meta = resource.get("Metadata")
    conf = meta.get("aslcheck") if isinstance(meta, dict) else None
    items = conf.get("ignore") if isinstance(conf, dict) else None
    base = jp.join(pointer, "Metadata", "aslcheck", "ignore")
    if isinstance(items, (str, dict)):
        entries = [(items, base)]
    elif isinstance(items, list):
        entries = [(item, jp.join(base, i)) for i, item in enumerate(items)]
    else:
        entries = [] if items is None else [(items, base)]
    out = []
    for item, where in entries:
        if isinstance(item, str):
            out.append({"id": item, "reason": None, "pointer": where})
        elif isinstance(item, dict):
            rule_id = item.get("id")
            out.append({"id": rule_id if isinstance(rule_id, str) else None, "reason": item.get("reason"),
                        "pointer": where})
        else:
            out.append({"id": None, "reason": None, "pointer": where})
    return out


def workflow_type(value: Any, resolver: Resolver) -> str | None:
    if value is None:
        return None
    text = resolver.value(value).text.strip().upper()
    return text if text in WORKFLOW_TYPES else None


class TemplateReader:
    """Collects the state machines of one parsed template into an :class:`Extraction`."""

    def __init__(self, document: Document, out: Extraction, resolver: Resolver, base_dir: str | None) -> None:
        self.doc = document
        self.out = out
        self.resolver = resolver
        self.base_dir = base_dir
        #: how files pulled in by the template are read when they are YAML: as the tool that
        #: deploys the template reads them (None: YAML 1.1, as CloudFormation and SAM do)
        self.yaml_schema: str | None = None

    def read_resources(self, resources: dict[str, Any], pointer: str) -> None:
        for logical_id, resource in resources.items():
            if isinstance(resource, dict) and resource.get("Type") in STATE_MACHINE_TYPES:
                self.read_state_machine(logical_id, resource, jp.join(pointer, logical_id))

    def synthesized(self, resource: dict[str, Any]) -> bool:
        """Whether the template was written by ``cdk synth`` (it sits in a ``cdk.out`` folder,
        or its resources carry CDK's ``aws:cdk:path`` Metadata)."""
        meta = resource.get("Metadata")
        return "cdk.out" in PurePosixPath(self.doc.path.replace("\\", "/")).parts[:-1] or (
            isinstance(meta, dict) and "aws:cdk:path" in meta)

    def unchecked(self, resource: str, reason: str, pointer: str) -> None:
        self.out.unchecked.append(Unchecked(self.doc.path, resource, reason, pointer))

    def read_state_machine(self, logical_id: str, resource: dict[str, Any], pointer: str) -> None:
        props = resource.get("Properties")
        props_ptr = jp.join(pointer, "Properties")
        if not isinstance(props, dict):
            self.unchecked(logical_id, "the resource has no Properties", pointer)
            return
        serverless_sam = resource.get("Type") == "AWS::Serverless::StateMachine"
        common = {
            "resource": logical_id,
            "workflow_type": workflow_type(props.get("Type" if serverless_sam else "StateMachineType"),
                                           self.resolver),
            "metadata_ignores": metadata_ignores(resource, pointer),
            "host": self.doc,
            "synthesized": self.synthesized(resource),
        }
        lookup = substitutions_lookup(props.get("DefinitionSubstitutions"), self.resolver)
        if "Definition" in props:
            self.object_definition(props["Definition"], jp.join(props_ptr, "Definition"), lookup, common)
        elif "DefinitionString" in props:
            self.string_definition(props["DefinitionString"], jp.join(props_ptr, "DefinitionString"), lookup,
                                   common)
        elif serverless_sam and "DefinitionUri" in props:
            self.uri_definition(props["DefinitionUri"], jp.join(props_ptr, "DefinitionUri"), lookup, common)
        elif "DefinitionS3Location" in props:
            self.unchecked(logical_id, "the definition is stored in S3 (DefinitionS3Location)",
                           jp.join(props_ptr, "DefinitionS3Location"))
        else:
            self.unchecked(logical_id, "the resource gives no definition", props_ptr)

    # -- the three ways of giving a definition ---------------------------------------------
    def object_definition(self, value: Any, pointer: str, lookup: Lookup, common: dict[str, Any],
                          origin: str = "template-object") -> None:
        if not isinstance(value, dict) or is_intrinsic(value):
            what = next(iter(value)) if is_intrinsic(value) else type(value).__name__
            self.unchecked(common["resource"], f"Definition is given by {what}, not an object", pointer)
            return
        self.out.definitions.append(Definition(
            file=self.doc.path, document=self.doc, value=resolve_tree(value, self.resolver, lookup),
            locate=document_locator(self.doc, pointer), origin=origin, source_pointer=pointer, **common,
        ))

    def string_definition(self, value: Any, pointer: str, lookup: Lookup, common: dict[str, Any],
                          origin: str | None = None) -> None:
        try:
            segments = segments_of(self.doc, pointer, value, self.resolver)
        except Unresolvable as exc:
            self.unchecked(common["resource"], f"DefinitionString cannot be resolved: {exc}", pointer)
            return
        if not any(isinstance(s, Literal) for s in segments):
            fn = next(iter(value)) if isinstance(value, dict) and value else "a function"
            self.unchecked(common["resource"], f"DefinitionString is given by {fn}, known only after deployment",
                           pointer)
            return
        segments = apply_substitutions(segments, lookup)
        if origin is None:
            origin = "template-string" if isinstance(value, str) else "template-sub"
        doc, problem = parse_segments(segments, self.doc)
        if doc is None:
            self.out.definitions.append(Definition(
                file=self.doc.path, document=self.doc, value=None, locate=document_locator(self.doc, pointer),
                origin=origin, source_pointer=pointer, host_problems=[problem] if problem else [], **common,
            ))
            return
        self.out.definitions.append(Definition(
            file=self.doc.path, document=doc, value=doc.value, locate=document_locator(doc), origin=origin,
            source_pointer="", **common,
        ))

    def uri_definition(self, value: Any, pointer: str, lookup: Lookup, common: dict[str, Any],
                       address: str | None = None) -> None:
        resource = common["resource"]
        if isinstance(value, dict):
            self.unchecked(resource, "the definition is stored in S3 (DefinitionUri Bucket/Key)", pointer)
            return
        if not isinstance(value, str) or not value.strip():
            self.unchecked(resource, "DefinitionUri is not a path", pointer)
            return
        if value.startswith("s3://"):
            self.unchecked(resource, f"the definition is stored in S3 ({value})", pointer)
            return
        shown = _relative_display(self.doc.path, value)
        real = os.path.join(self.base_dir, value) if self.base_dir is not None else shown
        try:
            with open(real, "rb") as fh:
                data = fh.read()
        except OSError:
            what = "${file(...)}" if address is not None or self.yaml_schema == "core" else "DefinitionUri"
            self.unchecked(resource, f"{what} file {shown} was not found", pointer)
            return
        self.file_definition(data, shown, lookup, common, address, pointer)

    def file_definition(self, data: bytes, shown: str, lookup: Lookup, common: dict[str, Any],
                        address: str | None = None, pointer: str = "") -> None:
        """A definition file read for the template, reported in that file.

        ``address`` (Serverless ``${file(flows.yml):orders.definition}``) names the part of
        the file that holds the definition, as dot-separated keys.

        ``DefinitionSubstitutions`` are plain text replacement, so a JSON file may hold
        ``"TimeoutSeconds": ${Timeout}`` and only be JSON once substituted: JSON files are
        therefore parsed as text with placeholders, YAML files as YAML with placeholder
        strings.
        """
        from analyzer.load.files import decode, format_of, parse_text

        text = ""
        try:
            text = decode(data)
            if format_of(shown, text) == "json":
                host = Document(shown, text, None, "json")
                segments = apply_substitutions([Literal(text, list(range(len(text))))], lookup)
                target, problem = parse_segments(segments, host)
                if target is None:
                    self.out.definitions.append(Definition(
                        file=shown, document=host, value=None, locate=document_locator(host),
                        origin="template-uri", host_problems=[problem] if problem else [], **common))
                    return
                value = resolve_tree(target.value, self.resolver, lookup)
            else:
                target = parse_text(text, shown, yaml_schema=self.yaml_schema or "yaml-1.1")
                value = resolve_tree(target.value, self.resolver, lookup)
        except ParseError as exc:
            host = Document(shown, text, None, "yaml")
            line, col = (exc.line, exc.column or 1) if exc.line is not None else host.lines.position(exc.offset)
            self.out.definitions.append(Definition(
                file=shown, document=host, value=None, locate=document_locator(host), origin="template-uri",
                host_problems=[HostProblem("ASL100", f"cannot parse the file: {exc.message}",
                                           Span(line, col, line, col + 1))],
                **common,
            ))
            return
        root = jp.join("", *address.split(".")) if address else ""
        if root:
            value = jp.resolve(value, root, None)
            if not isinstance(value, dict):
                self.unchecked(common["resource"], f"{shown} has no object at {address}", pointer)
                return
        self.out.definitions.append(Definition(
            file=shown, document=target, value=value, locate=document_locator(target, root), origin="template-uri",
            source_pointer=root, **common,
        ))


def _relative_display(template_path: str, uri: str) -> str:
    base = PurePosixPath(template_path.replace("\\", "/")).parent
    joined = os.path.normpath(str(base / uri.replace("\\", "/")))
    return PurePosixPath(joined.replace("\\", "/")).as_posix()
