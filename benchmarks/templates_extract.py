"""Time template extraction on a synthetic CDK-style stack (Fn::Join pieces) and a YAML !Sub block.

Run: python benchmarks/templates_extract.py [states]
"""

from __future__ import annotations

import json
import sys
import time

from analyzer.load.json_parser import parse_json
from analyzer.load.yaml_parser import parse_yaml
from analyzer.templates import extract_from_template


def cdk_template(n: int) -> str:
    pieces: list = ['{"StartAt":"S0","States":{']
    for i in range(n):
        end = '"End":true' if i == n - 1 else f'"Next":"S{i + 1}"'
        pieces += [f'"S{i}":{{"Type":"Task","Resource":"arn:', {"Ref": "AWS::Partition"},
                   ':states:::lambda:invoke","Parameters":{"FunctionName":"', {"Fn::GetAtt": [f"Fn{i}", "Arn"]},
                   f'"}},{end}}}' + ("," if i < n - 1 else "")]
    pieces.append("}}")
    return json.dumps({"Resources": {"Machine": {"Type": "AWS::StepFunctions::StateMachine",
                                                 "Properties": {"DefinitionString": {"Fn::Join": ["", pieces]}}}}})


def sub_template(n: int) -> str:
    states = ",\n".join(
        f'        "S{i}": {{"Type": "Task", "Resource": "${{Fn{i}.Arn}}", '
        + ('"End": true}' if i == n - 1 else f'"Next": "S{i + 1}"}}') for i in range(n))
    return ("Resources:\n  Machine:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
            "      DefinitionString: !Sub |\n        {\"StartAt\": \"S0\", \"States\": {\n" + states + "\n        }}\n")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    for label, text, parse in (("cdk-join", cdk_template(n), parse_json), ("yaml-sub", sub_template(n), parse_yaml)):
        start = time.perf_counter()
        doc = parse(text, label)
        parsed = time.perf_counter()
        [definition] = extract_from_template(doc).definitions
        done = time.perf_counter()
        assert len(definition.value["States"]) == n
        print(f"{label}: {len(text) / 1024:.0f} KiB, {n} states: parse {1000 * (parsed - start):.0f} ms, "
              f"extract {1000 * (done - parsed):.0f} ms")


if __name__ == "__main__":
    main()
