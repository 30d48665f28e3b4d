"""The dashboard in a real browser: a warehouse built by `constellation refresh` from a copy of the
bundled sample data, `streamlit run` on a free local port, driven by Debian's Chromium through
Playwright. Screenshots of every page are kept as test artifacts (the folder in
CONSTELLATION_TEST_ARTIFACTS, else pytest's temporary directory), never committed."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.server import streamlit_command
from pipelines.lib.user_state import current_feedback, user_state_path
from pipelines.settings import DEFAULT_SAMPLE
from tests.conftest import copy_of_sample, refresh_with_cli, write_export

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
# (url path, the page's title, text that is rendered last on the page, a table cell it shows;
# "" for any cell: the grid only renders the rows in view)
PAGES = [
    ("", "Overview", "Job changes:", None),
    ("this_week", "This week", "Take the list with you", None),
    ("people?tier=inner", "People", "people match", ""),
    ("reciprocity", "Reciprocity", "Everyone, most exchanges first", ""),
    ("introductions?target=Copperleaf", "Introductions & warm paths", "Introductions worth", ""),
    ("goals", "Goals", "Meet people in climate tech", None),
    ("data_quality", "Data quality", "Files not used", "Skills.csv"),
    ("sql", "SQL", "Run query", ""),
]
OVERVIEW, THIS_WEEK, SQL = PAGES[0], PAGES[1], PAGES[-1]
if not CHROMIUM.exists():
    pytest.skip(
        "environment: /usr/bin/chromium is not installed (apt-get install chromium; .ci/run "
        "does this), so the real-browser tests cannot run here",
        allow_module_level=True,
    )
sync_api = pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, server: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{server.stdout.read()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"the dashboard did not answer on {url} within {timeout} s")


class Dashboard:
    def __init__(self, url: str, inbox: Path, env: dict[str, str]) -> None:
        self.url, self.inbox, self.env = url, inbox, env


@contextlib.contextmanager
def serve(env: dict[str, str]) -> Iterator[str]:
    """`streamlit run` the dashboard as `constellation dashboard` does, on a free local port;
    yields its URL once it answers."""
    port = free_port()
    server = subprocess.Popen(
        streamlit_command("127.0.0.1", port, "--server.fileWatcherType", "none"),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def dashboard(
    tmp_path_factory: pytest.TempPathFactory, sample_built: dict[str, str]
) -> Iterator[Dashboard]:
    root = tmp_path_factory.mktemp("browser")
    inbox = root / "inbox"
    shutil.copytree(DEFAULT_SAMPLE, inbox)  # a copy: the test adds an export to it later
    # the sample warehouse `constellation refresh` built, copied: this test refreshes it again
    env = {**os.environ, **copy_of_sample(sample_built, root, inbox)}
    with serve(env) as url:
        yield Dashboard(url, inbox, env)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = os.environ.get("CONSTELLATION_TEST_ARTIFACTS")
    target = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    target.mkdir(parents=True, exist_ok=True)
    return target


def open_page(
    page, dashboard: Dashboard, path: str, title: str, last_text: str, cell: str | None = None
) -> None:
    """Load a page and wait until it has rendered to the end; fail on any shown exception."""
    page.goto(f"{dashboard.url}/{path}", wait_until="domcontentloaded")
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=20_000)
    page.get_by_text(last_text).first.wait_for(timeout=20_000)
    if cell is not None:
        grid_cell(page, cell).wait_for(state="attached", timeout=20_000)
    assert page.locator('[data-testid="stException"]').count() == 0, page.inner_text("body")
    body = page.inner_text("body")
    assert "Traceback" not in body and "Error:" not in body, body


def grid_cell(page, text: str):
    """Tables draw on a canvas; their accessible twin in the page holds the cell text."""
    cells = page.locator('[role="gridcell"]')
    return (cells.filter(has_text=text) if text else cells).first


def connections_shown(page) -> str:
    metric = page.locator('[data-testid="stMetric"]', has_text="Connections").first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def test_every_page_renders_without_errors(dashboard: Dashboard, page, artifacts: Path) -> None:
    for path, title, last_text, cell in PAGES:
        open_page(page, dashboard, path, title, last_text, cell)
        page.screenshot(
            path=str(artifacts / f"{path.split('?')[0] or 'overview'}.png"), full_page=True
        )
    open_page(page, dashboard, *OVERVIEW)
    assert int(connections_shown(page).replace(",", "")) > 100  # the sample's network
    assert "localhost" not in dashboard.url  # bound to the loopback address only


def test_a_person_page_opens_from_the_overview(dashboard: Dashboard, page, artifacts: Path):
    open_page(page, dashboard, *OVERVIEW)
    link = page.locator('[data-testid="stPageLink"] a').first
    name = link.inner_text().strip().splitlines()[-1].split(" · ")[0].strip()  # after the icon
    link.click()
    page.get_by_role("heading", name=name, exact=True).wait_for(timeout=20_000)
    page.get_by_text("Touches over time").first.wait_for(timeout=20_000)
    assert "/person?id=p_" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    page.screenshot(path=str(artifacts / "person.png"), full_page=True)


def test_an_action_marked_done_stays_done_after_a_reload(
    dashboard: Dashboard, page, artifacts: Path
) -> None:
    open_page(page, dashboard, *THIS_WEEK)
    card = page.locator('[class*="st-key-action_"]').first
    action_id = next(
        name.removeprefix("st-key-action_")
        for name in card.get_attribute("class").split()
        if name.startswith("st-key-action_")
    )
    card.get_by_role("button", name="Done").click()
    undo = page.locator(f".st-key-undo_{action_id}")
    undo.wait_for(timeout=20_000)
    page.reload(wait_until="domcontentloaded")
    page.get_by_text("Take the list with you").first.wait_for(timeout=20_000)
    undo.wait_for(timeout=20_000)  # still in the handled list, marked done
    assert page.locator(f".st-key-action_{action_id}").count() == 0
    assert "✓ Done" in page.inner_text("body")
    page.screenshot(path=str(artifacts / "this_week_done.png"), full_page=True)
    log = current_feedback(user_state_path(Path(dashboard.env["CONSTELLATION_DB"])))
    assert log.filter(log["action_id"] == action_id)["status"].to_list() == ["done"]


def test_sql_query_shows_its_result(dashboard: Dashboard, page, artifacts: Path) -> None:
    open_page(page, dashboard, *SQL)
    editor = page.get_by_label("Query")
    editor.fill(
        "SELECT 'Amara' || ' ' || 'found' AS greeting, count(*) AS n FROM raw.linkedin_connections"
    )
    page.get_by_role("button", name="Run query").click()
    page.get_by_text("1 row in").wait_for(timeout=20_000)
    grid_cell(page, "Amara found").wait_for(state="attached", timeout=20_000)
    page.screenshot(path=str(artifacts / "sql_result.png"), full_page=True)

    editor.fill("SELECT * FROM read_csv('/etc/passwd')")
    page.get_by_role("button", name="Run query").click()
    page.get_by_text("files, other databases and extensions").wait_for(timeout=20_000)
    assert "root:" not in page.inner_text("body")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_pages_keep_loading_during_a_refresh(dashboard: Dashboard, page, artifacts: Path) -> None:
    """A refresh runs in its own process into the same warehouse while pages load repeatedly;
    none fails, and the newly published data shows afterwards."""
    open_page(page, dashboard, *OVERVIEW)
    before = int(connections_shown(page).replace(",", ""))
    write_export(
        dashboard.inbox,
        "Basic_LinkedInDataExport_06-01-2025",
        {
            "Connections.csv": b"First Name,Last Name,URL,Email Address,Company,Position,"
            b"Connected On\nNoor,Haddad,https://www.linkedin.com/in/noor-haddad-7f3e1a,,"
            b"Contoso,Engineer,01 Jun 2025\n"
        },
    )
    refresh_run = refresh_with_cli(dashboard.env)
    loads_during_refresh = 0
    try:
        while refresh_run.poll() is None:
            open_page(page, dashboard, *PAGES[loads_during_refresh % len(PAGES)])
            loads_during_refresh += 1
    finally:
        output, _ = refresh_run.communicate(timeout=120)
    assert refresh_run.returncode == 0, output
    assert loads_during_refresh >= len(PAGES), "the refresh ended before every page was loaded"
    open_page(page, dashboard, *OVERVIEW)
    assert connections_shown(page) == f"{before + 1:,}", "the new snapshot is not shown"
    page.screenshot(path=str(artifacts / "overview_after_refresh.png"), full_page=True)


def test_no_page_asks_another_host_for_anything(dashboard: Dashboard, browser) -> None:
    """A local, private app: every request a page makes goes to the dashboard's own server
    (no font CDN for icons, no telemetry). Outside requests are blocked and listed."""
    own = dashboard.url + "/"
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def only_own_server(route) -> None:
        if route.request.url.startswith(own) or route.request.url.startswith("data:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_own_server)
    try:
        page = context.new_page()
        for path, title, last_text, cell in PAGES:
            open_page(page, dashboard, path, title, last_text, cell)
        open_page(page, dashboard, *OVERVIEW)
        page.locator('[data-testid="stPageLink"] a').first.click()
        page.get_by_text("Touches over time").first.wait_for(timeout=20_000)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert outside == []


def test_a_local_app_shows_no_deploy_button(dashboard: Dashboard, page) -> None:
    open_page(page, dashboard, *OVERVIEW)
    page.locator('[data-testid="stHeader"]').first.wait_for(state="attached", timeout=20_000)
    page.wait_for_load_state("networkidle")
    assert page.locator('[data-testid="stAppDeployButton"]').count() == 0
    assert page.get_by_role("button", name="Deploy").count() == 0


def test_a_deep_link_as_the_first_request_gets_the_real_menu(dashboard: Dashboard, page) -> None:
    """A restored tab or a shared link is often the first request a freshly started dashboard
    gets: it must open inside the app, with its menu and wide layout, like any later visit."""
    with serve(dashboard.env) as url:
        page.goto(f"{url}/people?tier=inner", wait_until="domcontentloaded")
        page.get_by_role("heading", name="People", exact=True).first.wait_for(timeout=30_000)
        page.get_by_text("people match").first.wait_for(timeout=20_000)
        menu = page.locator('[data-testid="stSidebarNav"]').first.inner_text()
        width = page.locator('[data-testid="stMainBlockContainer"]').first.bounding_box()["width"]
    for title in ("Overview", "This week", "People", "Data quality", "SQL"):
        assert title in menu, menu
    for file_name in ("app", "person", "data quality", "this week"):
        assert file_name not in menu.splitlines(), menu
    assert page.title().endswith("Constellation"), page.title()
    assert width > 1000, f"the layout is narrow ({width:.0f} px of 1400)"
