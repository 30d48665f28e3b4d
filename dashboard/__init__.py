"""The Streamlit dashboard: `app.py` routes, `views/` holds one file per page.

The pages' folder is deliberately not called `pages/`: Streamlit treats a `pages/` folder beside
the main script as a second, file-name router, and runs such a file on its own (raw file names as
the menu, no page configuration) when a deep link is the first request a fresh server gets.
"""

from pathlib import Path

VIEWS_DIR = Path(__file__).parent / "views"


def page_files() -> list[str]:
    """Every page of the dashboard as the router names it (`views/<name>.py`)."""
    return sorted(f"views/{path.name}" for path in VIEWS_DIR.glob("*.py"))
