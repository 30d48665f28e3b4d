"""The bundled sample: deterministic, byte-faithful to LinkedIn's 2024 exports, and telling a
consistent story across the two exports (job changes, overlapping messages, planted bad rows)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.lib import inbox
from pipelines.lib.linkedin import connections, invitations, messages
from pipelines.lib.sample import write_sample
from pipelines.lib.sample.cast import build_cast

FIRST = "Basic_LinkedInDataExport_06-14-2024"
LATER = "Complete_LinkedInDataExport_12-16-2024.zip"


def contents(root: Path) -> dict[str, bytes]:
    """Every written file by relative path, zip members listed as `archive.zip/member`."""
    found: dict[str, bytes] = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        found[rel] = path.read_bytes()
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    found[f"{rel}/{name}"] = zf.read(name)
    return found


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("sample")
    written = write_sample(out, seed=7)
    assert written and all(p.exists() for p in written)
    return contents(out)


def table(data: bytes, skip_lines: int = 0) -> list[dict[str, str]]:
    text = data.decode("utf-8").split("\n", skip_lines)[-1] if skip_lines else data.decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_same_seed_writes_byte_identical_files(sample: dict[str, bytes], tmp_path: Path) -> None:
    write_sample(tmp_path, seed=7)
    again = contents(tmp_path)
    assert again.keys() == sample.keys()
    changed = [name for name in sample if again[name] != sample[name]]
    assert changed == []


def test_another_seed_gives_another_network(sample: dict[str, bytes], tmp_path: Path) -> None:
    write_sample(tmp_path, seed=8)
    other = contents(tmp_path)
    name = f"{FIRST}/Connections.csv"
    assert other[name] != sample[name]
    assert table(other[name], 3)[0]["URL"] != table(sample[name], 3)[0]["URL"]


@pytest.mark.parametrize("export", [FIRST, LATER])
def test_connections_look_like_linkedins(sample: dict[str, bytes], export: str) -> None:
    data = sample[f"{export}/Connections.csv"]
    lines = data.decode("utf-8").split("\n")
    assert lines[0] == "Notes:"
    assert lines[1].startswith('"When exporting your connection data')
    assert lines[2] == ""
    assert lines[3] == "First Name,Last Name,URL,Email Address,Company,Position,Connected On"
    assert not data.endswith(b"\n"), "LinkedIn writes no newline after the last connection"
    rows = lines[4:]
    hidden = [r for r in rows if r.startswith(",,,,,,")]
    assert 0.005 <= len(hidden) / len(rows) <= 0.03  # hidden profiles: only a date survives
    with_email = [r for r in table(data, 3) if r["Email Address"]]
    assert 0 < len(with_email) / len(rows) <= 0.04
    assert any("%" in r for r in rows), "some profile slugs are percent-encoded"
    assert any('", PhD"' in r or ', PhD"' in r for r in rows), "credentials after a comma"


def test_job_changes_show_between_the_two_exports(sample: dict[str, bytes]) -> None:
    cast = build_cast(7)
    before = {r["URL"]: r for r in table(sample[f"{FIRST}/Connections.csv"], 3)}
    after = {r["URL"]: r for r in table(sample[f"{LATER}/Connections.csv"], 3)}
    movers = [c for c in cast.contacts if c.job_change == "company"]
    in_both = [c for c in movers if c.profile_url in before and c.profile_url in after]
    assert len(in_both) >= 10
    for c in in_both:
        assert before[c.profile_url]["Company"] == c.job_before.company
        assert after[c.profile_url]["Company"] == c.job_after.company != c.job_before.company
    promoted = [c for c in cast.contacts if c.job_change == "title" and c.profile_url in before]
    assert promoted
    for c in promoted:
        assert before[c.profile_url]["Position"] != after[c.profile_url]["Position"]
    stayed = [c for c in cast.contacts if not c.job_change and c.profile_url in before]
    assert all(before[c.profile_url] == after[c.profile_url] for c in stayed)


def test_later_export_repeats_every_earlier_message(sample: dict[str, bytes]) -> None:
    def keys(data: bytes) -> set[tuple[str, ...]]:
        rows = table(data)
        return {(r["CONVERSATION ID"], r["FROM"], r["DATE"], r["CONTENT"]) for r in rows}

    first = table(sample[f"{FIRST}/messages.csv"])
    later_rows = table(sample[f"{LATER}/messages.csv"])
    earlier, later = keys(sample[f"{FIRST}/messages.csv"]), keys(sample[f"{LATER}/messages.csv"])
    assert earlier <= later
    assert len(later) > len(earlier) * 1.1, "the later export adds new conversations"
    assert "IS MESSAGE DRAFT" not in first[0] and "IS MESSAGE DRAFT" in later_rows[0]
    assert [r["CONTENT"] for r in later_rows if r["IS MESSAGE DRAFT"] == "Yes"]
    groups = [r for r in later_rows if "," in (r["RECIPIENT PROFILE URLS"] or "")]
    assert groups, "group conversations list several recipient URLs"
    assert any(r["CONVERSATION TITLE"] == "Sponsored Conversation" for r in later_rows)


def test_planted_bad_rows_reach_quarantine_or_lose_their_bad_value_and_nothing_else_does(
    tmp_path: Path,
) -> None:
    write_sample(tmp_path, seed=7)
    parsers = {
        "Connections.csv": connections.parse,
        "messages.csv": messages.parse,
        "Invitations.csv": invitations.parse,
    }
    rejected = {}
    for source in inbox.scan(tmp_path).files:
        if source.name in parsers:
            parsed = parsers[source.name](source.read_bytes(), source)
            rejected[source.path] = (len(parsed.rejected), len(parsed.rejected_values))
    # (rows quarantined, values left out of loaded rows): Quinn Harlow's impossible date costs
    # the date, not the connection
    assert rejected == {
        f"{FIRST}/Connections.csv": (0, 1),
        f"{FIRST}/Invitations.csv": (0, 0),
        f"{FIRST}/messages.csv": (0, 0),
        f"{LATER}/Connections.csv": (0, 0),
        f"{LATER}/Invitations.csv": (1, 0),
        f"{LATER}/messages.csv": (1, 0),
    }


def test_scale_two_roughly_doubles_the_network(tmp_path: Path, capsys) -> None:
    assert main(["sample", "--out", str(tmp_path / "x1"), "--seed", "7"]) == 0
    assert main(["sample", "--out", str(tmp_path / "x2"), "--seed", "7", "--scale", "2"]) == 0
    assert "Wrote" in capsys.readouterr().out

    def connection_count(root: Path) -> int:
        with zipfile.ZipFile(root / LATER) as zf:
            return len(table(zf.read("Connections.csv"), 3))

    ratio = connection_count(tmp_path / "x2") / connection_count(tmp_path / "x1")
    assert 1.7 <= ratio <= 2.3
