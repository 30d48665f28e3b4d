"""`raw.linkedin_contacts`: the address book uploaded to LinkedIn (`Contacts.csv`,
`ImportedContacts.csv`), reduced to what the product uses. The loader adds the lineage columns."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl


class LinkedinContactsSchema(pa.DataFrameModel):
    """One row per address-book contact per file; `staging` keeps one per contact_key."""

    source: str | None = pa.Field(nullable=True)
    first_name: str | None = pa.Field(nullable=True)
    last_name: str | None = pa.Field(nullable=True)
    full_name: str | None = pa.Field(nullable=True)
    emails: pl.List(pl.String)  # lower-cased, distinct, in the file's order
    companies: str | None = pa.Field(nullable=True)
    title: str | None = pa.Field(nullable=True)
    birthday: dt.date | None = pa.Field(nullable=True)  # only when the year is known
    birthday_month: int | None = pa.Field(nullable=True, ge=1, le=12)
    birthday_day: int | None = pa.Field(nullable=True, ge=1, le=31)
    profiles: pl.List(pl.String)
    profile_slugs: pl.List(pl.String)
    contact_key: str = pa.Field(str_matches=r"^[0-9a-f]{32}$")
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
