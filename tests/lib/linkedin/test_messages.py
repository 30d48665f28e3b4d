"""messages.csv of every era, its assistant companions, and the files that hold no messages."""

import datetime as dt

import pytest

from pipelines.lib.csvfile import UnreadableFile
from pipelines.lib.inbox import SourceFile
from pipelines.lib.linkedin import messages
from pipelines.lib.loading import validate
from pipelines.schemas.linkedin_messages import LinkedinMessagesSchema
from tests.conftest import fixture_bytes

UTC = dt.UTC


def parse(fixture: str, name: str = "messages.csv", data: bytes | None = None):
    data = fixture_bytes(f"linkedin/{fixture}") if data is None else data
    source = SourceFile(
        path=f"export/{name}", size=len(data), container="", snapshot_date=None, open=None
    )
    return messages.parse(data, source)


def by_time(parsed) -> dict[dt.datetime, dict]:
    return {row["sent_at"]: row for row in parsed.rows.iter_rows(named=True)}


@pytest.mark.parametrize(
    ("fixture", "variant", "rows"),
    [
        ("messages_2018.csv", "2018 (Messages.csv)", 2),
        ("messages_2021.csv", "2021-2023", 2),
        ("messages_2023.csv", "2023-2024 (recipient URLs)", 3),
        ("messages_2024_12.csv", "Dec 2024 (draft flags)", 3),
        ("messages_2025.csv", "2025 (attachments)", 3),
        ("messages_2025_draft.csv", "2025 (attachments, draft flag)", 2),
        ("messages_2026.csv", "2026 (all quoted)", 3),
    ],
)
def test_every_era_is_detected_from_its_header_and_passes_the_schema(fixture, variant, rows):
    parsed = parse(fixture)
    assert parsed.variant == variant
    assert parsed.rows.height == rows
    valid, rejected, left_out = validate(parsed, LinkedinMessagesSchema)
    assert (valid.height, rejected, left_out) == (rows, [], [])


def test_2018_messages_keep_direction_and_us_timestamps():
    rows = by_time(parse("messages_2018.csv", name="Messages.csv"))
    first = rows[dt.datetime(2018, 10, 16, 8, 36, tzinfo=UTC)]
    assert first["direction_2018"] == "OUTGOING"
    assert first["content"] == "Hi Jonas, are you free on Tuesday?"
    assert first["recipient_names"] == ["Jonas Weber"]
    assert first["recipient_profile_urls"] is None  # 2018 does not say
    assert rows[dt.datetime(2018, 10, 16, 21, 2, tzinfo=UTC)]["direction_2018"] == "INCOMING"


def test_bad_date_is_quarantined_and_the_other_rows_load():
    parsed = parse("messages_2021.csv")
    assert [(r.record_number, r.reason) for r in parsed.rejected] == [
        (3, "DATE '2022-02-30 10:00:00 UTC' is not a date in a known format")
    ]
    assert "2022-02-30" in parsed.rejected[0].raw
    assert parsed.rows_read == 3
    assert parsed.rows["record_number"].to_list() == [1, 2]


def test_group_conversation_names_with_commas_are_split_by_the_url_count():
    rows = by_time(parse("messages_2023.csv"))
    group = rows[dt.datetime(2023, 10, 2, 19, 5, 12, tzinfo=UTC)]
    assert group["recipient_names"] == ["Sina Rezaee, PhD", "Jonas Weber", "Li Wei"]
    assert group["recipient_slugs"] == ["sina-rezaee", "jonas-weber-3c4d", "li-wei-88"]
    assert group["content"] == 'Next book: "Thinking in Systems". Thoughts?'
    assert group["conversation_title"] == "Book club"


def test_group_names_without_urls_are_split_where_a_piece_starts_a_new_name():
    rows = by_time(parse("messages_2021.csv"))
    group = rows[dt.datetime(2022, 5, 11, 17, 40, 2, tzinfo=UTC)]
    assert group["recipient_names"] == ["Li Wei", "Rezaee, Sina"]
    assert group["folder"] == "ARCHIVE"


@pytest.mark.parametrize(
    ("text", "expected", "names"),
    [
        ("Ann Lee", 1, ["Ann Lee"]),
        ("Lee, Ann", 1, ["Lee, Ann"]),
        ("Ann Lee,Bo Chen, MBA,Cy", 3, ["Ann Lee", "Bo Chen, MBA", "Cy"]),
        ("Ann,Bo", 2, ["Ann", "Bo"]),
        ("", 0, []),
    ],
)
def test_split_names(text, expected, names):
    assert messages.split_names(text, expected) == names


def test_sponsored_inmail_is_flagged_and_people_are_not():
    parsed = parse("messages_2023.csv")
    flags = {row["sender_name"]: row["is_sponsored"] for row in parsed.rows.iter_rows(named=True)}
    assert flags == {"Priya Raman": False, "LinkedIn Member": True, "Kenji 山田": False}
    company = by_time(parse("messages_2026.csv"))[dt.datetime(2026, 3, 5, 12, tzinfo=UTC)]
    assert (company["sender_name"], company["is_sponsored"], company["folder"]) == (
        "Acme Cloud",
        True,
        "SPAM",
    )


def test_percent_encoded_sender_url_gives_a_readable_slug():
    kenji = by_time(parse("messages_2023.csv"))[dt.datetime(2023, 11, 20, 6, 45, 59, tzinfo=UTC)]
    assert kenji["sender_slug"] == "山田-kenji"
    assert kenji["content"] == "お疲れ様です 🚀"


def test_drafts_are_flagged_and_eras_without_the_flag_leave_it_unknown():
    dec = parse("messages_2024_12.csv").rows
    assert dec.filter(dec["is_draft"])["content"].to_list() == ["Hi Amara — I wanted to ask about"]
    assert dec["is_draft"].to_list() == [False, False, True]
    assert parse("messages_2025_draft.csv").rows["is_draft"].to_list() == [False, True]
    assert parse("messages_2025.csv").rows["is_draft"].to_list() == [None, None, None]


def test_2026_all_quoted_file_keeps_line_breaks_html_and_attachments():
    rows = by_time(parse("messages_2026.csv"))
    first = rows[dt.datetime(2026, 3, 2, 8, 15, 42, tzinfo=UTC)]
    assert first["content"] == "Hi Priya,\nthanks for the intro yesterday.\n\nTalk soon,\nJonas"
    reply = rows[dt.datetime(2026, 3, 2, 9, 1, 10, tzinfo=UTC)]
    assert reply["content"].startswith('<p>Happy to help &amp; good luck with the "launch"!</p>\n')
    assert reply["attachments"] == "https://www.linkedin.com/dms/prv/image/v2/D4E06AQdeck"
    assert first["attachments"] is None
    assert first["subject"] is None


def test_the_same_message_in_two_eras_gets_the_same_key():
    older = parse("messages_2024_12.csv").rows["message_key"].to_list()
    newer = parse("messages_2025.csv").rows["message_key"].to_list()
    assert set(older) & set(newer) == set(older[:2])
    assert len(set(older + newer)) == 4


def test_companion_files_are_labelled_by_assistant():
    data = fixture_bytes("linkedin/guide_messages_2026.csv")
    for name, label in [
        ("guide_messages.csv", "guide"),
        ("coach_messages.csv", "coach"),
        ("learning_coach_messages.csv", "learning_coach"),
        ("learning_role_play_messages.csv", "learning_role_play"),
        ("messages.csv", "member"),
    ]:
        assert parse("", name=name, data=data).rows["conversation_source"].unique().to_list() == [
            label
        ]
    assert messages.conversation_source("x/Messages.csv") == "member"


def test_no_conversations_found_loads_zero_rows_and_says_so():
    parsed = parse("no_conversations.csv", name="coach_messages.csv")
    assert (parsed.rows.height, parsed.rows_read, parsed.rejected) == (0, 0, [])
    assert parsed.variant == "no conversations"
    assert parsed.notes == ["the file says 'No conversations found': no messages to load"]


def test_an_unknown_header_fails_with_a_clear_message():
    with pytest.raises(UnreadableFile, match="unrecognised header"):
        parse("", data=b"Sender,Body\nAnn,Hello\n")


def test_a_draft_flag_that_is_neither_yes_nor_no_costs_the_flag_not_the_message():
    data = fixture_bytes("linkedin/messages_2024_12.csv").replace(b",Yes,No\n", b",Maybe,No\n")
    parsed = parse("", data=data)
    assert parsed.rejected == []
    assert parsed.rows.height == 3
    assert parsed.rows["is_draft"].to_list() == [False, False, None]
    assert [(v.column, v.value, v.reason) for v in parsed.rejected_values] == [
        ("is_draft", "Maybe", "IS MESSAGE DRAFT 'Maybe' is neither Yes nor No")
    ]
