"""``aslcheck graph``: what the pictures contain, that they are well-formed, and the exit codes."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from report_helpers import FIXTURES, SNAPSHOT_RULES

from analyzer.commands.graph import drawings_for, run_graph
from analyzer.engine.settings import Settings
from analyzer.model.build import build_choice_rule
from analyzer.report.graph_render import condition_text, render_dot, render_mermaid

NODE = re.compile(r"^\s*(\w+)(\(\(|\(\[|\[\[|\{|\[)\"")
EDGE = re.compile(r"^\s*(\w+) (-->|==>|-\.->|--o)(?:\|\"([^\"]*)\"\|)? (\w+)$")


def _drawings(fixture: str, highlight: bool = True):
    return drawings_for(fixture, (FIXTURES / fixture).read_text("utf-8"), highlight,
                        Settings(select=SNAPSHOT_RULES))[0]


def _mermaid(fixture: str, highlight: bool = True):
    text = render_mermaid(_drawings(fixture, highlight))
    nodes, edges, subgraphs = {}, [], []
    for line in text.splitlines():
        if m := NODE.match(line):
            nodes[m.group(1)] = line
        elif m := EDGE.match(line):
            edges.append((m.group(1), m.group(2), m.group(3), m.group(4)))
        elif line.strip().startswith("subgraph "):
            subgraphs.append(line.strip())
    return text, nodes, edges, subgraphs


def _node(nodes, name):
    (node,) = [k for k, line in nodes.items() if re.search(rf'"{re.escape(name)}<br/>', line)]
    return node


def test_mermaid_draws_every_state_scope_and_edge_kind():
    text, nodes, edges, subgraphs = _mermaid("order.asl.json")
    definition = json.loads((FIXTURES / "order.asl.json").read_text("utf-8"))  # (keeps the last "Done")
    top = definition["States"]
    # every state once (the duplicate "Done" is one state), plus start and end markers
    names = list(top) + ["Charge", "Notify", "Pack"]
    assert len(nodes) == len(names) + 2
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n) and n.lower() not in ("end", "start", "subgraph")
               for n in nodes)
    declared = set(nodes)
    assert all(src in declared and dst in declared for src, _, _, dst in edges)
    # scopes: two Parallel branches and one Map processor
    assert [s.split("[", 1)[1] for s in subgraphs] == ['"Fanout · branch 1"]', '"Fanout · branch 2"]',
                                                      '"Ship · items"]']
    v, a, f, r = (_node(nodes, n) for n in ("Validate", "Approve", "Fanout", "Reject"))
    assert (v, "-->", "$.total #62; 100", a) in edges  # NumericGreaterThan 100
    assert (v, "-->", "$.country == #34;DE#34; and $.express present", f) in edges
    assert (v, "==>", "Default", r) in edges
    assert (f, "-.->", "catch States.ALL", _node(nodes, "Failed")) in edges
    assert (f, "--o", "branch 1", _node(nodes, "Charge")) in edges
    assert (_node(nodes, "Ship"), "--o", "items", _node(nodes, "Pack")) in edges
    assert ("sStart", "-->", None, v) in edges
    ends = {src for src, _, _, dst in edges if dst == "sEnd"}
    assert ends == {r, _node(nodes, "Failed"), _node(nodes, "Done")}
    assert "retry States.Timeout" in nodes[f]
    # the only catch edge is red (linkStyle counts edges in order, from 0)
    catch_index = [i for i, e in enumerate(edges) if e[1] == "-.->"]
    assert f"  linkStyle {','.join(map(str, catch_index))} stroke:#cf222e" in text.splitlines()


def test_states_with_findings_are_highlighted():
    text, nodes, _, _ = _mermaid("order.asl.json")
    charge, done = _node(nodes, "Charge"), _node(nodes, "Done")
    assert f"  class {charge},{done} finding" in text.splitlines()
    assert "⚠ ASL103" in nodes[charge] and "⚠ ASL102" in nodes[done]
    plain, nodes, _, _ = _mermaid("order.asl.json", highlight=False)
    assert "finding" not in plain.replace("classDef finding", "") and "⚠" not in plain


def test_labels_are_escaped_for_mermaid_and_dot(tmp_path):
    name = 'Say "hi" #1 <b>&`end`'
    text = json.dumps({"StartAt": name, "States": {name: {"Type": "Pass", "End": True}}})
    drawings, _ = drawings_for("odd.asl.json", text, highlight=False)
    mermaid = render_mermaid(drawings)
    label_line = next(line for line in mermaid.splitlines() if line.strip().startswith("s0["))
    inner = label_line.split('["', 1)[1].rsplit('"]', 1)[0]
    assert not set('"<>`') & set(inner.replace("<br/>", ""))
    assert inner.startswith("Say #34;hi#34; #35;1 #60;b#62;#38;#96;end#96;")
    dot = render_dot(drawings)
    assert 'label="Say \\"hi\\" #1 <b>&`end`\\nPass"' in dot


def test_dot_clusters_and_edge_styles():
    dot = render_dot(_drawings("order.asl.json"))
    assert dot.count("subgraph cluster_") == 3
    assert dot.count("{") == dot.count("}")
    assert re.search(r's\d+ -> s\d+ \[style=dashed, color="#cf222e", fontcolor="#cf222e", label="catch States.ALL"\];',
                     dot)
    assert re.search(r's0 -> s\d+ \[style=bold, label="Default"\];', dot)
    assert re.search(r's0 -> s\d+ \[label="\$\.total > 100"\];', dot)
    declared = set(re.findall(r"^\s*(\w+) \[", dot, re.M)) - {"graph", "node", "edge"}
    used = {n for pair in re.findall(r"^\s*(\w+) -> (\w+)", dot, re.M) for n in pair}
    assert used <= declared


def test_template_draws_each_state_machine():
    text, nodes, edges, subgraphs = _mermaid("stack.template.yaml")
    assert subgraphs[:2] == ['subgraph m0 ["CheckoutMachine"]', 'subgraph m1 ["RefundMachine"]']
    assert {"m0sStart", "m1sStart"} <= set(nodes)
    assert "⚠ ASL103" in nodes[_node(nodes, "Refund")]


@pytest.mark.parametrize("raw,expected", [
    ({"Variable": "$.a", "NumericLessThanEqualsPath": "$.b"}, "$.a <= $.b"),
    ({"Variable": "$.a", "StringEquals": "x"}, '$.a == "x"'),
    ({"Variable": "$.a", "IsNull": False}, "$.a is not null"),
    ({"Variable": "$.a", "IsPresent": False}, "$.a absent"),
    ({"Variable": "$.a", "StringMatches": "log-*"}, '$.a matches "log-*"'),
    ({"Variable": "$.a", "TimestampGreaterThan": "2024-01-01T00:00:00Z"}, '$.a > "2024-01-01T00:00:00Z"'),
    ({"Not": {"Variable": "$.a", "BooleanEquals": True}}, "not ($.a == true)"),
    ({"Or": [{"Variable": "$.a", "NumericEquals": 1}, {"And": [{"Variable": "$.b", "IsString": True},
                                                              {"Variable": "$.c", "IsNumeric": True}]}]},
     "$.a == 1 or ($.b is string and $.c is numeric)"[:39] + "…"),
    ({"Condition": "{% $states.input.n > 3 %}"}, "$states.input.n > 3"),
    ({"Variable": 5}, "?"),
])
def test_condition_text(raw, expected):
    assert condition_text(build_choice_rule(raw, "/States/C/Choices/0", True)) == expected


def test_run_graph_exit_codes_and_output(tmp_path, capsys):
    assert run_graph(str(tmp_path / "missing.asl.json")) == 2
    assert run_graph(str(FIXTURES / "broken.asl.json")) == 2
    assert "cannot parse" in capsys.readouterr().err
    (tmp_path / "other.json").write_text('{"hello": "world"}')
    assert run_graph(str(tmp_path / "other.json")) == 2
    assert "no state machine" in capsys.readouterr().err
    out = tmp_path / "order.dot"
    assert run_graph(str(FIXTURES / "order.asl.json"), fmt="dot", output=str(out)) == 0
    assert out.read_text("utf-8").startswith('digraph "aslcheck" {')
    assert run_graph(str(FIXTURES / "stack.template.yaml"), fmt="mermaid", highlight=False) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("flowchart TD") and "ExternalMachine" in captured.err


def test_cli_graph(tmp_path):
    from click.testing import CliRunner

    from analyzer.cli import main

    result = CliRunner().invoke(main, ["graph", str(FIXTURES / "order.asl.yaml"), "--format", "mermaid"])
    assert result.exit_code == 0 and result.output.startswith("flowchart TD")
    result = CliRunner().invoke(main, ["graph", str(tmp_path / "nope.json")])
    assert result.exit_code == 2


MERMAID_MODULES = os.environ.get("ASLCHECK_MERMAID_MODULES")


@pytest.mark.skipif(not (MERMAID_MODULES and shutil.which("node")),
                    reason="set ASLCHECK_MERMAID_MODULES to a folder with `npm install mermaid jsdom`")
def test_mermaid_parser_accepts_the_drawings(tmp_path):
    files = []
    for fixture in ("order.asl.json", "order.asl.yaml", "stack.template.yaml"):
        path = tmp_path / (fixture + ".mmd")
        path.write_text(render_mermaid(_drawings(fixture)), encoding="utf-8")
        files.append(str(path))
    bad = tmp_path / "bad.mmd"
    bad.write_text("flowchart TD\n  a --> end\n")  # the checker itself must be able to fail
    script = Path(__file__).with_name("mermaid_parse.mjs")
    ok = subprocess.run(["node", str(script), *files], capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    failing = subprocess.run(["node", str(script), str(bad)], capture_output=True, text=True, timeout=60)
    assert failing.returncode == 1


@pytest.mark.skipif(not shutil.which("dot"), reason="Graphviz is not installed")
def test_graphviz_accepts_the_drawings(tmp_path):
    name = 'Say "hi" \\ {x} -> <b>'
    odd = json.dumps({"StartAt": name, "States": {name: {"Type": "Pass", "End": True}}})
    sources = [render_dot(_drawings(f)) for f in ("order.asl.json", "order.asl.yaml", "stack.template.yaml")]
    sources.append(render_dot(drawings_for("odd.asl.json", odd, highlight=False)[0]))
    for source in sources:
        done = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0 and not done.stderr, done.stderr
    broken = subprocess.run(["dot", "-Tsvg"], input='digraph { a -> "b }', capture_output=True, text=True, timeout=30)
    assert broken.returncode != 0  # the check can fail


def test_warns_when_mermaid_limits_are_exceeded(tmp_path, capsys):
    states = {f"S{i}": {"Type": "Pass", "Next": f"S{i + 1}"} for i in range(520)}
    states["S520"] = {"Type": "Succeed"}
    path = tmp_path / "long.asl.json"
    path.write_text(json.dumps({"StartAt": "S0", "States": states}))
    assert run_graph(str(path), highlight=False) == 0
    assert "Mermaid's default limits" in capsys.readouterr().err
    assert run_graph(str(FIXTURES / "order.asl.json"), highlight=False) == 0
    assert "limits" not in capsys.readouterr().err
