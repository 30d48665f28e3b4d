"""The relationship metrics: health, reciprocity, follow-ups, weekly trends and diversity.

Each table is one SQL file in `pipelines/sql/marts/`, computed as of the run's as-of date;
docs/metrics.md explains the formulas and docs/tables/marts_metrics.md every column.
"""

import dagster as dg
import polars as pl

from pipelines import warehouse
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.defs.sql_table import ByDay, sql_table_asset
from pipelines.lib.metrics import cadence_rules as parse_cadence
from pipelines.lib.metrics import resolve_cadence


@dg.asset(
    key=["marts", "cadence_rules"],
    group_name="marts",
    deps=[
        dg.AssetKey(["core", "people"]),
        dg.AssetKey(["core", "person_identifiers"]),
        dg.AssetKey(["core", "person_sightings"]),
        dg.AssetKey(["staging", "contacts"]),
        # user state: tags come from the raw address-book rows and the dashboard, cadences set
        # in the dashboard beat the configuration
        dg.AssetKey(["raw", "contacts"]),
        dg.AssetKey(["user_state", "person_tags"]),
        dg.AssetKey(["user_state", "person_cadence"]),
    ],
    kinds={"duckdb", "python"},
    pool=WRITER_POOL,
)
def cadence_rules(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """How often to be in touch: the ideal and maximum days between contacts per tier (defaults
    or `[cadence]` in constellation.toml), and the per-tag and per-person overrides resolved to
    people (a rule that matches nobody is kept with an empty person_id), plus the cadences set
    in the dashboard (user state, source `user_state`), which win."""
    rules = parse_cadence(constellation.settings().section("cadence"))
    with constellation.connect() as con:
        frame = resolve_cadence(con, rules)
        warehouse.replace_table(con, "marts.cadence_rules", frame)
    for row in frame.filter(pl.col("person_id").is_null() & (pl.col("scope") != "tier")).rows(
        named=True
    ):
        context.log.warning(f"[cadence] {row['scope']} {row['rule']!r} matches nobody")
    return dg.MaterializeResult(metadata={"dagster/row_count": frame.height})


episodes = sql_table_asset(
    "marts",
    "episodes",
    deps=["core.interactions", "core.people"],
    description="Conversations: one row per run of written or in-person touches with a person "
    "(not connections, invitations or endorsements) in which each touch comes at most 3 days "
    "after the one before. Rhythm, frequency and 'in touch' everywhere count these.",
    checks={
        "episodes_apart": """
            SELECT person_id, episode_number FROM (
                SELECT *, started_on - lag(ended_on) OVER (
                           PARTITION BY person_id ORDER BY episode_number) AS gap
                FROM marts.episodes)
            WHERE gap <= 3 OR ended_on < started_on""",
    },
)

relationship_health = sql_table_asset(
    "marts",
    "relationship_health",
    deps=["core.interactions", "core.people", "marts.cadence_rules", "marts.episodes"],
    description="One row per person with a touch by the as-of date: last contact (any and "
    "two-way), counts over 30/90/365 days, conversations, whether you are in touch (a "
    "conversation in the last 365 days), rhythm (between conversations) and overdue ratio, a "
    "health score 0-100 (contact days of the last two years, weighed by age) with its five "
    "parts by kind of touch, tie strength, tier (inner/close/active/wider/acquaintance/dormant), cadence, status and trend.",
    checks={
        "one_row_per_person": """
            SELECT person_id, count(*) AS rows FROM marts.relationship_health
            GROUP BY person_id HAVING count(*) > 1""",
        "score_between_0_and_100": """
            SELECT person_id, health_score FROM marts.relationship_health
            WHERE health_score NOT BETWEEN 0 AND 100
               OR abs(together_points + reply_points + from_them_points + from_you_points
                      + connection_points - health_score) > 0.3""",
    },
)

reciprocity = sql_table_asset(
    "marts",
    "reciprocity",
    deps=[
        "core.interactions",
        "core.people",
        "core.person_sightings",
        "staging.linkedin_invitations",
    ],
    description="The give/ask ledger per person and overall (person_id NULL): your gives and "
    "asks, theirs, the balances, the share of your asks that were specific and time-bound and "
    "of your invitations that carried a personal note.",
    checks={
        "overall_row_adds_up": """
            SELECT 'gives' AS measure FROM marts.reciprocity
            HAVING sum(gives) FILTER (WHERE person_id IS NULL)
                <> sum(gives) FILTER (WHERE person_id IS NOT NULL)
                OR count(*) FILTER (WHERE person_id IS NULL) <> 1""",
    },
)

follow_ups = sql_table_asset(
    "marts",
    "follow_ups",
    deps=["core.interactions", "core.people"],
    description="New connections and meetings with whether you followed up within 2 and 7 "
    "days, threads where a reply is owed (with its age), and asks that got no answer.",
    checks={
        "known_items": """
            SELECT item FROM marts.follow_ups
            WHERE item NOT IN ('new_connection', 'meeting', 'reply_owed', 'unanswered_ask')""",
    },
)

# What marts.weekly_trends reads, per day: a week's row reads the touches, follow-ups and
# conversations of the days up to its end, and nothing else of them than the columns hashed here
# (keep them in step with weekly_trends.sql; tests/marts/test_weekly_trends_rebuild.py changes
# each one). core.people only leaves your own touches out, which the first query does too.
# Nothing that follows the as-of date itself is hashed: a moved as-of date recomputes from the
# earlier of the two dates anyway. A follow-up found years later changes a connection's row of
# marts.follow_ups, but not whether it was followed up within 2 days, which is all a week reads.
WEEKLY_TREND_DAYS = """
    SELECT 'core.interactions' AS input, (occurred_at AT TIME ZONE 'UTC')::DATE AS day,
           count(*) AS rows,
           sum(hash(row(person_id, occurred_at, channel, direction, kind, is_reply,
                        reply_latency_hours))::HUGEINT) AS hash_sum
    FROM core.interactions
    WHERE person_id IN (SELECT person_id FROM core.people WHERE NOT is_owner)
    GROUP BY ALL
    UNION ALL
    SELECT 'marts.follow_ups', (occurred_at AT TIME ZONE 'UTC')::DATE, count(*),
           sum(hash(row(occurred_at, followed_up_within_2d))::HUGEINT)
    FROM marts.follow_ups
    WHERE item IN ('new_connection', 'meeting') AND followed_up_within_2d IS NOT NULL
    GROUP BY ALL
    UNION ALL
    SELECT 'marts.episodes', started_on, count(*),
           sum(hash(row(person_id, started_on, ended_on))::HUGEINT)
    FROM marts.episodes
    GROUP BY ALL
"""

weekly_trends = sql_table_asset(
    "marts",
    "weekly_trends",
    deps=["core.interactions", "core.people", "marts.follow_ups", "marts.episodes"],
    by_day=ByDay(WEEKLY_TREND_DAYS, period_end="week_end"),
    description="One row per ISO week up to the as-of week: ties in touch (a conversation in "
    "the 365 days up to the week's end), new connections, "
    "interactions in and out, gives, asks, follow-up-within-2-days rate, median reply latency "
    "and the average health of the 50 strongest ties.",
    checks={
        "one_row_per_week": """
            SELECT week_start, count(*) FROM marts.weekly_trends
            GROUP BY week_start HAVING count(*) > 1""",
    },
)

network_diversity = sql_table_asset(
    "marts",
    "network_diversity",
    deps=[
        "marts.relationship_health",
        "core.people",
        "core.person_sightings",
        "staging.linkedin_connections",
    ],
    description="Ties in touch (a conversation in the last 365 days) by company, seniority "
    "(from the job "
    "title) and sector (from the company name or e-mail domain), with shares.",
)
