"""How the dashboard is served: the one `streamlit run` command line, used by
`constellation dashboard` and by the browser tests alike.

Every option that makes the app local and private is here, on the command line rather than in a
`.streamlit/config.toml`, because Streamlit reads that file from the directory it is started in,
which is wherever the user happens to be.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "app.py"


def streamlit_command(address: str, port: int, *extra: str) -> list[str]:
    """The command that serves the dashboard on `address:port`."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        address,
        "--server.port",
        str(port),
        # Headless: Streamlit would otherwise stop at its first start to ask for an e-mail
        # address. `constellation dashboard` opens the browser itself once the server answers.
        "--server.headless",
        "true",
        # No usage statistics leave the machine.
        "--browser.gatherUsageStats",
        "false",
        # A local, private app: no "Deploy" button, no developer menu entries.
        "--client.toolbarMode",
        "minimal",
        *extra,
    ]
