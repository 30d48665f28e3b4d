"""What to do this week: recommended actions, introductions, warm paths and goals.

SQL builds the tables whose logic is a query (person_jobs, co_appearances, introductions,
goal_progress); Python assets build what needs the configuration (goals), a relation handed to
shared SQL (goal_contacts, warm_paths: the dashboard runs the same SQL for any target) or
ranking, rotation and the user's feedback (recommended_actions). docs/actions.md explains the
rules, docs/tables/marts_actions.md every column.
"""

import dagster as dg
import polars as pl

from pipelines import warehouse
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.defs.sql_table import sql_path, sql_table_asset
from pipelines.lib import actions, needs, user_state
from pipelines.lib import warm_paths as paths


def _key(name: str) -> dg.AssetKey:
    return dg.AssetKey(name.split("."))


person_jobs = sql_table_asset(
    "marts",
    "person_jobs",
    deps=[
        "core.people",
        "core.person_sightings",
        "staging.linkedin_connections",
        "staging.contacts",
    ],
    description="Every employer and job title seen per contact, per LinkedIn export and address "
    "book, with is_current for the newest; job changes between exports show as two rows.",
)

co_appearances = sql_table_asset(
    "marts",
    "co_appearances",
    deps=[
        "core.people",
        "core.interactions",
        "core.person_sightings",
        "staging.linkedin_messages",
        "staging.calendar_attendees",
    ],
    description="Pairs of your contacts who have been in the same thread, group message or "
    "meeting (groups over 50 people left out): who already knows whom.",
    checks={
        "ordered_pairs": """
            SELECT * FROM marts.co_appearances WHERE person_a_id >= person_b_id""",
    },
)

# What your contacts wrote to you in the past year, for the needs they state.
_INBOUND_TEXT = """
    SELECT i.person_id, (i.occurred_at AT TIME ZONE 'UTC')::DATE AS asked_on,
           coalesce(m.content_text, e.snippet) AS text
    FROM core.interactions AS i
    JOIN core.people AS p ON p.person_id = i.person_id AND NOT p.is_owner
    LEFT JOIN staging.linkedin_messages AS m
      ON i.source_table = 'staging.linkedin_messages' AND m.message_key = i.source_key
    LEFT JOIN staging.email_messages AS e
      ON i.source_table = 'staging.email_messages' AND e.message_key = i.source_key
    WHERE i.direction = 'inbound'
      AND (i.occurred_at AT TIME ZONE 'UTC')::DATE
          BETWEEN ?::DATE - 365 AND ?::DATE
      AND coalesce(m.content_text, e.snippet) IS NOT NULL
"""


@dg.asset(
    key=_key("marts.contact_needs"),
    group_name="marts",
    deps=[
        _key(k)
        for k in (
            "core.people",
            "core.interactions",
            "staging.linkedin_messages",
            "staging.email_messages",
        )
    ],
    kinds={"duckdb", "python"},
    pool=WRITER_POOL,
)
def contact_needs(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """What your contacts asked for in the past year that another contact could answer: an
    introduction to someone at a company, advice on getting into a field, a role they are
    looking for (pipelines/lib/needs.py); the latest time each was asked."""
    as_of = constellation.settings().as_of_date
    with constellation.connect() as con:
        messages = warehouse.frame(con, _INBOUND_TEXT, [as_of, as_of])
        frame = needs.contact_needs(messages)
        warehouse.replace_table(con, "marts.contact_needs", frame)
    context.log.info(f"marts.contact_needs: {frame.height} needs in {messages.height} messages")
    return dg.MaterializeResult(metadata={"dagster/row_count": frame.height})


introductions = sql_table_asset(
    "marts",
    "introductions",
    deps=[
        "marts.relationship_health",
        "marts.person_jobs",
        "marts.co_appearances",
        "marts.contact_needs",
        "marts.goal_contacts",
        "core.people",
    ],
    description="Pairs of your stronger ties at different companies who have never been in "
    "touch, with a concrete reason to meet (one asked for what the other does, a former employer "
    "in common, the same field, a goal of yours both serve), a score and the reason.",
    checks={
        "never_in_touch": """
            SELECT i.* FROM marts.introductions AS i
            JOIN marts.co_appearances AS c
              ON c.person_a_id = least(i.person_a_id, i.person_b_id)
             AND c.person_b_id = greatest(i.person_a_id, i.person_b_id)""",
        "never_colleagues": """
            WITH employer AS (
                SELECT person_id, lower(trim(company)) AS company_key
                FROM marts.person_jobs WHERE is_current AND company IS NOT NULL
                UNION
                SELECT person_id, lower(trim(company)) FROM core.people WHERE company IS NOT NULL
            )
            SELECT i.* FROM marts.introductions AS i
            JOIN employer AS a ON a.person_id = i.person_a_id
            JOIN employer AS b
              ON b.person_id = i.person_b_id AND b.company_key = a.company_key""",
    },
)


@dg.asset(
    key=_key("marts.goals"),
    group_name="marts",
    kinds={"duckdb", "python"},
    pool=WRITER_POOL,
)
def goals(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """The goals from the configuration's [[goals]] blocks: name, roles, companies, keywords."""
    settings = constellation.settings()
    frame = actions.goals_frame(actions.configured_goals(settings))
    with constellation.connect() as con:
        warehouse.replace_table(con, "marts.goals", frame)
    context.log.info(f"marts.goals: {frame.height} goals from {settings.config_path}")
    return dg.MaterializeResult(metadata={"dagster/row_count": frame.height})


@dg.asset(
    key=_key("marts.goal_contacts"),
    group_name="marts",
    deps=[_key(k) for k in ("marts.goals", "marts.person_jobs", "marts.relationship_health")],
    kinds={"duckdb", "sql"},
    pool=WRITER_POOL,
)
def goal_contacts(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """The contacts relevant to each goal (by role, company or keyword) and why they match."""
    with constellation.connect() as con:
        terms = actions.goal_terms(warehouse.frame(con, "SELECT * FROM marts.goals"))
        frame = paths.goal_contacts(con, terms)
        warehouse.replace_table(con, "marts.goal_contacts", frame)
    context.log.info(f"marts.goal_contacts: {frame.height} rows")
    return dg.MaterializeResult(metadata={"dagster/row_count": frame.height})


goal_progress = sql_table_asset(
    "marts",
    "goal_progress",
    deps=["marts.goals", "marts.goal_contacts", "core.interactions"],
    description="Per goal and month (last 12): goal contacts you were in touch with and touches.",
    checks={
        "twelve_months_per_goal": """
            SELECT goal, count(*) FROM marts.goal_progress GROUP BY goal HAVING count(*) <> 12""",
    },
)


@dg.asset(
    key=_key("marts.warm_paths"),
    group_name="marts",
    deps=[
        _key(k)
        for k in (
            "marts.goal_contacts",
            "marts.co_appearances",
            "marts.person_jobs",
            "marts.relationship_health",
        )
    ],
    kinds={"duckdb", "sql"},
    pool=WRITER_POOL,
)
def warm_paths(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """For each goal, which contacts lead there: the goal's contacts themselves, and people who
    share threads or meetings or an employer with them."""
    with constellation.connect() as con:
        people = warehouse.frame(
            con,
            """SELECT goal AS target, 'goal' AS target_kind, goal, person_id, matched_on
               FROM marts.goal_contacts""",
        )
        frame = paths.warm_paths(con, people)
        warehouse.replace_table(con, "marts.warm_paths", frame)
    context.log.info(f"marts.warm_paths: {frame.height} rows")
    return dg.MaterializeResult(metadata={"dagster/row_count": frame.height})


@dg.asset(
    key=_key("marts.recommended_actions"),
    group_name="marts",
    deps=[
        _key(k)
        for k in (
            "core.people",
            "core.interactions",
            "core.person_sightings",
            "staging.contacts",
            "staging.linkedin_messages",
            "staging.email_messages",
            "marts.relationship_health",
            "marts.follow_ups",
            "marts.person_jobs",
            "marts.introductions",
            "marts.goal_contacts",
            "marts.warm_paths",
            "user_state.action_feedback",
        )
    ],
    kinds={"duckdb", "python"},
    pool=WRITER_POOL,
    check_specs=[
        dg.AssetCheckSpec("few_open_actions", asset=_key("marts.recommended_actions")),
        dg.AssetCheckSpec("unique_action_ids", asset=_key("marts.recommended_actions")),
    ],
)
def recommended_actions(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """This week's short list: who to answer, follow up, check in with, congratulate, give to
    first, reconnect with, introduce, and pick this week, each with its reason and an opening
    line; the user's feedback (done / snoozed / dismissed, the log next to the warehouse, as
    copied into user_state.action_feedback by this refresh) applied."""
    settings = constellation.settings()
    config = actions.action_settings(settings)
    feedback_path = user_state.user_state_path(settings.db_path)
    events = user_state.read_events(feedback_path)
    feedback = user_state.current_feedback(feedback_path)
    with constellation.connect() as con:
        warehouse.run(con, "SET VARIABLE as_of = ?::DATE", [settings.as_of_date])
        candidates = warehouse.frame(con, sql_path("marts", "recommended_actions").read_text())
        goal_people = dict(
            warehouse.frame(
                con,
                "SELECT person_id, min(goal) AS goal FROM marts.goal_contacts GROUP BY ALL",
            ).iter_rows()
        )
        frame = actions.choose_actions(
            candidates, feedback, goal_people, config, settings.as_of_date
        )
        warehouse.replace_table(con, "marts.recommended_actions", frame)
    open_rows = frame.filter(pl.col("status") == "open")
    by_type = open_rows.group_by("action_type").len().sort("action_type")
    context.log.info(
        f"marts.recommended_actions: {open_rows.height} open of {candidates.height} candidates; "
        f"{events.height} feedback events from {feedback_path}"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": frame.height,
            "open_actions": open_rows.height,
            "candidates": candidates.height,
            "feedback_events": events.height,
            "by_type": dg.MetadataValue.md(str(by_type)),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="few_open_actions",
                passed=open_rows.height <= config.max_open,
                metadata={"open": open_rows.height, "max_open": config.max_open},
            ),
            dg.AssetCheckResult(
                check_name="unique_action_ids",
                passed=frame["action_id"].n_unique() == frame.height,
            ),
        ],
    )
