"""Pictures of state machines: Mermaid (what GitHub renders in Markdown) and Graphviz DOT.

Both drawings show the same things, taken from the control-flow graph
(:func:`analyzer.graph.cfg.build_graph`):

* every state, shaped by type (Choice a diamond, Parallel/Map a double box, Succeed and
  Fail rounded and coloured), with a start marker before ``StartAt`` and an end marker
  after the terminal states of the top-level scope;
* each nested scope (Parallel branch, Map processor) as a subgraph/cluster, entered from
  its owner by a ``branch N`` / ``items`` edge ending in a circle;
* edge kinds drawn differently: ``Next`` plain, Choice rules labelled with a short
  rendering of their condition, ``Default`` thick and labelled, ``Catch`` dashed and red
  with the error names; retriers are listed in the state's label instead of a self-loop;
* states with findings outlined in red with the rule ids in their label.

Node ids are generated (``s0``, ``s1``...) so any state name is safe; labels are quoted
and escaped for each format. Output is deterministic: document order throughout.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterator

from analyzer.model.nodes import MISSING, ChoiceRule, Machine, State, nested_scopes

MAX_CONDITION = 40

_COMPARISONS = {
    "Equals": "==", "LessThan": "<", "GreaterThan": ">", "LessThanEquals": "<=", "GreaterThanEquals": ">=",
}


@dataclass
class MachineDrawing:
    """One state machine to draw: its graph and the rule ids found per state pointer."""

    title: str
    graph: Any  # analyzer.graph.cfg.StateGraph
    findings: dict[str, list[str]] = field(default_factory=dict)  # state pointer ("" = machine) -> rule ids


# -- labels ---------------------------------------------------------------------------------
def _clip(text: str, limit: int = MAX_CONDITION) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _operand(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else json.dumps(value)


def condition_text(rule: ChoiceRule) -> str:
    """A short, readable rendering of a Choice rule's condition (cut at 40 characters)."""
    return _clip(_condition(rule, 0))


def _condition(rule: ChoiceRule, depth: int) -> str:
    if depth > 8:
        return "…"
    if rule.condition is not MISSING:  # JSONata
        text = str(rule.condition)
        return text[2:-2].strip() if text.startswith("{%") and text.endswith("%}") else text
    if rule.logic == "Not" and rule.not_ is not None:
        return f"not ({_condition(rule.not_, depth + 1)})"
    if rule.logic in ("And", "Or"):
        parts = [_condition(c, depth + 1) for c in rule.children()]
        joiner = " and " if rule.logic == "And" else " or "
        return joiner.join(f"({p})" if (" and " in p or " or " in p) else p for p in parts) or rule.logic.lower()
    var = str(rule.variable) if rule.variable is not MISSING else "?"
    op = rule.operator
    if op is None:
        return "?"
    value = rule.operand
    if op.startswith("Is"):
        kind = op[2:].lower()
        if kind == "present":
            return f"{var} present" if value is not False else f"{var} absent"
        return f"{var} is {kind}" if value is not False else f"{var} is not {kind}"
    if op in ("StringMatches",):
        return f"{var} matches {_operand(value)}"
    path = op.endswith("Path")
    base = op[:-4] if path else op
    for suffix, symbol in sorted(_COMPARISONS.items(), key=lambda kv: -len(kv[0])):  # LessThanEquals first
        if base.endswith(suffix):
            rhs = str(value) if path else _operand(value)
            return f"{var} {symbol} {rhs}"
    return f"{var} {op} {_operand(value)}"


def _catch_label(errors: Any) -> str:
    names = [str(e) for e in errors] if errors else []
    return "catch " + _clip(", ".join(names) or "?", 40)


def _retry_note(state: State) -> str:
    retriers = getattr(state, "retry", ())
    if not retriers:
        return ""
    names = sorted({e for r in retriers for e in r.error_equals})
    return "retry " + _clip(", ".join(names) or "?", 30)


def _type_text(state: State) -> str:
    return state.type if isinstance(state.type, str) else "?"


def state_lines(state: State, findings: list[str]) -> list[str]:
    lines = [state.name, _type_text(state)]
    retry = _retry_note(state)
    if retry:
        lines.append(retry)
    if findings:
        lines.append("⚠ " + _clip(" ".join(sorted(set(findings))), 40))
    return lines


# -- shared walk ----------------------------------------------------------------------------
@dataclass
class _Edge:
    src: str
    dst: str
    kind: str  # start | next | choice | default | catch | branch | end
    label: str = ""


class _Layout:
    """Ids, scopes and edges of one or more machines, independent of the output format."""

    def __init__(self, drawings: list[MachineDrawing]) -> None:
        self.drawings = drawings
        self.ids: dict[tuple[int, str], str] = {}
        self.multi = len(drawings) > 1
        for m, d in enumerate(drawings):
            for n, state in enumerate(d.graph.machine.walk_states()):
                self.ids[(m, state.pointer)] = f"{self.prefix(m)}s{n}"

    def prefix(self, m: int) -> str:
        return f"m{m}" if self.multi else ""

    def node(self, m: int, pointer: str) -> str:
        return self.ids[(m, pointer)]

    def start(self, m: int) -> str:
        return f"{self.prefix(m)}sStart"  # never a bare "end"/"start": Mermaid keywords

    def end(self, m: int) -> str:
        return f"{self.prefix(m)}sEnd"

    def edges(self, m: int) -> Iterator[_Edge]:
        d = self.drawings[m]
        sg = d.graph
        top_start = sg.start_node("")
        if top_start is not None:
            yield _Edge(self.start(m), self.node(m, top_start), "start")
        for state in sg.machine.walk_states():
            src = self.node(m, state.pointer)
            choices = getattr(state, "choices", ())
            for _, dst, data in sorted(sg.graph.out_edges(state.pointer, data=True),
                                       key=lambda e: (_KIND_ORDER.get(e[2]["kind"], 9), e[2].get("index", 0))):
                kind = data["kind"]
                if kind == "retry":
                    continue
                label = ""
                if kind == "choice":
                    index = data.get("index", 0)
                    label = condition_text(choices[index]) if index < len(choices) else "?"
                elif kind == "default":
                    label = "Default"
                elif kind == "catch":
                    label = _catch_label(data.get("errors"))
                yield _Edge(src, self.node(m, dst), kind, label)
            for i, scope in enumerate(nested_scopes(state)):
                start = sg.start_node(scope.pointer)
                if start is not None:
                    label = f"branch {i + 1}" if _type_text(state) == "Parallel" else "items"
                    yield _Edge(src, self.node(m, start), "branch", label)
            if state.is_terminal and state.scope == "":
                yield _Edge(src, self.end(m), "end")

    def scope_title(self, scope: Machine, m: int) -> str:
        owner = self.drawings[m].graph.states.get(scope.owner) if scope.owner else None
        if owner is None:
            return ""
        if _type_text(owner) == "Parallel":
            index = next((i for i, b in enumerate(nested_scopes(owner)) if b.pointer == scope.pointer), 0)
            return f"{owner.name} · branch {index + 1}"
        return f"{owner.name} · items"

    def has_end(self, m: int) -> bool:
        return any(s.is_terminal for s in self.drawings[m].graph.machine.states.values())


_KIND_ORDER = {"next": 0, "choice": 1, "default": 2, "catch": 3}


def _findings_for(d: MachineDrawing, state: State) -> list[str]:
    return d.findings.get(state.pointer, [])


# -- Mermaid --------------------------------------------------------------------------------
def mermaid_text(text: str) -> str:
    """Escape text for a double-quoted Mermaid label (entity codes survive GitHub's renderer)."""
    out = []
    for ch in text:
        if ch in '#"<>&`':
            out.append(f"#{ord(ch)};")
        elif ch in "\r\n\t":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _mermaid_label(lines: list[str]) -> str:
    return '"' + "<br/>".join(mermaid_text(line) for line in lines) + '"'


_MERMAID_SHAPES = {
    "Choice": ("{", "}"), "Parallel": ("[[", "]]"), "Map": ("[[", "]]"),
    "Succeed": ("([", "])"), "Fail": ("([", "])"),
}
_MERMAID_ARROWS = {
    "start": "-->", "next": "-->", "choice": "-->", "default": "==>", "catch": "-.->", "branch": "--o",
    "end": "-->",
}


def render_mermaid(drawings: list[MachineDrawing]) -> str:
    layout = _Layout(drawings)
    out = ["flowchart TD"]
    classes: dict[str, list[str]] = {"succeed": [], "fail": [], "finding": [], "marker": []}
    for m, d in enumerate(drawings):
        indent = "  "
        if layout.multi:
            out.append(f"  subgraph m{m} [{_mermaid_label([d.title])}]")
            out.append("    direction TB")
            indent = "    "
        out.append(f'{indent}{layout.start(m)}(("start"))')
        classes["marker"].append(layout.start(m))
        if d.findings.get(""):
            classes["finding"].append(layout.start(m))
        _mermaid_scope(d.graph.machine, m, d, layout, out, indent, classes)
        if layout.has_end(m):
            out.append(f'{indent}{layout.end(m)}(("end"))')
            classes["marker"].append(layout.end(m))
        if layout.multi:
            out.append("  end")
    links: list[tuple[int, str]] = []
    for m in range(len(drawings)):
        for e in layout.edges(m):
            arrow = _MERMAID_ARROWS[e.kind]
            label = f"|{_mermaid_label([e.label])}|" if e.label else ""
            links.append((len(links), e.kind))
            out.append(f"  {e.src} {arrow}{label} {e.dst}")
    out.append("  classDef marker fill:#24292f,stroke:#24292f,color:#ffffff")
    out.append("  classDef succeed fill:#dafbe1,stroke:#1a7f37")
    out.append("  classDef fail fill:#ffebe9,stroke:#cf222e")
    out.append("  classDef finding stroke:#cf222e,stroke-width:3px")
    for name, ids in classes.items():
        if ids:
            out.append(f"  class {','.join(ids)} {name}")
    catch = [str(i) for i, kind in links if kind == "catch"]
    if catch:
        out.append(f"  linkStyle {','.join(catch)} stroke:#cf222e")
    return "\n".join(out) + "\n"


def _mermaid_scope(scope: Machine, m: int, d: MachineDrawing, layout: _Layout, out: list[str], indent: str,
                   classes: dict[str, list[str]]) -> None:
    for state in scope.states.values():
        node = layout.node(m, state.pointer)
        left, right = _MERMAID_SHAPES.get(_type_text(state), ("[", "]"))
        found = _findings_for(d, state)
        out.append(f"{indent}{node}{left}{_mermaid_label(state_lines(state, found))}{right}")
        if _type_text(state) == "Succeed":
            classes["succeed"].append(node)
        elif _type_text(state) == "Fail":
            classes["fail"].append(node)
        if found:
            classes["finding"].append(node)
        for inner in nested_scopes(state):
            sub = f"{node}_{inner.pointer.rsplit('/', 1)[-1] if inner.pointer.split('/')[-2] == 'Branches' else 'items'}"
            out.append(f"{indent}subgraph {sub} [{_mermaid_label([layout.scope_title(inner, m)])}]")
            out.append(f"{indent}  direction TB")
            _mermaid_scope(inner, m, d, layout, out, indent + "  ", classes)
            out.append(f"{indent}end")


# -- DOT ------------------------------------------------------------------------------------
def dot_text(text: str) -> str:
    """Escape text for a double-quoted DOT string."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")


_DOT_SHAPES = {
    "Choice": 'shape=diamond, style="filled", fillcolor="#fff8c5"',
    "Parallel": 'shape=box, peripheries=2',
    "Map": 'shape=box, peripheries=2',
    "Succeed": 'shape=box, style="rounded,filled", fillcolor="#dafbe1"',
    "Fail": 'shape=box, style="rounded,filled", fillcolor="#ffebe9"',
}
_DOT_EDGES = {
    "start": "", "next": "", "end": "",
    "choice": "",
    "default": "style=bold",
    "catch": 'style=dashed, color="#cf222e", fontcolor="#cf222e"',
    "branch": "style=dotted, arrowhead=odot",
}


def render_dot(drawings: list[MachineDrawing]) -> str:
    layout = _Layout(drawings)
    out = [
        'digraph "aslcheck" {',
        '  graph [rankdir=TB, fontname="Helvetica", fontsize=11];',
        '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for m, d in enumerate(drawings):
        indent = "  "
        if layout.multi:
            out.append(f"  subgraph cluster_m{m} {{")
            out.append(f'    label="{dot_text(d.title)}";')
            indent = "    "
        start_attrs = 'shape=circle, label="", width=0.25, style=filled, fillcolor="#24292f"'
        if d.findings.get(""):
            start_attrs += f', color="#cf222e", penwidth=3, xlabel="{dot_text("⚠ " + " ".join(sorted(set(d.findings[""]))))}"'
        out.append(f"{indent}{layout.start(m)} [{start_attrs}];")
        _dot_scope(d.graph.machine, m, d, layout, out, indent)
        if layout.has_end(m):
            out.append(f'{indent}{layout.end(m)} [shape=doublecircle, label="", width=0.2, style=filled, '
                       'fillcolor="#24292f"];')
        if layout.multi:
            out.append("  }")
    for m in range(len(drawings)):
        for e in layout.edges(m):
            attrs = [a for a in (_DOT_EDGES[e.kind], f'label="{dot_text(e.label)}"' if e.label else "") if a]
            out.append(f"  {e.src} -> {e.dst}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    out.append("}")
    return "\n".join(out) + "\n"


def _dot_scope(scope: Machine, m: int, d: MachineDrawing, layout: _Layout, out: list[str], indent: str) -> None:
    for state in scope.states.values():
        node = layout.node(m, state.pointer)
        found = _findings_for(d, state)
        label = "\\n".join(dot_text(line) for line in state_lines(state, found))
        attrs = [f'label="{label}"']
        shape = _DOT_SHAPES.get(_type_text(state))
        if shape:
            attrs.append(shape)
        if found:
            attrs.append('color="#cf222e", penwidth=3')
        out.append(f"{indent}{node} [{', '.join(attrs)}];")
        for inner in nested_scopes(state):
            sub = f"cluster_{node}_{inner.pointer.rsplit('/', 1)[-1] if inner.pointer.split('/')[-2] == 'Branches' else 'items'}"
            out.append(f"{indent}subgraph {sub} {{")
            out.append(f'{indent}  label="{dot_text(layout.scope_title(inner, m))}";')
            out.append(f'{indent}  style="rounded,dashed"; color="#8c959f";')
            _dot_scope(inner, m, d, layout, out, indent + "  ")
            out.append(f"{indent}}}")
