"""`raw.contacts`: one row per contact per address-book export file."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl

LAYOUTS = ["google", "google (2022 and earlier)", "outlook desktop", "outlook.com", "thunderbird"]


class ContactsSchema(pa.DataFrameModel):
    """A contact from Google, Outlook or Thunderbird: names, addresses, company, birthday."""

    source_layout: str = pa.Field(isin=LAYOUTS)
    full_name: str | None = pa.Field(nullable=True)
    first_name: str | None = pa.Field(nullable=True)
    last_name: str | None = pa.Field(nullable=True)
    emails: pl.List(pl.String)  # lower-cased, distinct, in the export's order
    company: str | None = pa.Field(nullable=True)
    title: str | None = pa.Field(nullable=True)
    birthday: dt.date | None = pa.Field(nullable=True)  # only when the year is known
    birthday_month: int | None = pa.Field(nullable=True, ge=1, le=12)
    birthday_day: int | None = pa.Field(nullable=True, ge=1, le=31)
    labels: pl.List(pl.String)  # Google labels / Outlook categories, `*` marker removed
    record_number: int = pa.Field(ge=1)

    class Config:
        strict = False
