"""The persistent Dagster instance under data/dagster_home: run history, schedules and sensor
cursors survive restarts, and runs started from the command line show in the Dagster UI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

DEFAULT_DAGSTER_HOME = PROJECT_ROOT / "data" / "dagster_home"
INSTANCE_SETTINGS = PROJECT_ROOT / "dagster.yaml"


def ensure_dagster_home() -> Path:
    """Set DAGSTER_HOME (unless the user did) and put the committed instance settings there."""
    home = Path(os.environ.get("DAGSTER_HOME") or DEFAULT_DAGSTER_HOME).resolve()
    home.mkdir(parents=True, exist_ok=True)
    target = home / "dagster.yaml"
    if not target.exists():
        shutil.copyfile(INSTANCE_SETTINGS, target)
    os.environ["DAGSTER_HOME"] = str(home)
    return home
