"""Minimal template support: object ``Definition`` properties only (extended elsewhere)."""

from __future__ import annotations

from analyzer.load import pointer as jp
from analyzer.load.definitions import Definition, Extraction
from analyzer.load.source import Document, document_locator

STATE_MACHINE_TYPES = ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine")


def extract(document: Document) -> Extraction:
    out = Extraction(is_template=True)
    resources = document.value.get("Resources")
    if not isinstance(resources, dict):
        return out
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") not in STATE_MACHINE_TYPES:
            continue
        props = resource.get("Properties")
        if isinstance(props, dict) and isinstance(props.get("Definition"), dict):
            root = jp.join("", "Resources", logical_id, "Properties", "Definition")
            out.definitions.append(Definition(
                file=document.path, document=document, value=props["Definition"],
                locate=document_locator(document, root), origin="template-object",
                resource=logical_id, source_pointer=root,
            ))
    return out
