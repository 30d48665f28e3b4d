"""Staging tables of mail: each message once, however many files and folders hold a copy."""

import dagster as dg

from pipelines import warehouse
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.defs.sql_table import KEPT, sql_path, sql_table_asset
from pipelines.defs.user_state.state import FORGOTTEN_ROWS
from pipelines.lib import table_builds
from pipelines.settings import ConfigError, Settings

MESSAGES_KEY = dg.AssetKey(["staging", "email_messages"])
MANY_RECIPIENTS = 15


def many_recipients(settings: Settings) -> int:
    """`[email] many_recipients`: mail to more people than this is mass mail, not a touch."""
    value = settings.section("email").get("many_recipients", MANY_RECIPIENTS)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ConfigError(f"[email] many_recipients must be a whole number above 0, not {value!r}")
    return value


@dg.asset(
    key=MESSAGES_KEY,
    group_name="staging",
    deps=[dg.AssetKey(["raw", "email_messages"]), FORGOTTEN_ROWS],
    kinds={"duckdb", "sql"},
    pool=WRITER_POOL,
    check_specs=[dg.AssetCheckSpec("no_duplicate_messages", asset=MESSAGES_KEY)],
)
def email_messages(
    context: dg.AssetExecutionContext, constellation: ConstellationResource
) -> dg.MaterializeResult:
    """Every email message once (one row per message_key): copies with the same Message-ID,
    sender and date, and copies with the same date, sender, subject and body, count once.
    `copies`, `folders` and `gmail_labels` gather all copies; `thread_id` is resolved to the root
    message's thread; `noise_reason` says why a message is not a relationship (draft, list or
    bulk mail, automatic, no-reply sender, too many recipients). `raw_message_key` joins
    raw.email_recipients."""
    # Not a plain sql_table_asset: the SQL reads the many-recipients threshold from the settings.
    limit = many_recipients(constellation.settings())
    with constellation.connect() as con:
        warehouse.run(con, "SET VARIABLE email_many_recipients = ?::INTEGER", [limit])
        # the owner is on every message: sharing them does not put two messages in one thread
        owner_emails = list(constellation.settings().owner.emails)
        warehouse.run(con, "SET VARIABLE email_owner_addresses = ?::VARCHAR[]", [owner_emails])
        query = sql_path("staging", "email_messages").read_text()
        built = table_builds.build_table(con, "staging.email_messages", query, context.run.run_id)
        rows = warehouse.scalar(con, "SELECT count(*) FROM staging.email_messages")
        duplicates = warehouse.frame(
            con,
            """SELECT message_key, count(*) AS rows FROM staging.email_messages
               GROUP BY message_key HAVING count(*) > 1""",
        )
        noise = warehouse.frame(
            con,
            """SELECT noise_reason, count(*) AS messages FROM staging.email_messages
               WHERE noise_reason IS NOT NULL GROUP BY ALL ORDER BY messages DESC""",
        )
    context.log.info(f"staging.email_messages: {rows:,} messages{'' if built else KEPT}")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": rows,
            "rebuilt": built,
            "many_recipients": limit,
            "noise": dg.MetadataValue.md(str(noise)),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="no_duplicate_messages",
                passed=duplicates.height == 0,
                metadata={"offending_rows": duplicates.height},
            )
        ],
    )


email_recipients = sql_table_asset(
    "staging",
    "email_recipients",
    deps=["staging.email_messages", "raw.email_recipients", FORGOTTEN_ROWS],
    description="The To/Cc/Bcc recipients of every message of staging.email_messages, from the "
    "copy staging kept: one row per message and recipient position.",
)
