"""Where a Map's items come from and how they are grouped: ItemReader data and ItemBatcher.

ItemReader data is what the mocks return under the Map state's name: an array, or text
parsed as the ``ReaderConfig.InputType`` says (CSV with a header row or given headers and
any of the documented delimiters, JSONL, or JSON). ``MaxItems`` keeps the first items.
ItemBatcher groups the selected items into ``{"BatchInput": ..., "Items": [...]}``
objects limited by ``MaxItemsPerBatch`` and ``MaxInputBytesPerBatch``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from analyzer.interp.failures import StatesError
from analyzer.model.nodes import MISSING

READER_FAILED = "States.ItemReaderFailed"


def parse_reader_data(data: Any, item_reader: Any) -> list:
    reader = item_reader if isinstance(item_reader, dict) else {}
    config = reader.get("ReaderConfig") if isinstance(reader.get("ReaderConfig"), dict) else {}
    kind = config.get("InputType")
    if isinstance(data, str):
        if kind == "CSV":
            data = _read_csv(data, config)
        elif kind == "JSONL":
            try:
                data = [json.loads(line) for line in data.splitlines() if line.strip()]
            except ValueError as exc:
                raise StatesError(READER_FAILED, f"a JSONL line is not JSON: {exc}") from None
        else:
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise StatesError(READER_FAILED, f"the object is not JSON: {exc}") from None
    if not isinstance(data, list):
        raise StatesError(READER_FAILED, "the ItemReader data is not an array")
    max_items = config.get("MaxItems")
    if isinstance(max_items, int) and not isinstance(max_items, bool) and max_items > 0:
        data = data[:max_items]
    return data


def batch_items(inputs: list, per_batch: Any, max_bytes: Any, batch_input: Any = MISSING) -> list:
    batches: list[list] = []
    current: list = []
    size = 0
    for item in inputs:
        item_size = len(json.dumps(item, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        full = (per_batch is not None and len(current) >= per_batch) or \
            (max_bytes is not None and current and size + item_size > max_bytes)
        if full:
            batches.append(current)
            current, size = [], 0
        current.append(item)
        size += item_size
    if current:
        batches.append(current)
    out = []
    for batch in batches:
        entry: dict[str, Any] = {}
        if batch_input is not MISSING:
            entry["BatchInput"] = batch_input
        entry["Items"] = batch
        out.append(entry)
    return out


def _read_csv(text: str, config: dict) -> list:
    delimiter = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "TAB": "\t", "SPACE": " "}.get(
        config.get("CSVDelimiter", "COMMA"), ",")
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if config.get("CSVHeaderLocation") == "GIVEN":
        headers = config.get("CSVHeaders") or []
    else:
        if not rows:
            return []
        headers, rows = rows[0], rows[1:]
    return [dict(zip(headers, row)) for row in rows]


WRITER_FAILED = "States.ResultWriterFailed"


def written_results(results: list, result_writer: Any, target: Any, map_run: tuple[str, str]) -> Any:
    """What a Map with a ``ResultWriter`` hands on instead of (or as) its gathered results.

    * ``WriterConfig`` alone previews the results in the state output: ``FLATTEN`` splices
      iterations that returned arrays into one array; ``COMPACT`` (and, here, ``NONE``, whose
      per-execution metadata is not reproduced) keeps them as they are.
    * With a ``Resource`` the results go to S3 and the output is the Map Run summary the
      service documents: ``{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}``, the key
      being ``<Prefix>/<map run id>/manifest.json``. ``target`` is the evaluated
      ``Parameters``/``Arguments``; ``map_run`` is (Map Run ARN, map run id).
    """
    writer = result_writer if isinstance(result_writer, dict) else {}
    config = writer.get("WriterConfig") if isinstance(writer.get("WriterConfig"), dict) else {}
    if config.get("Transformation") == "FLATTEN":
        flat: list = []
        for r in results:
            flat.extend(r) if isinstance(r, list) else flat.append(r)
        results = flat
    if "Resource" not in writer:
        return results
    target = target if isinstance(target, dict) else {}
    bucket, prefix = target.get("Bucket"), target.get("Prefix", "")
    if not isinstance(bucket, str) or not bucket:
        raise StatesError(WRITER_FAILED, "the ResultWriter has no Bucket to write the results to")
    arn, run_id = map_run
    prefix = prefix.rstrip("/") + "/" if isinstance(prefix, str) and prefix else ""
    return {"MapRunArn": arn, "ResultWriterDetails": {"Bucket": bucket, "Key": f"{prefix}{run_id}/manifest.json"}}
