"""The Streamlit dashboard: `app.py` routes, `pages/` holds one file per page."""

from pathlib import Path

PAGES_DIR = Path(__file__).parent / "pages"


def page_files() -> list[str]:
    """Every page of the dashboard as the router names it (`pages/<name>.py`)."""
    return sorted(f"pages/{path.name}" for path in PAGES_DIR.glob("*.py"))
