"""Serverless Framework files: ``stepFunctions.stateMachines.<name>.definition``.

The serverless-step-functions plugin takes each state machine's ``definition`` as an
object (or, through ``${file(...)}``, from another file) and ``type: EXPRESS`` for
Express workflows. Framework variables (``${self:...}``, ``${opt:stage}``, ``${file(...)}``,
``#{AWS::Region}``) and ``Fn::GetAtt``/``Ref`` objects become stand-ins. CloudFormation
resources under ``resources.Resources`` are read like any template's.
"""

from __future__ import annotations

import re
from typing import Any

from analyzer.load import pointer as jp
from analyzer.load.definitions import Definition
from analyzer.load.source import document_locator
from analyzer.templates.cloudformation import TemplateReader, metadata_ignores
from analyzer.templates.object_form import resolve_tree, serverless_lookup

#: ``${file(path)}`` or ``${file(path):some.key}``, the part of the file at that address
_FILE_REFERENCE = re.compile(r"^\$\{file\(([^)]+)\)(?::([^}\s]+))?\}$")


def read_serverless(reader: TemplateReader, config: dict[str, Any]) -> None:
    step_functions = config.get("stepFunctions")
    machines = step_functions.get("stateMachines") if isinstance(step_functions, dict) else None
    if not isinstance(machines, dict):
        return
    lookup = serverless_lookup(config, reader.resolver)
    reader.yaml_schema = "core"  # the Framework reads ${file(...)} YAML with js-yaml, as serverless.yml itself
    base = jp.join("", "stepFunctions", "stateMachines")
    for name, machine in machines.items():
        pointer = jp.join(base, name)
        if not isinstance(machine, dict):
            reader.unchecked(name, "the state machine entry is not an object", pointer)
            continue
        wtype = machine.get("type")
        common = {
            "resource": name,
            "workflow_type": wtype.upper() if isinstance(wtype, str) and wtype.upper() in ("STANDARD", "EXPRESS")
            else None,
            "metadata_ignores": metadata_ignores(machine, pointer),
            "host": reader.doc,
        }
        definition = machine.get("definition")
        def_ptr = jp.join(pointer, "definition")
        if isinstance(definition, dict):
            reader.out.definitions.append(_object(reader, definition, def_ptr, lookup, common))
        elif isinstance(definition, str) and _FILE_REFERENCE.match(definition.strip()):
            reference = _FILE_REFERENCE.match(definition.strip())
            path = reference.group(1).strip().strip("'\"")
            reader.uri_definition(path, def_ptr, lookup, common, address=reference.group(2))
        elif isinstance(definition, str) and definition.strip().startswith("${"):
            reader.unchecked(name, f"the definition comes from a Serverless variable ({definition.strip()})", def_ptr)
        elif isinstance(definition, str):
            reader.string_definition(definition, def_ptr, lookup, common, origin="serverless")
        else:
            reader.unchecked(name, "the state machine has no definition", pointer)


def _object(reader: TemplateReader, definition: dict[str, Any], pointer: str, lookup, common) -> Definition:
    doc = reader.doc
    return Definition(
        file=doc.path, document=doc, value=resolve_tree(definition, reader.resolver, lookup, pseudo=True),
        locate=document_locator(doc, pointer), origin="serverless", source_pointer=pointer, **common,
    )
