"""User state: what the user said in the dashboard, copied from the logs next to the warehouse
(pipelines/lib/user_state.py) into `user_state.*` at each refresh, and the purge that keeps
forgotten people out of every table (pipelines/lib/forget.py). docs/actions.md explains both."""

import dagster as dg
import polars as pl

from pipelines import warehouse
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.lib import forget, user_state
from pipelines.lib.forget import ONLY_ABOUT_THEM

ACTION_FEEDBACK = dg.AssetKey(["user_state", "action_feedback"])
PERSON_CADENCE = dg.AssetKey(["user_state", "person_cadence"])
PERSON_TAGS = dg.AssetKey(["user_state", "person_tags"])
FORGOTTEN_PEOPLE = dg.AssetKey(["user_state", "forgotten_people"])
FORGOTTEN_ROWS = dg.AssetKey(["quality", "forgotten_rows"])
FORGOTTEN_ROWS_SCHEMA = pl.Schema(
    {
        "forget_id": pl.String,
        "target_table": pl.String,
        "path": pl.String,
        "what": pl.String,
        "rows": pl.Int64,
    }
)


@dg.asset(key=ACTION_FEEDBACK, group_name="user_state", kinds={"duckdb"}, pool=WRITER_POOL)
def action_feedback(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """Every event of the feedback log (done / snoozed / dismissed / open) in order. Events
    recorded without the action's person and type get them from the last refresh's
    marts.recommended_actions, when it still has the action (a done action becomes a touch)."""
    path = user_state.user_state_path(constellation.settings().db_path)
    events = user_state.read_events(path)
    with constellation.connect() as con:
        if warehouse.table_exists(con, "marts.recommended_actions") and events.height:
            known = warehouse.frame(
                con,
                """SELECT action_id, person_id AS _p, other_person_id AS _o, action_type AS _t
                   FROM marts.recommended_actions""",
            )
            events = (
                events.join(known, on="action_id", how="left", maintain_order="left")
                .with_columns(
                    person_id=pl.coalesce("person_id", "_p"),
                    other_person_id=pl.when(pl.col("person_id").is_null())
                    .then(pl.col("_o"))
                    .otherwise(pl.col("other_person_id")),
                    action_type=pl.coalesce("action_type", "_t"),
                )
                .select(list(user_state.FEEDBACK_SCHEMA))
            )
        warehouse.replace_table(con, "user_state.action_feedback", events)
    context.log.info(f"{events.height} feedback events from {path}")
    return dg.MaterializeResult(metadata={"dagster/row_count": events.height, "log": str(path)})


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            PERSON_CADENCE,
            group_name="user_state",
            kinds={"duckdb"},
            description="The cadence you gave a person in the dashboard (beats [cadence]).",
        ),
        dg.AssetSpec(
            PERSON_TAGS,
            group_name="user_state",
            kinds={"duckdb"},
            description="Tags you added to people, and address-book labels you removed.",
        ),
        dg.AssetSpec(
            FORGOTTEN_PEOPLE,
            group_name="user_state",
            kinds={"duckdb"},
            description="The people you asked to forget: their e-mail addresses, LinkedIn "
            "slugs and names, kept out of every table.",
        ),
    ],
    pool=WRITER_POOL,
)
def people_state(context: dg.AssetExecutionContext, constellation: ConstellationResource):
    """Copy the people log (cadence, tags, forgotten people) into user_state.*; files that held
    rows of someone no longer forgotten are marked to be read again by this refresh's loaders
    (which run after this asset)."""
    path = user_state.user_state_path(constellation.settings().db_path)
    cadence = user_state.person_cadence(path)
    tags = user_state.person_tags(path)
    forgotten = user_state.forgotten_people(path)
    with constellation.connect() as con:
        warehouse.replace_table(con, "user_state.person_cadence", cadence)
        warehouse.replace_table(con, "user_state.person_tags", tags)
        warehouse.replace_table(con, "user_state.forgotten_people", forgotten)
        reloads = forget.request_reloads(con, forgotten, f"{context.run.run_id}/unforget")
    for file, table in reloads:
        context.log.info(f"{file} will be read again into {table}: a person was unforgotten")
    yield dg.MaterializeResult(
        asset_key=PERSON_CADENCE, metadata={"dagster/row_count": cadence.height}
    )
    yield dg.MaterializeResult(asset_key=PERSON_TAGS, metadata={"dagster/row_count": tags.height})
    yield dg.MaterializeResult(
        asset_key=FORGOTTEN_PEOPLE,
        metadata={"dagster/row_count": forgotten.height, "files_to_read_again": len(reloads)},
    )


@dg.asset(
    key=FORGOTTEN_ROWS,
    group_name="quality",
    deps=[FORGOTTEN_PEOPLE, *(dg.AssetKey(["raw", name]) for name in ONLY_ABOUT_THEM)],
    kinds={"duckdb", "python"},
    pool=WRITER_POOL,
)
def forgotten_rows(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """Remove the rows only about forgotten people from the raw and staging tables (counted in
    quality.quarantine and the ledger, so rows read = loaded + quarantined still holds), and
    remove quarantined text mentioning them; the table counts what was removed per forget
    entry, table and file. core.people then leaves out their remaining sightings."""
    with constellation.connect() as con:
        forgotten = warehouse.frame(con, "SELECT * FROM user_state.forgotten_people")
        removed = forget.purge(con, forgotten, f"{context.run.run_id}/forget")
        frame = pl.DataFrame(schema=FORGOTTEN_ROWS_SCHEMA)
        if warehouse.table_exists(con, forget.QUARANTINE):
            frame = warehouse.frame(
                con,
                f"""SELECT regexp_extract(reason, '\\((f_[0-9a-f]+)\\)$', 1) AS forget_id,
                           target_table, path,
                           CASE WHEN starts_with(reason, ?) THEN 'row removed'
                                ELSE 'quarantined text removed' END AS what,
                           count(*) AS rows
                    FROM {forget.QUARANTINE}
                    WHERE starts_with(reason, ?) OR starts_with(reason, ?)
                    GROUP BY ALL ORDER BY ALL""",
                [forget.FORGOTTEN_REASON, forget.FORGOTTEN_REASON, forget.REDACTED_REASON],
            ).cast(dict(FORGOTTEN_ROWS_SCHEMA))
        warehouse.replace_table(con, "quality.forgotten_rows", frame)
    for row in removed.iter_rows(named=True):
        where = f" ({row['path']})" if row["path"] else ""
        context.log.info(f"forgot {row['rows']} rows of {row['table_name']}{where}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": frame.height,
            "forgotten_people": forgotten.height,
            "rows_removed_this_run": int(removed["rows"].sum()) if removed.height else 0,
        }
    )
