"""Odd inputs a user meets in a terminal or in CI: each gives a clear message and the
documented exit code, never a traceback, a crash or a hang."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from analyzer.cli import main

GOOD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
BAD_TARGET = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}


def cli(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def write(path: Path, value) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(value, bytes):
        path.write_bytes(value)
    else:
        path.write_text(value if isinstance(value, str) else json.dumps(value), encoding="utf-8")
    return path


# -- --output -----------------------------------------------------------------------------

def test_lint_output_creates_missing_folders(tmp_path):
    f = write(tmp_path / "bad.asl.json", BAD_TARGET)
    out = tmp_path / "reports" / "ci" / "aslcheck.sarif"
    r = cli("lint", str(f), "--format", "sarif", "--output", str(out))
    assert r.exit_code == 1  # the finding decides the code, not the missing folder
    assert "ASL103" in {r["ruleId"] for r in json.loads(out.read_text())["runs"][0]["results"]}


def test_lint_output_that_cannot_be_written_is_a_usage_error(tmp_path):
    f = write(tmp_path / "ok.asl.json", GOOD)
    blocker = write(tmp_path / "file", "x")  # a file where a folder would have to be
    r = cli("lint", str(f), "--output", str(blocker / "report.txt"))
    assert r.exit_code == 2
    assert "cannot write" in r.stderr and "Traceback" not in r.output


def test_graph_output_creates_missing_folders(tmp_path):
    f = write(tmp_path / "ok.asl.json", GOOD)
    out = tmp_path / "docs" / "flow.mmd"
    assert cli("graph", str(f), "--output", str(out)).exit_code == 0
    assert out.read_text().startswith("flowchart")


# -- walking a folder ---------------------------------------------------------------------

def test_folder_walk_skips_unparsable_files_that_are_not_state_machines(tmp_path):
    write(tmp_path / "tsconfig.json", '{\n  // comments are fine for tsc\n  "compilerOptions": {}\n}\n')
    write(tmp_path / ".vscode" / "settings.json", '{"editor.tabSize": 2,}')
    write(tmp_path / "k8s.yaml", "kind: A\n---\nkind: B\n")
    write(tmp_path / "blob.json", b"\x00\x01\xff binary")
    write(tmp_path / "flow.asl.json", GOOD)
    r = cli("lint", str(tmp_path), "--format", "json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)["summary"]
    assert summary["files_read"] == 1 and summary["files_skipped"] == 4


def test_folder_walk_still_reports_a_broken_state_machine(tmp_path):
    write(tmp_path / "flow.json", '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}')
    write(tmp_path / "template.yaml", "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n  bad: [\n")
    r = cli("lint", str(tmp_path), "--format", "json")
    assert r.exit_code == 1
    found = {(f["file"].rsplit("/", 1)[-1], f["rule"]) for f in json.loads(r.stdout)["findings"]}
    assert found == {("flow.json", "ASL100"), ("template.yaml", "ASL100")}


def test_a_file_named_on_the_command_line_is_always_reported(tmp_path):
    f = write(tmp_path / "tsconfig.json", '{"a": 1,}')
    r = cli("lint", str(f))
    assert r.exit_code == 1 and "ASL100" in r.stdout


def test_undecodable_byte_is_located_on_its_line_and_column(tmp_path):
    data = b'{"StartAt": "A",\n "States": {"A": {"Type": "Succeed", "Comment": "caf\xe9"}}}'
    f = write(tmp_path / "latin1.asl.json", data)
    r = cli("lint", str(f), "--format", "json")
    [finding] = json.loads(r.stdout)["findings"]
    column = data.split(b"\n")[1].index(b"\xe9") + 1  # every character before it is ASCII
    assert (finding["rule"], finding["line"], finding["column"]) == ("ASL100", 2, column)
    assert "0xe9" in finding["message"]


# -- deep and large input -----------------------------------------------------------------

def _nested_parallels(depth: int) -> dict:
    scope: dict = {"StartAt": "Leaf", "States": {"Leaf": {"Type": "Succeed"}}}
    for level in range(depth):
        name = f"P{level}"
        scope = {"StartAt": name, "States": {name: {"Type": "Parallel", "Branches": [scope], "End": True}}}
    return scope


def test_nested_parallels_are_checked_in_polynomial_time(monkeypatch):
    """ASL203 used to re-walk every inner scope from every enclosing one: 2**depth calls."""
    from analyzer.rules import asl203_loop_without_wait as rule
    from tests.conftest import lint_value

    calls = []
    original = rule._waits_itself
    monkeypatch.setattr(rule, "_waits_itself", lambda state: calls.append(1) or original(state))
    depth = 40
    report = lint_value(_nested_parallels(depth), select=["ASL203"])
    assert not report.internal_errors
    assert 0 < len(calls) <= (depth + 1) ** 2


def test_deeply_nested_parameters_are_no_internal_error(tmp_path):
    deep = "{\"k\":" * 3000 + "1" + "}" * 3000
    f = write(tmp_path / "deep.asl.json",
              '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Parameters":' + deep + "}}}")
    r = cli("lint", str(f))
    assert r.exit_code == 0, r.output + r.stderr


def test_payload_size_without_recursion_matches_the_encoder():
    from analyzer.rules.asl601_payload_too_large import _dumped_size, _nested_size

    for value in ({"a": [1, 2.5, {"b": "é☃"}], "c": None, "d": {}, "e": True}, [], {}, [[[]]], "x", {"": [""]}):
        assert _nested_size(value) == _dumped_size(value), value


def test_deeply_nested_intrinsic_is_a_finding_not_a_crash(tmp_path):
    call = "States.Array(" * 3000 + "1" + ")" * 3000
    f = write(tmp_path / "deep.asl.json", {"StartAt": "A", "States": {"A": {
        "Type": "Pass", "End": True, "Parameters": {"x.$": call}}}})
    r = cli("lint", str(f), "--format", "json")
    assert r.exit_code == 1, r.stderr
    [finding] = json.loads(r.stdout)["findings"]
    assert finding["rule"] == "ASL107" and "nested deeper than" in finding["message"]


def test_deeply_nested_yaml_is_refused_before_libyaml_crashes(tmp_path):
    """libyaml's composer recurses in C: 100,000 levels killed the process with SIGSEGV."""
    flow = write(tmp_path / "flow.asl.yaml", "StartAt: A\nStates: " + "[" * 100_000 + "]" * 100_000 + "\n")
    block = write(tmp_path / "block.asl.yaml", "StartAt: A\nStates:\n  " + "- " * 100_000 + "x\n")
    done = subprocess.run([sys.executable, "-m", "analyzer", "lint", str(flow), str(block), "--format", "json"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, done.stderr
    findings = json.loads(done.stdout)["findings"]
    assert [f["rule"] for f in findings] == ["ASL100", "ASL100"]
    assert all("nesting deeper than 1000 levels" in f["message"] for f in findings)


def test_yaml_nesting_within_the_limit_is_read(tmp_path):
    from analyzer.load.yaml_parser import parse_yaml

    text = "a:\n" + "".join("  " * (i + 1) + "k:\n" for i in range(900)) + "  " * 901 + "v: 1\n"
    value = parse_yaml(text).value["a"]
    for _ in range(900):
        value = value["k"]
    assert value == {"v": 1}


def test_tab_indentation_says_so(tmp_path):
    f = write(tmp_path / "tabs.asl.yaml", "StartAt: A\nStates:\n\tA:\n\t\tType: Succeed\n")
    r = cli("lint", str(f), "--format", "json")
    [finding] = json.loads(r.stdout)["findings"]
    assert (finding["line"], finding["column"]) == (3, 1)
    assert "tab" in finding["message"] and "spaces" in finding["message"]


# -- run, tests and graph on one definition ----------------------------------------------

def test_single_definition_commands_agree_on_bad_paths(tmp_path):
    binary = write(tmp_path / "bin.asl.json", b'{"StartAt": \xff}')
    for command in (["run"], ["graph"], ["tests", "--out", str(tmp_path / "out")]):
        r = cli(command[0], str(binary), *command[1:])
        assert r.exit_code == 2, (command, r.output)
        assert "bin.asl.json:1:13: cannot parse the file: the file is not UTF-8 text" in r.stderr
        r = cli(command[0], str(tmp_path), *command[1:])
        assert r.exit_code == 2 and "is a directory" in r.stderr
        r = cli(command[0], str(tmp_path / "missing.json"), *command[1:])
        assert r.exit_code == 2 and "missing.json: no such file" in r.stderr


def test_tests_command_reports_a_syntax_error_with_its_position(tmp_path):
    f = write(tmp_path / "broken.asl.json", '{"StartAt": "A",\n "States": {')
    r = cli("tests", str(f), "--out", str(tmp_path / "out"))
    assert r.exit_code == 2
    assert "broken.asl.json:2:" in r.stderr and "cannot parse the file" in r.stderr


def test_tests_command_reads_stdin(tmp_path):
    r = cli("tests", "-", "--out", str(tmp_path / "out"), "--format", "json", input=json.dumps(GOOD))
    assert r.exit_code == 0, r.stderr
    assert json.loads(r.stdout)["states"]["covered"] == 1
    assert (tmp_path / "out" / "stdin" / "case-001.json").is_file()


def test_tests_out_that_cannot_be_written_is_a_usage_error(tmp_path):
    f = write(tmp_path / "ok.asl.json", GOOD)
    blocker = write(tmp_path / "file", "x")
    r = cli("tests", str(f), "--out", str(blocker / "cases"))
    assert r.exit_code == 2 and "cannot write" in r.stderr


# -- YAML booleans: 1.1 for CloudFormation/SAM/bare files, core schema for serverless.yml ---

SCALARS = "a: yes\nb: No\nc: on\nd: true\ne: 010\nf: 0o17\ng: 1e3\nh: 1_000\ni: 'yes'\nYes: 1\nj: !!str true\nk: 2.5\n"


def test_templates_are_read_as_yaml_11_as_cloudformation_reads_them():
    """CloudFormation "supports the YAML Version 1.1 specification"; PyYAML (SAM, AWS CLI) agrees."""
    from analyzer.load.yaml_parser import YAML_11, parse_yaml

    expected = {"a": True, "b": False, "c": True, "d": True, "e": 8, "f": "0o17", "g": "1e3", "h": 1000, "i": "yes",
                "true": 1, "j": "true", "k": 2.5}
    assert parse_yaml(SCALARS, "flow.asl.yaml", YAML_11).value == expected
    template = parse_yaml("AWSTemplateFormatVersion: '2010-09-09'\n" + SCALARS, "template.yaml").value
    assert {k: v for k, v in template.items() if k != "AWSTemplateFormatVersion"} == expected


def test_serverless_and_bare_files_use_the_core_schema_as_js_yaml_does():
    """js-yaml's bool type takes only true/false (three casings); its int type knows 0b/0x/0o and
    reads 010 as ten; 1e3 is a float that JavaScript (and so the JSON it sends) writes as 1000.
    Bare ASL files are read the same way, as the AWS Toolkit and Workflow Studio read them."""
    from analyzer.load.yaml_parser import YAML_CORE, parse_yaml

    expected = {"a": "yes", "b": "No", "c": "on", "d": True, "e": 10, "f": 15, "g": 1000, "h": "1_000", "i": "yes",
                "Yes": 1, "j": "true", "k": 2.5}
    assert parse_yaml(SCALARS, "serverless.yml").value == expected
    assert parse_yaml(SCALARS, "flow.asl.yaml", YAML_CORE).value == expected
    assert parse_yaml(SCALARS, "flow.asl.yaml").value == expected
    detected = parse_yaml("service: x\nprovider: {name: aws}\n" + SCALARS, "deploy/sls-prod.yml").value
    assert detected["a"] == "yes" and detected["Yes"] == 1


def test_every_version_dependent_scalar_is_recorded_with_both_readings():
    from analyzer.load.yaml_parser import parse_yaml

    readings = {(r.pointer, r.is_key): (r.yaml_11, r.yaml_12) for r in parse_yaml(SCALARS, "f.asl.yaml").yaml_readings}
    assert readings == {("/a", False): (True, "yes"), ("/b", False): (False, "No"), ("/c", False): (True, "on"),
                        ("/e", False): (8, 10), ("/f", False): ("0o17", 15), ("/g", False): ("1e3", 1000),
                        ("/h", False): (1000, "1_000"), ("/Yes", True): (True, "Yes")}


SERVERLESS = """\
service: approvals
provider:
  name: aws
stepFunctions:
  stateMachines:
    inline:
      definition:
        StartAt: Check
        States:
          Check:
            Type: Choice
            Choices:
              - Variable: $.ok
                BooleanEquals: true
                Next: Yes
            Default: No
          Yes: {Type: Succeed}
          No: {Type: Fail, Error: Rejected}
    fromfile:
      definition: ${file(flow.asl.yaml)}
"""
FLOW = "StartAt: Check\nStates:\n  Check:\n    Type: Choice\n    Choices:\n      - Variable: $.ok\n" \
       "        BooleanEquals: true\n        Next: Yes\n    Default: No\n  Yes: {Type: Succeed}\n  No: {Type: Fail}\n"


def test_states_named_yes_and_no_in_serverless_yml_are_states(tmp_path):
    write(tmp_path / "serverless.yml", SERVERLESS)
    write(tmp_path / "flow.asl.yaml", FLOW)
    r = cli("lint", str(tmp_path), "--select", "ASL1,ASL2", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["summary"]["state_machines"] == 2


def test_yes_and_no_in_a_bare_yaml_file_are_state_names_and_asl116_warns(tmp_path):
    f = write(tmp_path / "flow.asl.yaml", FLOW)
    r = cli("lint", str(f), "--select", "ASL1,ASL2", "--format", "json")
    assert r.exit_code == 0, r.output
    found = [(x["rule"], x["pointer"], x["line"]) for x in json.loads(r.stdout)["findings"]]
    assert found == [("ASL116", "/States/Check/Choices/0/Next", 8), ("ASL116", "/States/Check/Default", 9),
                     ("ASL116", "/States/Yes", 10), ("ASL116", "/States/No", 11)]


def test_yes_and_no_in_a_template_are_booleans_and_the_message_says_why(tmp_path):
    body = "".join("        " + line + "\n" for line in FLOW.splitlines())
    f = write(tmp_path / "template.yaml", "Resources:\n  M:\n    Type: AWS::StepFunctions::StateMachine\n"
                                          "    Properties:\n      Definition:\n" + body)
    r = cli("lint", str(f), "--select", "ASL101", "--format", "json")
    assert r.exit_code == 1
    messages = [x["message"] for x in json.loads(r.stdout)["findings"]]
    assert any("Default must be the name of a state, not a boolean" in m and "unquoted No as false" in m
               for m in messages), messages


# -- links and permissions ----------------------------------------------------------------

def test_folder_walk_skips_dangling_links_and_survives_link_loops(tmp_path):
    write(tmp_path / "flow.asl.json", GOOD)
    (tmp_path / "gone.json").symlink_to(tmp_path / "nowhere.json")
    (tmp_path / "loop").symlink_to(tmp_path)  # a folder that contains itself
    r = cli("lint", str(tmp_path), "--format", "json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)["summary"]
    assert summary["files_read"] == 1 and summary["files_skipped"] == 1


def test_a_dangling_link_named_on_the_command_line_is_a_usage_error(tmp_path):
    (tmp_path / "gone.asl.json").symlink_to(tmp_path / "nowhere.json")
    r = cli("lint", str(tmp_path / "gone.asl.json"))
    assert r.exit_code == 2 and "no such file" in r.stderr


def test_unreadable_file_is_a_usage_error_and_the_rest_is_reported(tmp_path, monkeypatch):
    locked = write(tmp_path / "locked.asl.json", GOOD)
    bad = write(tmp_path / "bad.asl.json", BAD_TARGET)
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "locked.asl.json":  # what chmod 000 does to anyone but root
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    r = cli("lint", str(locked), str(bad), "--format", "json")
    assert r.exit_code == 1  # the finding in bad.asl.json outranks the unreadable file
    assert "locked.asl.json: cannot read: Permission denied" in r.stderr
    findings = json.loads(r.stdout)["findings"]
    assert "ASL103" in {f["rule"] for f in findings}
    assert {f["file"].rsplit("/", 1)[-1] for f in findings} == {"bad.asl.json"}
    r = cli("lint", str(locked))
    assert r.exit_code == 2


def test_github_summary_counts_one_file_in_the_singular(tmp_path):
    f = write(tmp_path / "bad.asl.json", BAD_TARGET)
    r = cli("lint", str(f), "--format", "github")
    assert r.stdout.splitlines()[-1].endswith(" in 1 file")


def test_write_baseline_creates_missing_folders_or_says_it_cannot(tmp_path):
    f = write(tmp_path / "bad.asl.json", BAD_TARGET)
    target = tmp_path / "ci" / "baseline.json"
    assert cli("lint", str(f), "--write-baseline", str(target)).exit_code == 1
    assert json.loads(target.read_text())["findings"]
    blocker = write(tmp_path / "file", "x")
    r = cli("lint", str(f), "--write-baseline", str(blocker / "baseline.json"))
    assert r.exit_code == 2 and "cannot write baseline" in r.stderr


def test_run_names_a_mocked_state_the_definition_does_not_have(tmp_path):
    f = write(tmp_path / "task.asl.json", {"StartAt": "Charge", "States": {"Charge": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}}})
    mocks = write(tmp_path / "mocks.json", {"Chrage": [{"Return": 1}]})
    r = cli("run", str(f), "--mocks", str(mocks))
    assert r.exit_code == 2  # Charge itself has no response: MockMissing
    assert "'Chrage' is not a state of this definition" in r.stderr and "did you mean 'Charge'?" in r.stderr
    good = write(tmp_path / "good.json", {"Charge": [{"Return": 1}]})
    r = cli("run", str(f), "--mocks", str(good))
    assert r.exit_code == 0 and "not a state" not in r.stderr


def test_tests_command_refuses_a_definition_the_service_would_refuse(tmp_path):
    f = write(tmp_path / "bad.asl.json", {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"},
                                                                      "B": {"Type": "Succeed"}}})
    r = cli("tests", str(f), "--out", str(tmp_path / "out"))
    assert r.exit_code == 2
    assert "is not a valid state machine, so no cases were written" in r.stderr and "ASL103" in r.stderr
    assert not (tmp_path / "out").exists()


def test_excerpts_never_send_control_characters_to_the_terminal(tmp_path):
    f = write(tmp_path / "evil.asl.json", b'{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "\x1b[2J\x00B"}}}')
    r = cli("lint", str(f), "--no-color")
    assert r.exit_code == 1 and "ASL100" in r.stdout  # a raw control character is not allowed in JSON
    assert "\x1b" not in r.stdout and "\x00" not in r.stdout
    source, marker = [line for line in r.stdout.splitlines() if line.lstrip().startswith(("1 |", "|"))][:2]
    assert source[marker.index("^")] == "\ufffd"  # the marker still sits under the escape character


def test_every_option_is_explained_and_every_command_gives_its_exit_codes():
    for name, command in main.commands.items():
        for param in command.params:
            if isinstance(param, __import__("click").Option):
                assert param.help, f"aslcheck {name} {param.opts[0]} has no help text"
        if name != "rules":
            assert "Exit codes" in (command.epilog or ""), name
    listing = cli("--help").stdout.split("Commands:")[1]
    assert "..." not in listing  # no command summary cut short


def test_numeric_limits_are_checked_by_the_command_line():
    r = cli("lint", "x.asl.json", "--solver-timeout", "0")
    assert r.exit_code == 2 and "0 is not in the range" in r.output
    r = cli("tests", "x.asl.json", "--out", "o", "--unroll", "-1")
    assert r.exit_code == 2 and "is not in the range" in r.output


def test_a_file_given_twice_is_linted_once(tmp_path, monkeypatch):
    f = write(tmp_path / "flows" / "bad.asl.json", BAD_TARGET)
    monkeypatch.chdir(tmp_path)
    once = json.loads(cli("lint", "flows/bad.asl.json", "--format", "json").stdout)
    twice = json.loads(cli("lint", "flows", str(f), "flows/bad.asl.json", "--format", "json").stdout)
    assert twice["summary"]["files_read"] == 1
    assert [x["fingerprint"] for x in twice["findings"]] == [x["fingerprint"] for x in once["findings"]]


def test_stdin_named_twice_is_read_once():
    r = cli("lint", "-", "-", "--format", "json", input=json.dumps(GOOD))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["summary"]["files_read"] == 1


def test_folder_walk_does_not_parse_files_that_cannot_hold_a_state_machine(tmp_path, monkeypatch):
    from analyzer.engine import runner

    write(tmp_path / "package-lock.json", {"packages": {f"p{i}": {"version": "1.0.0"} for i in range(100)}})
    write(tmp_path / "notes.yaml", "title: United States\n")  # mentions States: parsed, then skipped
    write(tmp_path / "flow.asl.json", GOOD)
    parsed = []
    real = runner.parse_text
    monkeypatch.setattr(runner, "parse_text", lambda text, file, *a, **k: parsed.append(file) or real(text, file))
    r = cli("lint", str(tmp_path), "--format", "json")
    assert r.exit_code == 0
    assert sorted(p.rsplit("/", 1)[-1] for p in parsed) == ["flow.asl.json", "notes.yaml"]
    assert json.loads(r.stdout)["summary"]["files_skipped"] == 2


def test_files_over_the_size_limit_are_not_read(tmp_path, monkeypatch):
    from analyzer.load import files

    monkeypatch.setattr("analyzer.engine.runner.MAX_FILE_BYTES", 1000)
    big = write(tmp_path / "dump.asl.json", {"StartAt": "A", "States": {"A": {"Type": "Succeed", "Comment": "x" * 2000}}})
    write(tmp_path / "walk" / "dump.json", "{\"States\": \"" + "x" * 2000 + "\"}")
    r = cli("lint", str(big), "--format", "json")
    [finding] = json.loads(r.stdout)["findings"]
    assert r.exit_code == 1 and finding["rule"] == "ASL100" and "are not read" in finding["message"]
    r = cli("lint", str(tmp_path / "walk"), "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["summary"]["files_skipped"] == 1
    assert files.MAX_FILE_BYTES == 50 * 1024 * 1024


def test_serverless_file_reference_with_an_address(tmp_path):
    write(tmp_path / "serverless.yml", "service: s\nprovider: {name: aws}\nstepFunctions:\n  stateMachines:\n"
          "    orders:\n      definition: ${file(./flows.yml):orders.definition}\n"
          "    gone:\n      definition: ${file(./flows.yml):nothing.here}\n")
    write(tmp_path / "flows.yml", "orders:\n  definition:\n    StartAt: A\n    States:\n"
          "      A: {Type: Pass, Next: Missing}\n      B: {Type: Succeed}\n")
    r = cli("lint", str(tmp_path / "serverless.yml"), "--select", "ASL103", "--format", "json")
    data = json.loads(r.stdout)
    [finding] = data["findings"]
    assert (finding["file"].rsplit("/", 1)[-1], finding["line"], finding["resource"]) == ("flows.yml", 5, "orders")
    assert finding["pointer"] == "/States/A/Next"
    [unchecked] = data["summary"]["unchecked"]
    assert unchecked["resource"] == "gone" and "has no object at nothing.here" in unchecked["reason"]


def test_run_says_which_of_its_files_is_missing(tmp_path):
    f = write(tmp_path / "ok.asl.json", GOOD)
    r = cli("run", str(f), "--input", str(tmp_path / "nope.json"))
    assert r.exit_code == 2 and "input (--input): " in r.stderr and "nope.json: no such file" in r.stderr


def test_a_sam_template_is_never_read_with_the_serverless_schema():
    from analyzer.load.yaml_parser import parse_yaml

    assert parse_yaml("Transform: AWS::Serverless-2016-10-31\na: yes\n", "serverless.yaml").value["a"] is True
    assert parse_yaml("Resources: {}\na: yes\n", "serverless-app.yaml").value["a"] is True
    assert parse_yaml("a: yes\n", "serverless.prod.yml").value["a"] == "yes"
