"""`raw.email_messages`: one row per message per file (mbox, maildir file or .eml). The loader
adds the lineage columns; `record_number` is the message's place in its file (1 for a maildir
file or an .eml)."""

from __future__ import annotations

from typing import Annotated

import pandera.polars as pa
import polars as pl

SOURCE_FORMATS = ["mbox", "maildir", "eml"]


class EmailMessagesSchema(pa.DataFrameModel):
    """Headers of one message as stored in one file; `staging.email_messages` keeps one copy."""

    message_key: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    message_id: str | None = pa.Field(nullable=True)
    date_utc: Annotated[pl.Datetime, "us", "UTC"] = pa.Field(nullable=True)
    date_offset_minutes: int | None = pa.Field(nullable=True, ge=-24 * 60, le=24 * 60)
    date_problem: str | None = pa.Field(nullable=True)
    from_address: str | None = pa.Field(nullable=True)
    from_name: str | None = pa.Field(nullable=True)
    from_x_name: str | None = pa.Field(nullable=True)  # the name in X-From, "First Last"
    subject: str | None = pa.Field(nullable=True)
    in_reply_to: str | None = pa.Field(nullable=True)
    references: Annotated[pl.List, pl.String] = pa.Field(nullable=True)
    thread_id: str = pa.Field()
    gmail_labels: Annotated[pl.List, pl.String] = pa.Field(nullable=True)
    folder: str | None = pa.Field(nullable=True)
    list_id: str | None = pa.Field(nullable=True)
    list_unsubscribe: bool = pa.Field()
    precedence: str | None = pa.Field(nullable=True)
    auto_submitted: str | None = pa.Field(nullable=True)
    is_bulk: bool = pa.Field()
    recipient_count: int = pa.Field(ge=0)
    size_bytes: int = pa.Field(ge=0)
    byte_offset: int = pa.Field(ge=0)
    source_format: str = pa.Field(isin=SOURCE_FORMATS)
    snippet: str | None = pa.Field(nullable=True)
    # the body quotes the header of a message it answers (-----Original Message-----, On... wrote:)
    quotes_earlier_message: bool = pa.Field()
    content_hash: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
