"""One timeline of touches between the owner and each person, and what was filtered out."""

import dagster as dg

from pipelines import warehouse
from pipelines.defs.core.people import TABLE_REFERENCE
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.defs.sql_table import SQL_ROOT
from pipelines.lib import interactions
from pipelines.lib.classify.giveask import classifier_version, classify

CHANNELS = SQL_ROOT / "core" / "interactions"


def channel_queries() -> dict[str, tuple[str, set[str]]]:
    return {
        path.stem: (path.read_text(), set(TABLE_REFERENCE.findall(path.read_text())))
        for path in sorted(CHANNELS.glob("*.sql"))
    }


def _upstream_keys() -> list[dg.AssetKey]:
    tables = set().union(*(tables for _, tables in channel_queries().values()))
    tables |= {"core.people", "core.person_sightings"}
    return [dg.AssetKey(t.split(".")) for t in sorted(tables)]


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            ["core", "interactions"],
            group_name="core",
            kinds={"duckdb", "python"},
            deps=_upstream_keys(),
            description="One row per person per touch: when, channel, direction, "
            "thread, reply and latency, give/ask/neutral with subkind, and the source "
            "row it came from.",
        ),
        dg.AssetSpec(
            ["core", "text_classifications"],
            group_name="core",
            kinds={"duckdb"},
            description="The give/ask/neutral kind of every distinct text of the latest "
            "refresh, by a hash of the text (never the text) and the classifier's version: the "
            "next refresh classifies only texts that are new.",
        ),
        dg.AssetSpec(
            ["quality", "noise"],
            group_name="quality",
            kinds={"duckdb"},
            description="Rows that are not relationships (sponsored, assistant "
            "conversations, drafts, bulk and automated mail…), each with the reason.",
        ),
    ],
    check_specs=[
        dg.AssetCheckSpec(
            "every_interaction_has_direction_and_kind", asset=["core", "interactions"]
        )
    ],
    pool=WRITER_POOL,
)
def build_interactions(context: dg.AssetExecutionContext, constellation: ConstellationResource):
    """Touches from every channel, noise filtered, kinds classified (rules first, then text)."""
    with constellation.connect() as con:
        candidates = interactions.collect_candidates(con, channel_queries())
        kinds_of = interactions.CachedKinds(con, classify, classifier_version())
        touches, noise = interactions.build(candidates, kinds_of)
        warehouse.replace_table(con, "core.interactions", touches)
        warehouse.replace_table(con, "quality.noise", noise)
    incomplete = touches.filter(
        touches["direction"].is_null() | touches["kind"].is_null() | touches["person_id"].is_null()
    ).height
    by_reason = noise.group_by("reason").len().sort("len", descending=True)
    classified, known = kinds_of.classified, kinds_of.known
    context.log.info(
        f"{touches.height:,} interactions; {noise.height:,} rows filtered as noise; "
        f"{classified:,} texts classified, {known:,} known from the last refresh"
    )
    yield dg.MaterializeResult(
        asset_key=["core", "interactions"], metadata={"dagster/row_count": touches.height}
    )
    yield dg.MaterializeResult(
        asset_key=["core", "text_classifications"],
        metadata={"classified_this_run": classified, "known_from_last_refresh": known},
    )
    yield dg.MaterializeResult(
        asset_key=["quality", "noise"],
        metadata={
            "dagster/row_count": noise.height,
            "by_reason": dg.MetadataValue.md(str(by_reason)),
        },
    )
    yield dg.AssetCheckResult(
        asset_key=["core", "interactions"],
        check_name="every_interaction_has_direction_and_kind",
        passed=incomplete == 0,
        metadata={"incomplete_rows": incomplete},
    )
