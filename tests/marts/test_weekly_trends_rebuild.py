"""marts.weekly_trends is computed again only from the first day whose touches, follow-ups or
conversations changed (`table_builds.build_table_from_day`), and comes out as a computation of
every week would, on a copy of the bundled sample's warehouse."""

from __future__ import annotations

import datetime as dt

import pytest
from polars.testing import assert_frame_equal

from pipelines import warehouse
from pipelines.defs.marts.metrics import WEEKLY_TREND_DAYS
from pipelines.defs.sql_table import sql_path
from pipelines.lib import table_builds
from pipelines.settings import ENV_DB, SAMPLE_AS_OF
from tests.conftest import copy_of_sample

TABLE = "marts.weekly_trends"
QUERY = sql_path("marts", "weekly_trends").read_text()


@pytest.fixture
def con(sample_built, tmp_path):
    settings = copy_of_sample(sample_built, tmp_path / "copy")
    with warehouse.connect(settings[ENV_DB]) as con:
        warehouse.run(con, "SET VARIABLE as_of = ?::DATE", [SAMPLE_AS_OF])
        yield con


def rebuild(con, query: str = QUERY) -> dt.date | None:
    return table_builds.build_table_from_day(
        con, TABLE, query, "test", day_inputs=WEEKLY_TREND_DAYS, period_end="week_end"
    )


def assert_every_week_as_computed_whole(con) -> None:
    table = warehouse.frame(con, f"SELECT * FROM {TABLE} ORDER BY week_start")
    whole = warehouse.frame(con, f"SELECT * FROM ({QUERY}) ORDER BY week_start")
    assert table.height > 100
    assert_frame_equal(table, whole)


def busiest(con) -> str:
    return warehouse.scalar(
        con,
        """SELECT person_id FROM core.interactions
           WHERE person_id IN (SELECT person_id FROM core.people WHERE NOT is_owner)
           GROUP BY ALL ORDER BY count(*) DESC, person_id LIMIT 1""",
    )


def touch_again(con, at: str, touches: int) -> None:
    """Copies of the busiest person's first `touches` touches, at `at` (UTC)."""
    warehouse.run(
        con,
        f"""INSERT INTO core.interactions
            SELECT * REPLACE (interaction_id || '-' || ? AS interaction_id,
                              ?::TIMESTAMPTZ AS occurred_at)
            FROM core.interactions WHERE person_id = ? LIMIT {touches}""",
        [at, at, busiest(con)],
    )


def test_the_refresh_left_a_record_so_nothing_changed_means_nothing_computed(con):
    assert rebuild(con) is None
    assert_every_week_as_computed_whole(con)


def test_new_touches_two_days_ago_recompute_the_weeks_from_then_only(con):
    touch_again(con, "2024-12-18 10:00:00+00", touches=3)
    assert rebuild(con) == dt.date(2024, 12, 18)
    assert_every_week_as_computed_whole(con)


def test_an_old_touch_classified_again_recomputes_from_its_day(con):
    old = warehouse.frame(
        con,
        """SELECT interaction_id, (occurred_at AT TIME ZONE 'UTC')::DATE AS day
           FROM core.interactions WHERE person_id = ? AND occurred_at < TIMESTAMPTZ '2023-06-01'
           ORDER BY occurred_at DESC LIMIT 1""",
        [busiest(con)],
    ).row(0)
    warehouse.run(
        con,
        """UPDATE core.interactions SET kind = CASE WHEN kind = 'ask' THEN 'give' ELSE 'ask' END
           WHERE interaction_id = ?""",
        [old[0]],
    )
    assert rebuild(con) == old[1]
    assert_every_week_as_computed_whole(con)


def recomputed_from(con) -> dt.date | None:
    start = rebuild(con)
    assert_every_week_as_computed_whole(con)
    return start


def move_as_of(con, day: dt.date) -> None:
    """A new as-of date, with the marts a week reads built for it, as a daily run does."""
    warehouse.run(con, "SET VARIABLE as_of = ?::DATE", [day])
    for mart in ("episodes", "follow_ups"):
        table_builds.build_table(con, f"marts.{mart}", sql_path("marts", mart).read_text(), "test")


def test_a_moved_as_of_date_recomputes_from_the_earlier_of_the_two(con):
    """The follow-ups and conversations of the new date are built first, as in a daily run: the
    weeks are still computed again from the earlier date only."""
    move_as_of(con, SAMPLE_AS_OF + dt.timedelta(days=1))
    assert recomputed_from(con) == SAMPLE_AS_OF
    move_as_of(con, dt.date(2024, 10, 1))
    # a meeting of 30 September may be followed up on 2 October: not known as of 1 October
    assert dt.date(2024, 9, 17) <= recomputed_from(con) <= dt.date(2024, 10, 1)
    last = warehouse.scalar(con, f"SELECT max(week_end) FROM {TABLE}")
    assert last == dt.date(2024, 10, 1)


def test_a_touch_after_the_as_of_date_recomputes_the_last_week_only(con):
    touch_again(con, "2025-01-08 10:00:00+00", touches=1)
    assert rebuild(con) == SAMPLE_AS_OF
    assert_every_week_as_computed_whole(con)
    assert rebuild(con) is None  # recorded: the next build finds nothing new


def test_someone_found_to_be_you_leaves_every_week_they_were_in(con):
    person = busiest(con)
    first = warehouse.scalar(
        con,
        """SELECT min(d) FROM (
               SELECT (occurred_at AT TIME ZONE 'UTC')::DATE AS d FROM core.interactions
               WHERE person_id = ?
               UNION ALL SELECT started_on FROM marts.episodes WHERE person_id = ?)""",
        [person, person],
    )
    warehouse.run(con, "UPDATE core.people SET is_owner = true WHERE person_id = ?", [person])
    assert rebuild(con) == first
    assert_every_week_as_computed_whole(con)


def test_a_table_changed_by_hand_or_other_sql_computes_every_week(con):
    warehouse.run(con, f"UPDATE {TABLE} SET gives = gives + 1 WHERE week_start = DATE '2023-05-01'")
    assert rebuild(con) == dt.date.min
    assert_every_week_as_computed_whole(con)
    assert rebuild(con, QUERY + "\n-- another version") == dt.date.min
    warehouse.run(con, f"DELETE FROM {table_builds.BUILD_DAYS}")
    assert rebuild(con) == dt.date.min
    assert_every_week_as_computed_whole(con)


def test_the_record_holds_one_digest_per_input_and_day(con):
    days = warehouse.frame(
        con,
        f"SELECT input, count(*) AS days, count(DISTINCT day) AS distinct_days FROM "
        f"{table_builds.BUILD_DAYS} WHERE table_name = ? GROUP BY ALL ORDER BY input",
        [TABLE],
    )
    assert days["input"].to_list() == ["core.interactions", "marts.episodes", "marts.follow_ups"]
    assert days["days"].to_list() == days["distinct_days"].to_list()
    assert days["days"].min() > 50


# (table, the day of a row, the rows a week reads) of each input of the weekly trends
INPUTS = {
    "core.interactions": ("(occurred_at AT TIME ZONE 'UTC')::DATE", "true"),
    "marts.follow_ups": (
        "(occurred_at AT TIME ZONE 'UTC')::DATE",
        "item IN ('new_connection', 'meeting') AND followed_up_within_2d IS NOT NULL",
    ),
    "marts.episodes": ("started_on", "true"),
}


@pytest.mark.parametrize(
    ("table", "change"),
    [
        ("core.interactions", "channel = CASE WHEN channel = 'call' THEN 'email' ELSE 'call' END"),
        (
            "core.interactions",
            "direction = CASE WHEN direction = 'inbound' THEN 'outbound' ELSE 'inbound' END",
        ),
        ("core.interactions", "kind = CASE WHEN kind = 'ask' THEN 'give' ELSE 'ask' END"),
        ("core.interactions", "is_reply = NOT coalesce(is_reply, false)"),
        ("core.interactions", "reply_latency_hours = coalesce(reply_latency_hours, 0) + 5"),
        ("marts.follow_ups", "followed_up_within_2d = NOT followed_up_within_2d"),
        ("marts.episodes", "ended_on = ended_on + 2"),
    ],
)
def test_each_value_a_week_reads_recomputes_from_its_day(con, table, change):
    day, rows_read = INPUTS[table]
    row, on = warehouse.frame(
        con,
        f"""SELECT rowid, {day} FROM {table}
            WHERE {rows_read} AND {day} < DATE '2023-06-01'
              AND person_id IN (SELECT person_id FROM core.people WHERE NOT is_owner)
            ORDER BY {day} DESC, rowid LIMIT 1""",
    ).row(0)
    warehouse.run(con, f"UPDATE {table} SET {change} WHERE rowid = ?", [row])
    assert rebuild(con) == on
    assert_every_week_as_computed_whole(con)


@pytest.mark.parametrize(
    ("table", "change"),
    [
        ("core.interactions", "classified_by = 'classified again', thread_id = 'another'"),
        ("marts.follow_ups", "followed_up_at = occurred_at + INTERVAL 900 DAY"),
        ("marts.follow_ups", "age_days = age_days + 1, is_open = NOT is_open"),
        ("marts.episodes", "touches = touches + 1, episode_number = episode_number + 1"),
    ],
)
def test_values_no_week_reads_change_nothing(con, table, change):
    """What the digests leave out is indeed not read: every row changed, no week computed
    again, and the kept weeks are what a whole computation gives."""
    warehouse.run(con, f"UPDATE {table} SET {change}")
    assert rebuild(con) is None
    assert_every_week_as_computed_whole(con)
