"""YAML loading with positions, duplicate-key detection, CloudFormation tags and bounded aliases.

PyYAML composes a node graph whose marks carry character offsets; we walk that graph
ourselves instead of constructing Python objects so that every key and value keeps
its offsets. CloudFormation short-form tags (``!Sub``, ``!GetAtt`` ...) become their
long-form objects, exactly as CloudFormation reads them. Aliases are expanded with a
budget so a "billion laughs" document fails with a message instead of eating memory.
"""

from __future__ import annotations

import re
import sys
from typing import Any

import yaml

from analyzer.load import pointer as jp
from analyzer.load.source import Document, DuplicateKey, ParseError, YamlReading

try:  # The C composer is several times faster; fall back quietly when libyaml is absent.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_NODES = 2_000_000
#: Deeper nesting is refused before libyaml sees it: its composer recurses in C and
#: crashes the process (not an exception) somewhere past ten thousand levels.
MAX_DEPTH = 1_000

_CFN_FUNCTIONS = {
    "Ref": "Ref",
    "Condition": "Condition",
    "GetAtt": "Fn::GetAtt",
}
_CFN_FN_TAGS = (
    "Sub Join If Select Split FindInMap ImportValue GetAZs Base64 Cidr Equals And Or Not "
    "Transform Length ToJsonString ForEach "
    "Contains EachMemberEquals EachMemberIn RefAll ValueOf ValueOfAll"  # functions of template Rules
).split()

_STR = "tag:yaml.org,2002:str"
_resolver = yaml.resolver.Resolver()


def _implicit_tag(value: str) -> str:
    """The tag YAML 1.1 gives a plain scalar by its look (an explicit ``!!str true`` differs)."""
    return _resolver.resolve(yaml.ScalarNode, value, (True, False))
_scalar_constructor = yaml.SafeLoader(" ")  # only used for its scalar constructors

#: The two ways YAML is read by the tools that deploy a state machine:
#: ``yaml-1.1``: CloudFormation ("supports the YAML Version 1.1 specification"), SAM and the
#: AWS CLI (PyYAML): ``yes``/``no``/``on``/``off`` are booleans, ``010`` is octal.
#: ``core``: YAML 1.2's core schema, as js-yaml reads it: the Serverless Framework (serverless.yml
#: and the files it pulls in with ``${file(...)}``), the AWS Toolkit and Workflow Studio for bare
#: ASL files: only true/false are booleans, ``010`` is ten.
YAML_11, YAML_CORE = "yaml-1.1", "core"

_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_CORE_NULL = {"", "~", "null", "Null", "NULL"}
_CORE_INT = re.compile(r"[-+]?(?:0b[01]+|0x[0-9a-fA-F]+|0o[0-7]+|[0-9]+)")
_CORE_FLOAT = re.compile(r"[-+]?[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?"
                         r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")


def _core_scalar(text: str) -> Any:
    """A plain scalar resolved as js-yaml resolves it (null, bool, int, float, else string)."""
    if text in _CORE_NULL:
        return None
    if text in _CORE_BOOL:
        return _CORE_BOOL[text]
    if _CORE_INT.fullmatch(text):
        sign, digits = (-1, text[1:]) if text[0] == "-" else (1, text.lstrip("+"))
        base = {"0b": 2, "0x": 16, "0o": 8}.get(digits[:2], 10)
        return sign * int(digits[2:] if base != 10 else digits, base)
    if _CORE_FLOAT.fullmatch(text):
        lowered = text.lower()
        value = float(lowered.replace(".inf", "inf").replace(".nan", "nan"))
        # JavaScript has one number type: 1e3 and 2.0 are the integers 1000 and 2 once in JSON
        return int(value) if value.is_integer() else value
    return text


def _same_value(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type(a) is type(b) and a == b


def _version_dependent(node: yaml.ScalarNode) -> tuple[Any, Any] | None:
    """(YAML 1.1 value, YAML 1.2 value) of a plain scalar the two read differently, else None.
    Cheap for the common case: text that both read as a string is recognised at once."""
    if node.style or node.tag != _implicit_tag(node.value):
        return None  # quoted, block or explicitly tagged: both versions agree
    text = node.value
    if node.tag == _STR and text not in _CORE_BOOL and text not in _CORE_NULL \
            and not (text[:1] in "0123456789+-." and (_CORE_INT.fullmatch(text) or _CORE_FLOAT.fullmatch(text))):
        return None
    old, new = _scalar(node, YAML_11), _core_scalar(text)
    return None if _same_value(old, new) else (old, new)


def _scalar(node: yaml.ScalarNode, schema: str = YAML_11) -> Any:
    tag = node.tag
    if schema == YAML_CORE and not node.style and tag == _implicit_tag(node.value):
        return _core_scalar(node.value)  # a plain scalar typed by its look, not by an explicit tag
    if tag == _STR:
        return node.value
    if tag == "tag:yaml.org,2002:int":
        return _scalar_constructor.construct_yaml_int(node)
    if tag == "tag:yaml.org,2002:float":
        value = _scalar_constructor.construct_yaml_float(node)
        return value
    if tag == "tag:yaml.org,2002:bool":
        return _scalar_constructor.construct_yaml_bool(node)
    if tag == "tag:yaml.org,2002:null":
        return None
    return node.value  # timestamps, binary, unknown tags: keep the text as written


def _key_text(raw_key: Any) -> str:
    """A mapping key as the member name it becomes in JSON (``true``, ``8``, ``1.5``)."""
    if isinstance(raw_key, str):
        return raw_key
    if isinstance(raw_key, bool):
        return str(raw_key).lower()
    return "null" if raw_key is None else str(raw_key)


class _Walker:
    def __init__(self, doc: Document, schema: str = YAML_11) -> None:
        self.doc = doc
        self.schema = schema
        self.budget = MAX_NODES

    def value(self, node: yaml.Node, ptr: str, depth: int, active: set[int]) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise ParseError(
                f"the document expands to more than {MAX_NODES} nodes (alias expansion is bounded)",
                node.start_mark.index,
            )
        if depth > MAX_DEPTH:
            raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark.index)
        self.doc.value_offsets[ptr] = (node.start_mark.index, node.end_mark.index)
        tag = node.tag or ""
        if tag.startswith("!") and not tag.startswith("!!"):
            return self._cfn_tag(node, tag[1:], ptr, depth, active)
        if isinstance(node, yaml.ScalarNode):
            self._note_reading(node, ptr, False)
            return _scalar(node, self.schema)
        if id(node) in active:
            raise ParseError("recursive alias: a node contains itself", node.start_mark.index)
        active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.value(item, jp.join(ptr, i), depth + 1, active) for i, item in enumerate(node.value)]
            return self._mapping(node, ptr, depth, active)
        finally:
            active.discard(id(node))

    def _mapping(self, node: yaml.MappingNode, ptr: str, depth: int, active: set[int]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        seen: dict[str, tuple[int, int]] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.value(value_node, ptr, depth + 1, active)
                for m in merged if isinstance(merged, list) else [merged]:
                    if isinstance(m, dict):
                        for k, v in m.items():
                            result.setdefault(k, v)
                continue
            if isinstance(key_node, yaml.ScalarNode):
                key = _key_text(_scalar(key_node, self.schema))
                self._note_reading(key_node, jp.join(ptr, key), True)
            else:
                raise ParseError("a mapping key must be a scalar", key_node.start_mark.index)
            offsets = (key_node.start_mark.index, key_node.end_mark.index)
            child = jp.join(ptr, key)
            if key in seen:
                self.doc.duplicates.append(DuplicateKey(child, key, seen[key], offsets))
            seen[key] = offsets
            self.doc.key_offsets[child] = offsets  # the last occurrence is the one whose value survives
            result[key] = self.value(value_node, child, depth + 1, active)
        return result

    def _note_reading(self, node: yaml.ScalarNode, ptr: str, is_key: bool) -> None:
        readings = _version_dependent(node)
        if readings is not None:
            self.doc.yaml_readings.append(YamlReading(ptr, is_key, node.value, readings[0], readings[1],
                                                      "1.2" if self.schema == YAML_CORE else "1.1"))

    def _cfn_tag(self, node: yaml.Node, name: str, ptr: str, depth: int, active: set[int]) -> Any:
        if name in _CFN_FUNCTIONS:
            fn = _CFN_FUNCTIONS[name]
        elif name in _CFN_FN_TAGS:
            fn = "Fn::" + name
        else:
            fn = None
        inner_ptr = jp.join(ptr, fn) if fn else ptr
        if isinstance(node, yaml.ScalarNode):
            self.doc.value_offsets[inner_ptr] = (node.start_mark.index, node.end_mark.index)
            inner: Any = node.value
            if fn == "Fn::GetAtt" and isinstance(inner, str):
                inner = inner.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            inner = [self.value(item, jp.join(inner_ptr, i), depth + 1, active) for i, item in enumerate(node.value)]
            self.doc.value_offsets[inner_ptr] = (node.start_mark.index, node.end_mark.index)
        else:
            inner = self._mapping(node, inner_ptr, depth, active)  # type: ignore[arg-type]
            self.doc.value_offsets[inner_ptr] = (node.start_mark.index, node.end_mark.index)
        return {fn: inner} if fn else inner


_COMPACT_RUN = re.compile(r"(?:[-?][ \t]+){%d}" % (MAX_DEPTH + 1))
#: A level of block nesting takes at least one column; four per level leaves room for
#: generous indentation while keeping every bound together well short of the crash.
_DEEP_INDENT = re.compile(r"^ {%d}" % (4 * MAX_DEPTH + 1), re.MULTILINE)


def _check_depth(text: str) -> None:
    """Refuse text that may nest deeper than MAX_DEPTH, cheaply: flow brackets are counted
    only when there are that many, block nesting needs as many indicators or columns."""
    if text.count("[") + text.count("{") > MAX_DEPTH:
        depth = 0
        for match in re.finditer(r"[\[\]{}]", text):
            depth = depth + 1 if match.group() in "[{" else max(depth - 1, 0)
            if depth > MAX_DEPTH:
                raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", match.start())
    deep = _COMPACT_RUN.search(text) or _DEEP_INDENT.search(text)
    if deep:
        raise ParseError(f"nesting deeper than {MAX_DEPTH} levels", deep.end())


def _tab_hint(text: str, index: int, message: str) -> str:
    if 0 <= index < len(text) and text[index] == "\t" and "tab" not in message:
        return message + " (a tab: YAML indents with spaces only)"
    return message


def _is_template(node: Any) -> bool:
    """A CloudFormation or SAM template (read as YAML 1.1, as CloudFormation reads it)."""
    if not isinstance(node, yaml.MappingNode):
        return False
    keys = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
    return bool(keys & {"AWSTemplateFormatVersion", "Transform", "Resources"})


def is_serverless_config(path: str, node: Any) -> bool:
    """serverless.yml (or .yaml, or a variant such as serverless.prod.yml), or any file whose
    top level has the Framework's ``service`` with ``provider`` or ``stepFunctions``; never a
    CloudFormation or SAM template (``AWSTemplateFormatVersion``, ``Transform``, ``Resources``)."""
    keys = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)} \
        if isinstance(node, yaml.MappingNode) else set()
    if keys & {"AWSTemplateFormatVersion", "Transform", "Resources"}:
        return False
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if re.fullmatch(r"serverless(\.[^/]+)?\.ya?ml", name):
        return True
    return "service" in keys and bool(keys & {"provider", "stepFunctions"})


def parse_yaml(text: str, path: str = "<input>", schema: str | None = None) -> Document:
    """Parse the first YAML document of ``text``; raises :class:`ParseError` on bad syntax.

    ``schema`` is YAML_11 or YAML_CORE (see there). By default a CloudFormation or SAM
    template is read as YAML 1.1, as CloudFormation reads it; everything else (a bare ASL file,
    a Serverless Framework file) with the YAML 1.2 core schema, as the AWS Toolkit, Workflow
    Studio and the Serverless Framework read it. Plain scalars the two versions read
    differently are recorded in ``Document.yaml_readings`` either way (rule ASL116)."""
    doc = Document(path=path, text=text, value=None, format="yaml")
    _check_depth(text)
    try:
        loader = _BaseLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if mark is not None:
            message = _tab_hint(text, mark.index, message)
            raise ParseError(message, mark.index, line=mark.line + 1, column=mark.column + 1) from None
        raise ParseError(message, 0) from None
    except yaml.YAMLError as exc:
        raise ParseError(f"invalid YAML: {exc}", 0) from None
    if node is None:
        raise ParseError("the file is empty", 0)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 3 * MAX_DEPTH + 500))  # two frames a level, and the caller's
    try:
        if schema is None:
            schema = YAML_11 if _is_template(node) else YAML_CORE
        doc.value = _Walker(doc, schema).value(node, "", 0, set())
    finally:
        sys.setrecursionlimit(limit)
    return doc
