"""Run a LinkedIn parser on a fixture file as the loader would (a loose file, no snapshot)."""

from __future__ import annotations

from pipelines.lib.inbox import SourceFile
from pipelines.lib.loading import ParsedFile, Parser
from tests.conftest import fixture_bytes


def parse_fixture(parse: Parser, name: str) -> ParsedFile:
    data = fixture_bytes(f"linkedin/{name}")
    source = SourceFile(path=name, size=len(data), container="", snapshot_date=None, open=None)
    return parse(data, source)
