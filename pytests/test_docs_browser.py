"""The dbt docs site, as an analyst sees it: generated for a warehouse built
on tiny data, served on 127.0.0.1 with Python's http.server, and driven in
headless Chromium (Chrome DevTools Protocol over a pipe, see chromium_cdp)
from the `submission` model's page to its lineage graph. The graph must show
the whole path from the csv sources through staging, marts, features and
candidates to the submission; a screenshot of it is saved to
artifacts/docs_lineage.png.

Chromium comes from `make browser` (`make test` runs it first). Without it
the test fails with that hint: it never skips.
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from collections import deque
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from chromium_cdp import CdpError, Chromium, Page
from staging_helpers import REPO_ROOT

if TYPE_CHECKING:  # the plugin is loaded by pytest_plugins, not imported
    from fixtures_warehouse import TinyWarehouse

pytest_plugins = ["fixtures_warehouse"]
pytestmark = pytest.mark.slow

MODEL = "model.hm_warehouse.submission"
SOURCE = "source.hm_warehouse.hm.transactions_train"
# nodes the analyst must see on the way from the files to the submission
PATH_NODES = [
    SOURCE,
    "model.hm_warehouse.base_hm__transactions",
    "model.hm_warehouse.stg_hm__transactions",
    "model.hm_warehouse.fct_transactions",
    "model.hm_warehouse.submission_rows",
    MODEL,
]
SCREENSHOT = REPO_ROOT / "artifacts" / "docs_lineage.png"
# the cytoscape instance of the docs' graph (cytoscape keeps it on its container)
CY = "document.querySelector('.__________cytoscape_container')._cyreg.cy"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def docs_server(tiny_docs: TinyWarehouse) -> Iterator[str]:
    """The docs site of the tiny warehouse on http://127.0.0.1:<free port>."""
    handler = functools.partial(_QuietHandler, directory=str(tiny_docs.target_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Chromium]:
    try:
        with Chromium(user_data_dir=tmp_path / "chromium-profile") as chromium:
            yield chromium
    except CdpError as err:
        pytest.fail(f"headless Chromium is not usable: {err}", pytrace=False)


def _ancestors(manifest: dict, unique_id: str) -> set[str]:
    seen: set[str] = set()
    todo = [unique_id]
    while todo:
        for parent in manifest["parent_map"].get(todo.pop(), []):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _shortest_path(edges: list[list[str]], start: str, end: str) -> list[str] | None:
    children: dict[str, list[str]] = {}
    for source, target in edges:
        children.setdefault(source, []).append(target)
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == end:
            path = [node]
            while previous[path[-1]] is not None:
                path.append(previous[path[-1]])  # type: ignore[arg-type]
            return path[::-1]
        for child in children.get(node, []):
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return None


def _path_through(edges: list[list[str]], waypoints: list[str]) -> list[str]:
    """A path along `edges` visiting `waypoints` in order ([] if none)."""
    path = [waypoints[0]]
    for start, end in pairwise(waypoints):
        leg = _shortest_path(edges, start, end)
        if leg is None:
            return []
        path += leg[1:]
    return path


def _open_lineage(page: Page, base_url: str) -> None:
    """The analyst's clicks: the model page, its lineage, full screen."""
    page.navigate(f"{base_url}/index.html#!/model/{MODEL}")
    page.wait_for("document.body.innerText.includes('submission table')", timeout=60)
    launcher = "document.querySelector('a[title=\"View Lineage Graph\"]')"
    page.wait_for(f"!!{launcher}")
    page.evaluate(f"{launcher}.click()")
    page.wait_for(
        f"(() => {{ try {{ return {CY}.nodes(':visible').length }} catch (e) {{ return 0 }} }})()"
    )
    page.evaluate("document.querySelector('a[ng-click=\"showExpanded()\"]').click()")
    # the full-screen graph selects +submission+ and lays it out left to right
    page.wait_for("location.hash.includes('g_v=1')")
    page.wait_for(f"{CY}.width() > 1000 && {CY}.nodes(':visible').length > 10")


def test_lineage_of_submission_shows_the_path_from_the_sources(
    docs_server: str, browser: Chromium, tiny_docs: TinyWarehouse
) -> None:
    manifest = json.loads((tiny_docs.target_dir / "manifest.json").read_text())
    expected = _ancestors(manifest, MODEL) | {MODEL}

    page = browser.new_page()
    # sharper screenshot: the whole DAG is fit to the window, labels are small
    page.call(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1600, "height": 1000, "deviceScaleFactor": 2, "mobile": False},
    )
    try:
        _open_lineage(page, docs_server)
        shown = page.wait_for(
            f"""(() => {{
                const cy = {CY};
                // wait until the layout has settled: every node in the viewport
                const nodes = cy.nodes(':visible');
                const inside = nodes.every(n => {{
                    const b = n.renderedBoundingBox();
                    return b.x1 >= 0 && b.y1 >= 0
                        && b.x2 <= cy.width() && b.y2 <= cy.height();
                }});
                if (!inside) return null;
                return {{
                    url: location.href,
                    selector: [...document.querySelectorAll('input')]
                        .map(i => i.value).filter(v => v.includes('submission')),
                    nodes: nodes.map(n => n.id()),
                    labels: nodes.map(n => n.data('label')),
                    edges: cy.edges(':visible')
                        .map(e => [e.source().id(), e.target().id()]),
                }};
            }})()""",
            timeout=30,
        )
    except CdpError as err:
        page.screenshot(SCREENSHOT)
        pytest.fail(f"{err}\nscreenshot: {SCREENSHOT}\n{browser.stderr_tail()}")
    page.screenshot(SCREENSHOT)

    assert "g_i=%2Bsubmission%2B" in shown["url"], shown["url"]
    assert shown["selector"] == ["+submission+"]
    missing = sorted(expected - set(shown["nodes"]))
    assert not missing, f"lineage graph lacks ancestors of submission: {missing}"
    for name in ("stg_hm__transactions", "fct_transactions", "submission"):
        assert name in shown["labels"]
    path = _path_through(shown["edges"], PATH_NODES)
    assert path, f"no path through {PATH_NODES} along the rendered graph's edges"
    print("rendered path:", " -> ".join(node.split(".")[-1] for node in path))
    assert not page.console_errors(), page.console_errors()
    assert SCREENSHOT.stat().st_size > 20_000


def test_static_docs_single_file(browser: Chromium, tiny_docs: TinyWarehouse) -> None:
    """`make docs-static`'s target/static_index.html works from file://, alone."""
    static = tiny_docs.target_dir / "static_index.html"
    alone = static.parent / "static_only"
    alone.mkdir(exist_ok=True)
    (alone / "static_index.html").write_bytes(static.read_bytes())
    page = browser.new_page()
    page.navigate(f"file://{alone / 'static_index.html'}#!/model/{MODEL}")
    try:
        page.wait_for("document.body.innerText.includes('submission table')", timeout=60)
    except CdpError as err:
        pytest.fail(f"static docs did not render the submission page: {err}")
    assert not page.console_errors(), page.console_errors()
