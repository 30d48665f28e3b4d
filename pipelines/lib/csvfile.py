"""Read the CSV files of real exports: sniff the encoding and delimiter, skip preambles, find the
header among known variants, and hand back records with their record number, line and raw text.

Nothing is guessed silently: every assumption (an encoding other than UTF-8, a delimiter other
than a comma) is returned in `notes`, which end up in `quality.file_loads.message`.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

csv.field_size_limit(1 << 30)
LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")


class UnreadableFile(Exception):
    """The file cannot be parsed at all (wrong header, binary content...). The message says why."""


@dataclass(frozen=True)
class Variant:
    """One header layout seen in real files; `name` is stored as the file's variant.

    Most exports have one exact header. Some grow columns with the data (Google Contacts adds
    `E-mail 3 - Value` when one contact has three addresses): for those, `accepts` decides from
    the header found, `header` lists the columns it requires (for the error message), and the
    table's variant carries the header actually found, so `CsvTable.column` works as usual.
    """

    name: str
    header: tuple[str, ...]
    accepts: Callable[[tuple[str, ...]], bool] | None = field(default=None, compare=False)

    def matches(self, found: tuple[str, ...]) -> bool:
        return self.header == found if self.accepts is None else self.accepts(found)


def requires_columns(name: str, required: Sequence[str]) -> Variant:
    """A variant for headers that contain every `required` column, in any order and width."""
    needed = frozenset(required)
    return Variant(name, tuple(required), accepts=lambda found: needed <= set(found))


@dataclass(frozen=True)
class Record:
    record_number: int  # 1-based, counting data records only (not preamble or header)
    line_number: int  # physical line where the record starts
    fields: tuple[str, ...]
    raw: str


@dataclass(frozen=True)
class Rejected:
    """An input row that could not be loaded, and why. Becomes a `quality.quarantine` row."""

    record_number: int
    line_number: int | None
    raw: str
    reason: str


@dataclass
class CsvTable:
    variant: Variant
    records: list[Record]
    rejected: list[Rejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_read(self) -> int:
        return len(self.records) + len(self.rejected)

    def column(self, record: Record, name: str) -> str:
        return record.fields[self.variant.header.index(name)]

    def get(self, record: Record, name: str, default: str = "") -> str:
        """A column's value, or `default` when this variant has no such column."""
        try:
            return record.fields[self.variant.header.index(name)]
        except ValueError:
            return default


def decode(data: bytes, kind: str = "CSV") -> tuple[str, list[str]]:
    """Text of a file, and notes on the encoding when it is not plain UTF-8. `kind` names the
    text the file should hold, for the message when it holds binary data."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), []
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), ["encoding: UTF-16 (byte-order mark)"]
    if b"\x00" in data[:4096]:
        # UTF-16 without a BOM shows as every other byte zero in ASCII-heavy text.
        even_zeros = data[1:4096:2].count(0)
        if even_zeros > len(data[1:4096:2]) * 0.6:
            return data.decode("utf-16-le", errors="strict"), [
                "encoding: assumed UTF-16LE (no BOM)"
            ]
        raise UnreadableFile(f"contains NUL bytes: this is a binary file, not {kind} text")
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        where = exc.start
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
        return text, [f"encoding: not UTF-8 (byte {where}); read as Latin-1"]
    return text, [f"encoding: not UTF-8 (byte {where}); read as Windows-1252 (Excel)"]


def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", "\t", ";")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def _split(line: str, delimiter: str) -> tuple[str, ...]:
    row = next(csv.reader([line], delimiter=delimiter), [])
    return tuple(cell.strip().lstrip("\ufeff") for cell in row)


def read_csv(data: bytes, variants: Sequence[Variant], *, max_preamble_lines: int = 10) -> CsvTable:
    """Parse an export CSV whose header must be one of `variants` (the preamble is skipped)."""
    text, notes = decode(data)
    # Split on real line ends only: U+2028 and friends inside message text are not line breaks.
    lines = LINE.findall(text)
    header_index = None
    delimiter = ","
    found: tuple[str, ...] = ()
    variant = None
    for index, line in enumerate(lines[: max_preamble_lines + 1]):
        if not line.strip():
            continue
        delimiter = _sniff_delimiter(line)
        found = _split(line, delimiter)
        variant = next((v for v in variants if v.matches(found)), None)
        if variant is not None:
            if variant.accepts is not None:
                variant = dataclasses.replace(variant, header=found)
            header_index = index
            break
    if variant is None or header_index is None:
        first = next((line.strip() for line in lines if line.strip()), "")
        expected = "; ".join(
            f"{v.name}: {'columns including ' if v.accepts else ''}{','.join(v.header)}"
            for v in variants
        )
        if not first:
            raise UnreadableFile("the file is empty")
        raise UnreadableFile(f"unrecognised header {first[:200]!r}; expected one of — {expected}")
    if delimiter != ",":
        notes.append(f"delimiter: {'TAB' if delimiter == chr(9) else delimiter!r}")

    records: list[Record] = []
    rejected: list[Rejected] = []
    body = lines[header_index + 1 :]
    reader = csv.reader(iter(body), delimiter=delimiter, strict=False)
    consumed = 0  # lines of `body` consumed so far
    number = 0
    width = len(variant.header)
    while True:
        start = consumed
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            consumed = reader.line_num
            number += 1
            raw = "".join(body[start:consumed])
            rejected.append(
                Rejected(number, header_index + 2 + start, raw, f"malformed CSV: {exc}")
            )
            continue
        consumed = reader.line_num
        raw = "".join(body[start:consumed])
        if not row or all(not cell.strip() for cell in row) and len(row) <= 1:
            continue  # a blank line is not a record
        number += 1
        line_number = header_index + 2 + start
        if len(row) != width:
            rejected.append(
                Rejected(
                    number,
                    line_number,
                    raw.rstrip("\r\n"),
                    f"expected {width} fields, found {len(row)}",
                )
            )
            continue
        records.append(Record(number, line_number, tuple(row), raw.rstrip("\r\n")))
    return CsvTable(variant, records, rejected, notes)


def find_variant(
    data: bytes, variants: Sequence[Variant], *, max_preamble_lines: int = 10
) -> Variant | None:
    """The variant whose header the start of a file has, or None (for classifying files by
    their header without parsing them). `data` may be just the first few kilobytes."""
    try:
        text, _ = decode(data)
    except (UnreadableFile, UnicodeDecodeError):
        return None
    for line in LINE.findall(text)[: max_preamble_lines + 1]:
        if line.strip():
            found = _split(line, _sniff_delimiter(line))
            match = next((v for v in variants if v.matches(found)), None)
            if match is not None:
                return match
    return None
