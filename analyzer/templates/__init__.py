"""State machines embedded in CloudFormation/SAM templates, CDK output and serverless.yml."""

from __future__ import annotations

from analyzer.load.definitions import Extraction
from analyzer.load.source import Document


def extract_from_template(document: Document) -> Extraction:
    from analyzer.templates.extract import extract

    return extract(document)
