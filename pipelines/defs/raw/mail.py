"""Raw mail tables: every message of every mbox, maildir file and .eml in the inbox.

One multi-asset produces both `raw.email_messages` and `raw.email_recipients`: the loader
streams each file once and writes the two tables in the same transaction, so they can never
disagree about which files are loaded."""

from collections import Counter

import dagster as dg

from pipelines import warehouse
from pipelines.defs.raw.factory import describe
from pipelines.defs.resources import WRITER_POOL, ConstellationResource
from pipelines.lib import catalog, inbox
from pipelines.lib.loading import FileResult, conservation_violations
from pipelines.lib.mail import ingest
from pipelines.lib.mail.sources import KIND

MESSAGES_KEY = dg.AssetKey(["raw", "email_messages"])
RECIPIENTS_KEY = dg.AssetKey(["raw", "email_recipients"])


class ProgressLog:
    """The run log's account of a mail load: a line for each mbox and each file that failed,
    but for the files of one message each (a maildir holds tens of thousands) a count every
    `ingest.GROUP_FILES` files. Each line is an event Dagster writes to its own database,
    ~13 ms apiece: a line per file made loading 5,000 maildir files take 38 s instead of 4 s.
    Every file keeps its own row in quality.file_loads, which the refresh summary reads."""

    def __init__(self, log) -> None:
        self.log = log
        self.counts: Counter[str] = Counter()

    def __call__(self, result: FileResult) -> None:
        if result.status == "failed" or not _one_message(result):
            self.log.info(describe(result))
        if _one_message(result):
            self.counts[result.status] += 1
            if self.counts.total() % ingest.GROUP_FILES == 0:
                self.flush()

    def flush(self) -> None:
        if self.counts.total():
            statuses = ", ".join(f"{n:,} {status}" for status, n in sorted(self.counts.items()))
            self.log.info(
                f"{self.counts.total():,} one-message files (maildir, .eml) so far: {statuses}"
            )


def _one_message(result: FileResult) -> bool:
    return result.variant.split(",")[0] in ingest.ONE_MESSAGE_FORMATS


@dg.multi_asset(
    specs=[
        dg.AssetSpec(
            MESSAGES_KEY,
            group_name="raw",
            # user state: files to read again after an unforget are marked first (forget.py)
            deps=[dg.AssetKey(["user_state", "forgotten_people"])],
            kinds={"duckdb", "python"},
            description="One row per message per mail file (mbox incl. Gmail Takeout, maildir, "
            ".eml): sender, date, subject, thread, labels, list/bulk indicators, byte offset and "
            "an optional snippet. Copies in several files are removed in staging.",
        ),
        dg.AssetSpec(
            RECIPIENTS_KEY,
            group_name="raw",
            kinds={"duckdb", "python"},
            description="One row per To/Cc/Bcc recipient of each message of raw.email_messages "
            "(written by the same load, in the same transaction).",
        ),
    ],
    pool=WRITER_POOL,
    check_specs=[
        dg.AssetCheckSpec(
            "schema_valid",
            asset=MESSAGES_KEY,
            description="Every loaded message passes EmailMessagesSchema; messages that fail "
            "are quarantined with the reason.",
        ),
        dg.AssetCheckSpec(
            "rows_conserved",
            asset=MESSAGES_KEY,
            description="For every mail file, messages read = loaded + quarantined, and the "
            "table holds them.",
        ),
    ],
)
def email_messages(context: dg.AssetExecutionContext, constellation: ConstellationResource):
    """Stream every mail file of the inbox into raw.email_messages and raw.email_recipients;
    unchanged files are skipped, changed ones replaced, bad messages quarantined."""
    settings = constellation.settings()
    found = inbox.scan(settings.inbox, max_unpacked_bytes=settings.max_unpacked_bytes)
    mail_files = [f for f in found.files if catalog.kind_of(f) == KIND]
    progress = ProgressLog(context.log)
    with constellation.connect() as con:
        outcome = ingest.load_mail_files(
            con,
            context.run.run_id,
            mail_files,
            store_snippets=settings.store_email_snippets,
            progress=progress,
        )
        if progress.counts.total() % ingest.GROUP_FILES:
            progress.flush()
        violations = conservation_violations(con, ingest.MESSAGES)
        messages = warehouse.scalar(con, f"SELECT count(*) FROM {ingest.MESSAGES}")
        recipients = warehouse.scalar(con, f"SELECT count(*) FROM {ingest.RECIPIENTS}")
    for failure in outcome.failed:
        context.log.error(failure.message)
    yield dg.MaterializeResult(
        asset_key=MESSAGES_KEY,
        metadata={
            "files": len(outcome.files),
            "files_failed": len(outcome.failed),
            "rows_loaded_this_run": outcome.rows_loaded,
            "snippets_stored": settings.store_email_snippets,
            "dagster/row_count": messages,
        },
    )
    yield dg.MaterializeResult(asset_key=RECIPIENTS_KEY, metadata={"dagster/row_count": recipients})
    yield dg.AssetCheckResult(
        asset_key=MESSAGES_KEY,
        check_name="schema_valid",
        passed=outcome.schema_failures == 0,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"rows_quarantined_by_schema": outcome.schema_failures},
    )
    yield dg.AssetCheckResult(
        asset_key=MESSAGES_KEY,
        check_name="rows_conserved",
        passed=violations.height == 0,
        metadata={
            "files_not_adding_up": violations.height,
            "details": dg.MetadataValue.md(str(violations)),
        },
    )
