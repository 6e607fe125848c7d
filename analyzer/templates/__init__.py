"""State machines embedded in CloudFormation/SAM templates, CDK output and serverless.yml."""

from __future__ import annotations

from analyzer.load.definitions import Extraction
from analyzer.load.source import Document


def extract_from_template(document: Document, base_dir: str | None = None) -> Extraction:
    """Every state machine of ``document``; ``base_dir`` is the real directory of the file
    (for ``DefinitionUri``/``${file()}`` paths) when it differs from the shown path's."""
    from analyzer.templates.extract import extract

    return extract(document, base_dir)
