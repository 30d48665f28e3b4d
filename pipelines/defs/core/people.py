"""The owner, and one list of real people across every source."""

import re

import dagster as dg
import polars as pl

from pipelines import warehouse
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.defs.sql_table import SQL_ROOT
from pipelines.lib import forget, people
from pipelines.lib.owner import detect_owner

OBSERVATIONS = SQL_ROOT / "core" / "observations"
# user_state too: core/interactions/actions_done.sql reads user_state.action_feedback
TABLE_REFERENCE = re.compile(r"\b((?:raw|staging|user_state)\.\w+)")


def observation_queries() -> dict[str, tuple[str, set[str]]]:
    """Each source's observation SQL and the tables it reads."""
    return {
        path.stem: (path.read_text(), set(TABLE_REFERENCE.findall(path.read_text())))
        for path in sorted(OBSERVATIONS.glob("*.sql"))
    }


def _upstream_keys() -> list[dg.AssetKey]:
    tables = set().union(*(tables for _, tables in observation_queries().values()))
    return [dg.AssetKey(t.split(".")) for t in sorted(tables)]


@dg.asset(
    key=["core", "owner"],
    group_name="core",
    deps=[
        dg.AssetKey(["raw", "linkedin_profile"]),
        dg.AssetKey(["raw", "linkedin_email_addresses"]),
        dg.AssetKey(["staging", "linkedin_messages"]),
        dg.AssetKey(["staging", "email_messages"]),  # addresses you sent from
    ],
    kinds={"duckdb", "python"},
    pool=WRITER_POOL,
)
def owner(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """Who "me" is: names, email addresses and LinkedIn profile, each with where it came from
    (the configuration, else Profile.csv, Email Addresses.csv, the messages sent)."""
    settings = constellation.settings()
    with constellation.connect() as con:
        found = detect_owner(settings.owner, **people.owner_evidence(con))
        frame = pl.DataFrame(
            [{"kind": i.kind, "value": i.value, "source": i.source} for i in found],
            schema={"kind": pl.String, "value": pl.String, "source": pl.String},
        )
        warehouse.replace_table(con, "core.owner", frame)
    for item in found:
        context.log.info(f"owner {item.kind}: {item.value} (from {item.source})")
    if not found:
        context.log.warning("could not tell who you are: add [owner] to constellation.toml")
    return dg.MaterializeResult(
        metadata={
            "identifiers": len(found),
            "detected": dg.MetadataValue.md(str(frame)) if found else "nothing",
        }
    )


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["core", "people"],
            group_name="core",
            kinds={"duckdb", "python"},
            # user state: forgotten people are purged first and their sightings left out
            deps=[
                *_upstream_keys(),
                dg.AssetKey(["core", "owner"]),
                dg.AssetKey(["quality", "forgotten_rows"]),
                dg.AssetKey(["user_state", "forgotten_people"]),
            ],
            description="One row per real person across all sources.",
        ),
        dg.AssetSpec(
            ["core", "person_identifiers"],
            group_name="core",
            kinds={"duckdb"},
            description="Every email address, LinkedIn profile and name of each "
            "person, with the rule that linked it (the evidence).",
        ),
        dg.AssetSpec(
            ["core", "person_sightings"],
            group_name="core",
            kinds={"duckdb"},
            description="Which person each source row (message, connection, "
            "invitation, …) refers to.",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec("one_person_per_identifier", asset=["core", "person_identifiers"])
    ],
    pool=WRITER_POOL,
)
def resolve_people(context: dg.AssetExecutionContext, constellation: ConstellationResource):
    """Identity resolution (see pipelines/lib/identity.py for the rules)."""
    settings = constellation.settings()
    merges = settings.section("people").get("merge", [])
    splits = settings.section("people").get("split", [])
    with constellation.connect() as con:
        observations = people.collect_observations(con, observation_queries())
        # user state: sightings of forgotten people left in shared rows (group messages,
        # co-recipients) are left out, so nothing is built for them (pipelines/lib/forget.py)
        if warehouse.table_exists(con, "user_state.forgotten_people"):
            forgotten = warehouse.frame(con, "SELECT * FROM user_state.forgotten_people")
            observations = forget.drop_observations(observations, forgotten)
        built = people.build(
            observations,
            force_merge=[tuple(pair) for pair in merges],
            force_split=splits,
            owner=people.owner_identifiers(con),
        )
        for name, frame in built.items():
            warehouse.replace_table(con, f"core.{name}", frame)
        clashes = warehouse.frame(
            con,
            """SELECT kind, value, count(DISTINCT person_id) AS people
               FROM core.person_identifiers WHERE kind <> 'name' GROUP BY ALL HAVING people > 1""",
        )
    context.log.info(f"{built['people'].height:,} people from {observations.height:,} sightings")
    yield dg.MaterializeResult(
        asset_key=["core", "people"], metadata={"dagster/row_count": built["people"].height}
    )
    yield dg.MaterializeResult(
        asset_key=["core", "person_identifiers"],
        metadata={"dagster/row_count": built["person_identifiers"].height},
    )
    yield dg.MaterializeResult(
        asset_key=["core", "person_sightings"],
        metadata={"dagster/row_count": built["person_sightings"].height},
    )
    yield dg.AssetCheckResult(
        asset_key=["core", "person_identifiers"],
        check_name="one_person_per_identifier",
        passed=clashes.height == 0,
        metadata={"identifiers_on_several_people": clashes.height},
    )
