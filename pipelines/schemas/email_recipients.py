"""`raw.email_recipients`: one row per recipient (To, Cc, Bcc) of each message of
`raw.email_messages`, written by the same loader in the same transaction."""

from __future__ import annotations

import pandera.polars as pa

ROLES = ["to", "cc", "bcc"]


class EmailRecipientsSchema(pa.DataFrameModel):
    """A recipient of a message: lower-cased address, display name as written, role."""

    message_key: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    address: str = pa.Field()
    name: str | None = pa.Field(nullable=True)
    x_name: str | None = pa.Field(nullable=True)  # the name X-To/X-cc give this recipient
    role: str = pa.Field(isin=ROLES)
    position: int = pa.Field(ge=1)  # order within the message's recipients
    record_number: int = pa.Field(ge=1)  # the message's record_number in its file

    class Config:
        strict = False
