"""A console logger that shows progress a person can read: what each asset did, and failures,
without Dagster's per-event chatter. The full event log stays in the Dagster instance (UI)."""

import logging
import sys

import dagster as dg
from dagster._core.log_manager import LOG_RECORD_METADATA_ATTR

SHOWN_EVENTS = {"STEP_FAILURE": "failed", "ASSET_MATERIALIZATION": "done"}


class ProgressFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        meta = getattr(record, LOG_RECORD_METADATA_ATTR, None) or {}
        step = meta.get("step_key") or ""
        event = meta.get("dagster_event")
        if event is None:
            return f"  [{step}] {meta.get('orig_message', record.getMessage())}"
        label = SHOWN_EVENTS.get(event.event_type_value)
        if label == "failed":
            return f"✗ [{step}] failed: {event.step_failure_data.error.message.strip()}"
        if label == "done":
            return f"✓ {event.asset_key.to_user_string()}"
        return ""


class ProgressHandler(logging.StreamHandler):
    def emit(self, record: logging.LogRecord) -> None:
        if self.format(record):
            super().emit(record)


@dg.logger(description="Concise progress on stderr: asset messages, completions and failures.")
def progress_logger(init_context: dg.InitLoggerContext) -> logging.Logger:
    logger = logging.getLogger("constellation.progress")
    logger.setLevel(logging.DEBUG)  # completions are DEBUG events; the formatter filters
    logger.propagate = False
    logger.handlers.clear()
    handler = ProgressHandler(sys.stderr)
    handler.setFormatter(ProgressFormatter())
    logger.addHandler(handler)
    return logger


@dg.definitions
def loggers() -> dg.Definitions:
    return dg.Definitions(loggers={"console": progress_logger})
