"""The explorer and the renders in a real headless Chromium (Debian's), driven by Playwright.

Every request the page makes is recorded: anything that leaves the test server fails
the test, as does any console error. An entity named with HTML shows as text.
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from govmap.model import Entity, Relation
from govmap.seed import default_seed_dir, read_seed
from govmap.stores import ChangeSet, SqliteStore
from tests.live_server import serve

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
XSS_NAME = "<img src=x onerror=alert(1)>"
XSS_ALIAS = "<script>window.pwned=1</script>"
pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = SqliteStore(tmp_path_factory.mktemp("browser") / "browser.db")
    dataset = read_seed(default_seed_dir())
    hostile = Entity(id="xss-test-body", kind="body", type="group", name=XSS_NAME,
                     aliases=[XSS_ALIAS], description='"><svg onload=alert(2)>')
    store.write(ChangeSet(upsert_entities=[*dataset.entities, hostile],
                          upsert_relations=[*dataset.relations, Relation(
                              source="xss-test-body", type="REPORTS_TO", target="first-minister",
                              note="<b>bold?</b>")], replace=True))
    with serve(store) as url:
        yield url
    store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: run scripts/install-system-deps.sh")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield launched
        launched.close()


class Watched:
    """A page with its console errors, outside requests and dialogs recorded."""

    def __init__(self, browser: object, base_url: str, *, enforce_csp: bool = False,
                 viewport: tuple[int, int] = (1500, 950)) -> None:
        # The tests' own probes (wait_for_function) are evaluated as strings, which the
        # pages' Content-Security-Policy rightly forbids, so most tests bypass it; one test
        # loads the explorer with the policy enforced, as a reviewer's browser does.
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]},  # type: ignore[attr-defined]
                                     bypass_csp=not enforce_csp)
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: None if r.url.startswith(base_url) or r.url.startswith(
            "data:") else self.outside.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector("body[data-stable=yes]", timeout=60_000)

    def clean(self) -> None:
        assert self.errors == [] and self.outside == [] and self.dialogs == []


@pytest.fixture
def watched(browser: object, base_url: str) -> Iterator[Watched]:
    page = Watched(browser, base_url)
    yield page
    page.page.close()


def test_explorer_loads_offline_without_errors(watched: Watched, base_url: str) -> None:
    watched.open(base_url + "/")
    count = watched.page.text_content("#count") or ""
    expected = len(read_seed(default_seed_dir()).entities) + 1  # the real dataset, plus one
    assert count.startswith(f"{expected} entities")
    ARTIFACTS.mkdir(exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / "explorer.png"))
    watched.clean()


def test_the_explorer_works_under_its_content_security_policy(browser: object, base_url: str) -> None:
    strict = Watched(browser, base_url, enforce_csp=True)
    strict.open(base_url + "/?selected=promise-oversight-board&view=overlaps")
    strict.page.wait_for_selector("#chain-standing")
    assert "soft oversight" in (strict.page.text_content("#chain-standing") or "")
    strict.page.wait_for_selector("#question-view[data-view=overlaps] #view-overlaps td")
    strict.clean()  # no console error: nothing the policy blocked
    strict.page.close()


def test_search_forgives_a_misspelling(watched: Watched, base_url: str) -> None:
    watched.open(base_url + "/")
    watched.page.fill("#q", "Oversite board")
    watched.page.press("#q", "Enter")
    watched.page.wait_for_function(
        "document.querySelector('#entity-name')?.textContent === 'The Promise Oversight Board'")
    relations = watched.page.text_content("#relations") or ""
    assert "is held to account by" not in relations and "holds to account" in relations
    watched.clean()


def test_search_focuses_the_oversight_board(watched: Watched, base_url: str) -> None:
    watched.open(base_url + "/")
    watched.page.fill("#q", "Oversight Board")
    watched.page.press("#q", "Enter")
    watched.page.wait_for_function(
        "document.querySelector('#entity-name')?.textContent === 'The Promise Oversight Board'")
    assert "selected=promise-oversight-board" in watched.page.url
    assert watched.page.evaluate("govmapNetwork.getSelectedNodes()") == ["promise-oversight-board"]
    assert "reports to" in (watched.page.text_content("#chain") or "")
    assert "(soft" in (watched.page.text_content("#chain") or "")
    assert (watched.page.text_content("#chain-standing") or "").endswith(
        "reaches the top only through soft oversight")
    watched.page.screenshot(path=str(ARTIFACTS / "explorer-oversight-board.png"))
    watched.clean()


def test_clicking_an_action_shows_its_chain(watched: Watched, base_url: str) -> None:
    watched.open(base_url + "/")
    point = watched.page.evaluate("""() => {
        govmapNetwork.focus('action-advocacy', {scale: 1.5, animation: false});
        const at = govmapNetwork.getPositions(['action-advocacy'])['action-advocacy'];
        const p = govmapNetwork.canvasToDOM(at);
        const box = document.getElementById('map').getBoundingClientRect();
        return {x: box.left + p.x, y: box.top + p.y};
    }""")
    watched.page.mouse.click(point["x"], point["y"])
    watched.page.wait_for_selector("#chain-explanation")
    assert (watched.page.text_content("#entity-name") or "") == "Advocacy"
    explanation = watched.page.text_content("#chain-explanation") or ""
    assert explanation.startswith("Advocacy reaches the top") and "By lead, formal lines:" in explanation
    assert (watched.page.text_content("#chain-standing") or "").startswith("Advocacy reaches the top")
    assert len(watched.page.query_selector_all("#chain-leads li")) >= 2
    watched.clean()


def test_hostile_names_render_as_text(watched: Watched, base_url: str) -> None:
    watched.open(base_url + "/?selected=xss-test-body")
    watched.page.wait_for_selector("#entity-name")
    assert watched.page.text_content("#entity-name") == XSS_NAME
    assert XSS_ALIAS in (watched.page.text_content("#panel") or "")
    assert watched.page.evaluate("window.pwned") is None
    assert watched.page.query_selector("img[src=x]") is None
    assert watched.page.query_selector("svg[onload]") is None
    # hover the node so its tooltip (built from escaped strings) is in the page
    watched.page.evaluate("govmapNetwork.focus('xss-test-body', {scale: 2, animation: false})")
    tooltip_html = watched.page.evaluate(
        "govmapNetwork.body.data.nodes.get('xss-test-body').title.innerHTML")
    assert "&lt;img src=x onerror=alert(1)&gt;" in tooltip_html
    watched.clean()


@pytest.mark.parametrize(("path", "drawn", "not_drawn"), [
    ("/render/map.html", {"xss-test-body", "scottish-parliament", "action-advocacy"}, set()),
    ("/render/map.html?focus=xss-test-body&depth=2", {"xss-test-body", "first-minister",
                                                      "scottish-government"}, {"action-advocacy"}),
    ("/render/accountability.html?for=Advocacy", {"action-advocacy", "joint-inspection-programme",
                                                  "scottish-parliament"}, {"xss-test-body"}),
    ("/embed?focus=Advocacy", {"action-advocacy", "scottish-parliament"}, {"xss-test-body", "safeguarders"}),
    ("/embed?focus=xss-test-body", {"xss-test-body", "first-minister"}, {"action-advocacy"}),
    ("/render/duplication.html", {"the-promise", "promise-oversight-board",
                                  "cabinet-sub-committee-on-the-promise"}, {"xss-test-body"}),
])
def test_renders_are_self_contained_and_safe(watched: Watched, base_url: str, path: str,
                                             drawn: set[str], not_drawn: set[str]) -> None:
    """Each render draws what it is about, every node placed on the canvas, offline, with
    the hostile name inert."""
    watched.open(base_url + path)
    ids = set(watched.page.evaluate("govmapNetwork.body.data.nodes.getIds()"))
    assert drawn <= ids and not (not_drawn & ids)
    placed = watched.page.evaluate("Object.keys(govmapNetwork.getPositions())")
    assert set(placed) == ids
    assert watched.page.query_selector("img[src=x]") is None
    watched.clean()


def test_filters_and_legend(watched: Watched, base_url: str) -> None:
    watched.open(base_url + "/?kind=body&type=board")
    assert "kind=body" in watched.page.url
    assert watched.page.input_value("#f-type") == "board"
    count = watched.page.text_content("#count") or ""
    boards = sum(e.type == "board" for e in read_seed(default_seed_dir()).entities)
    assert boards > 0 and count.startswith(f"{boards} entities")  # the boards, and only them
    assert "Plan 21-24 actions" in (watched.page.text_content("#legend") or "")
    watched.page.select_option("#f-type", "")
    watched.page.wait_for_selector("body[data-stable=yes]")
    assert "type=" not in watched.page.url
    watched.clean()


def test_the_api_docs_work_offline(browser: object, base_url: str) -> None:
    docs = Watched(browser, base_url, enforce_csp=True)
    docs.page.goto(base_url + "/docs")
    docs.page.wait_for_selector(".opblock-summary-path", timeout=60_000)
    paths = docs.page.locator(".opblock-summary-path").all_text_contents()
    assert "/accountability" in paths and "/analysis/gaps" in paths
    docs.clean()  # nothing fetched from outside 127.0.0.1, no console error
    docs.page.close()


# ---- the explorer as a reviewer reads it (issue 13), in a 1440x900 window ----------------

SCREENS = Path("/work/notes/screens")
FADED = "rgba(200,200,200,0.35)"


@pytest.fixture
def reviewer(browser: object, base_url: str) -> Iterator[Watched]:
    page = Watched(browser, base_url, viewport=(1440, 900))
    yield page
    page.page.close()


def screenshot(watched: Watched, name: str) -> None:
    """Saved with the test artefacts, and for the closing note when that folder exists."""
    ARTIFACTS.mkdir(exist_ok=True)
    watched.page.screenshot(path=str(ARTIFACTS / name))
    if SCREENS.is_dir():
        watched.page.screenshot(path=str(SCREENS / name))


def node_colour(watched: Watched, node: str) -> object:
    return watched.page.evaluate(f"govmapNetwork.body.data.nodes.get({node!r}).color")


def test_the_default_view_reads_top_down(reviewer: Watched, base_url: str) -> None:
    """The Parliament at the top, government below, actions at the bottom; at the opening
    zoom the labels are readable and the upper layers' labels do not touch."""
    reviewer.open(base_url + "/")
    positions = reviewer.page.evaluate("govmapNetwork.getPositions()")
    kinds = reviewer.page.evaluate(
        "Object.fromEntries(govmapNetwork.body.data.nodes.get().map(n => [n.id, n.kind]))")
    top = positions["scottish-parliament"]["y"]
    assert top == min(p["y"] for p in positions.values())
    assert top < positions["first-minister"]["y"] and top < positions["scottish-government"]["y"]
    lowest_body = max(p["y"] for n, p in positions.items() if kinds[n] == "body")
    assert all(positions[n]["y"] > lowest_body for n in positions if kinds[n] == "action")
    assert reviewer.page.evaluate("govmapNetwork.physics.options.enabled") is False
    # readable without zooming: 14px labels drawn at 12px or more, the top in view
    assert reviewer.page.evaluate("govmapNetwork.getScale()") * 14 >= 12
    box = reviewer.page.locator("#map").bounding_box()
    assert box is not None
    for node in ("scottish-parliament", "first-minister", "scottish-government"):
        at = reviewer.page.evaluate(
            f"govmapNetwork.canvasToDOM(govmapNetwork.getPositions([{node!r}])[{node!r}])")
        assert 0 <= at["x"] <= box["width"] and 0 <= at["y"] <= box["height"], node
    # no two labelled nodes overlap in the upper layers (the bands above "no route to the top")
    boxes = reviewer.page.evaluate("""() => {
        const band = govmapNetwork.body.data.nodes.get().filter(n => n.kind === 'body');
        const unrouted = mapData.bands.find(b => b.label.startsWith('Bodies with no route')).y;
        return band.filter(n => govmapNetwork.getPositions([n.id])[n.id].y < unrouted)
                   .map(n => [n.id, govmapNetwork.getBoundingBox(n.id)]);
    }""")
    assert len(boxes) > 40
    for i, (a, one) in enumerate(boxes):
        for b, other in boxes[i + 1:]:
            apart = (one["right"] <= other["left"] or other["right"] <= one["left"]
                     or one["bottom"] <= other["top"] or other["bottom"] <= one["top"])
            assert apart, f"{a} overlaps {b}"
    screenshot(reviewer, "default-view.png")
    reviewer.clean()


def test_soft_oversight_is_dashed_and_the_legend_never_covers_the_map(reviewer: Watched,
                                                                       base_url: str) -> None:
    reviewer.open(base_url + "/")
    dashes = reviewer.page.evaluate("""() => {
        const e = govmapNetwork.body.data.edges.get();
        const board = e.find(x => x.from === 'promise-oversight-board' && x.to === 'scottish-parliament');
        const formal = e.filter(x => x.color === '#1a237e');  // the formal line's colour
        return [board.dashes, formal.length > 0, formal.every(x => x.dashes === false)];
    }""")
    assert dashes == [True, True, True]
    assert reviewer.page.get_attribute("#legend", "open") is None  # collapsed at first
    reviewer.page.click("#legend summary")
    assert "Soft oversight" in (reviewer.page.text_content("#legend") or "")
    legend = reviewer.page.locator("#legend").bounding_box()
    drawn = reviewer.page.locator("#map").bounding_box()
    assert legend is not None and drawn is not None
    assert legend["y"] + legend["height"] <= drawn["y"] + 1  # above the map, not on it
    reviewer.page.click("#layout")  # the free (force) layout remains a click away
    reviewer.page.wait_for_selector("body[data-stable=yes]")
    assert "layout=free" in reviewer.page.url
    assert reviewer.page.text_content("#layout") == "Top-down layout"
    reviewer.clean()


def test_advocacy_chain_to_the_parliament_in_two_clicks(reviewer: Watched, base_url: str) -> None:
    """Type, pick the suggestion: the chain is lit to the Parliament, the rest dimmed, and
    the panel lists each hop with its strength and evidence, in the reviewer's order."""
    reviewer.open(base_url + "/")
    reviewer.page.click("#q")
    reviewer.page.keyboard.type("Advocacy")
    reviewer.page.click("#results li[data-id=action-advocacy]")
    reviewer.page.wait_for_selector("#panel[data-entity=action-advocacy] #chain")
    assert reviewer.page.text_content("#entity-name") == "Advocacy"
    assert node_colour(reviewer, "scottish-parliament") != FADED  # the top of its chain, lit
    assert node_colour(reviewer, "safeguarders") == FADED  # unrelated, dimmed
    lit_hop = reviewer.page.evaluate("""() => govmapNetwork.body.data.edges.get().filter(
        e => e.to === 'scottish-parliament' && e.width >= 4).length""")
    assert lit_hop >= 1  # a hop up to the Parliament drawn bold
    headings = reviewer.page.locator("#panel h3").all_text_contents()
    order = [next(i for i, h in enumerate(headings) if h.startswith(name))
             for name in ("Sources", "Accountability chain", "Gaps and findings", "Overlaps", "Relations")]
    assert order == sorted(order)
    hops = reviewer.page.locator("#chain li.hop").all_text_contents()
    assert any("Scottish Parliament" in hop and "(formal" in hop for hop in hops)
    assert len(reviewer.page.query_selector_all("#chain .hop-evidence")) == len(hops) > 0
    assert reviewer.page.locator("#relations h4").count() >= 2  # grouped by type
    screenshot(reviewer, "advocacy-focused.png")
    reviewer.page.mouse.click(20, 400)  # empty canvas: the focus clears
    reviewer.page.wait_for_function("document.body.dataset.focus === 'no'")
    assert node_colour(reviewer, "safeguarders") != FADED
    reviewer.clean()


def test_a_late_answer_never_replaces_a_newer_selection(reviewer: Watched, base_url: str) -> None:
    """The Oversight Board is asked for first but answers last: the panel keeps Advocacy."""
    held: list[object] = []
    reviewer.page.route("**/entities/promise-oversight-board", lambda route: held.append(route))
    reviewer.open(base_url + "/")
    reviewer.page.evaluate("() => { select('promise-oversight-board'); }")  # not awaited
    reviewer.page.wait_for_function("document.querySelector('#panel').textContent === 'Loading…'")
    reviewer.page.fill("#q", "Advocacy")
    reviewer.page.press("#q", "Enter")
    reviewer.page.wait_for_selector("#panel[data-entity=action-advocacy] #chain")
    assert len(held) == 1
    held[0].continue_()  # type: ignore[attr-defined]
    reviewer.page.wait_for_timeout(700)
    assert reviewer.page.text_content("#entity-name") == "Advocacy"
    assert "selected=action-advocacy" in reviewer.page.url
    reviewer.clean()


def test_a_body_shows_its_gaps_and_overlaps(reviewer: Watched, base_url: str) -> None:
    reviewer.open(base_url + "/?selected=the-promise-scotland")
    reviewer.page.wait_for_selector("#panel[data-entity=the-promise-scotland] #overlaps")
    gaps = reviewer.page.text_content("#gaps") or ""
    assert "ends without successor" in gaps and "no successor is named" in gaps
    overlaps = reviewer.page.text_content("#overlaps") or ""
    assert "role overlap" in overlaps and "The Promise Oversight Board" in overlaps
    reviewer.clean()


def test_what_if_abolishing_the_promise_scotland(reviewer: Watched, base_url: str) -> None:
    """From the page: choose the body, abolish, see the diff as a list and on the map."""
    reviewer.open(base_url + "/")
    reviewer.page.click("#whatif-open")
    reviewer.page.select_option("#whatif-body", "the-promise-scotland")
    reviewer.page.click("#whatif-form button[type=submit]")
    reviewer.page.wait_for_selector("#whatif-summary")
    assert (reviewer.page.text_content("#whatif-summary") or "").startswith("abolish The Promise Scotland")
    assert "Data Mapping and Collection: breaks" in (reviewer.page.text_content("#whatif-chains") or "")
    assert "left with no owner" in (reviewer.page.text_content("#whatif-orphaned") or "")
    assert "ends without successor: The Promise Scotland" in (
        reviewer.page.text_content("#whatif-gaps-closed") or "")
    label = reviewer.page.evaluate("govmapNetwork.body.data.nodes.get('the-promise-scotland').label")
    assert label.startswith("✕")
    assert node_colour(reviewer, "action-data-mapping-and-collection") == {
        "background": "#c62828", "border": "#b71c1c"}  # its chain breaks: marked red
    assert node_colour(reviewer, "safeguarders") == FADED
    screenshot(reviewer, "what-if-abolish-the-promise-scotland.png")
    reviewer.clean()


def test_what_if_errors_read_as_sentences(reviewer: Watched, base_url: str) -> None:
    reviewer.open(base_url + "/")
    reviewer.page.click("#whatif-open")
    reviewer.page.select_option("#whatif-op", "merge")
    reviewer.page.select_option("#whatif-body", "the-promise-scotland")
    reviewer.page.select_option("#whatif-other", "the-promise-scotland")
    reviewer.page.click("#whatif-form button[type=submit]")
    reviewer.page.wait_for_selector("#whatif-error")
    message = reviewer.page.text_content("#whatif-error") or ""
    assert "cannot point a body at itself" in message and "[object Object]" not in message
    reviewer.errors.clear()  # the browser logs the 422 response itself
    reviewer.clean()


def test_as_at_a_date_with_the_filters_shown_and_a_link_to_copy(reviewer: Watched, base_url: str) -> None:
    reviewer.open(base_url + "/")
    label = reviewer.page.evaluate("govmapNetwork.body.data.nodes.get('the-promise-scotland').label")
    assert label.endswith("ends 2030")
    before = int((reviewer.page.text_content("#count") or "").split()[0])
    reviewer.page.fill("#f-as_at", "2031-01-01")
    reviewer.page.dispatch_event("#f-as_at", "change")
    reviewer.page.wait_for_function("!govmapNetwork.body.data.nodes.get('the-promise-scotland')")
    reviewer.page.wait_for_selector("body[data-stable=yes]")
    after = int((reviewer.page.text_content("#count") or "").split()[0])
    assert after < before and "as_at=2031-01-01" in reviewer.page.url
    assert "as at = 2031-01-01" in (reviewer.page.text_content("#active-filters") or "")
    reviewer.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    reviewer.page.click("#copy-link")
    reviewer.page.wait_for_function("document.querySelector('#copy-status').textContent !== ''")
    assert reviewer.page.text_content("#copy-status") == "Link copied"
    assert reviewer.page.evaluate("navigator.clipboard.readText()") == reviewer.page.url
    reviewer.page.click("#active-filters button")  # remove the date: today's map again
    reviewer.page.wait_for_function("!!govmapNetwork.body.data.nodes.get('the-promise-scotland')")
    assert reviewer.page.text_content("#active-filters") == ""
    reviewer.clean()


def test_search_suggests_as_you_type_with_the_keyboard(reviewer: Watched, base_url: str) -> None:
    reviewer.open(base_url + "/")
    reviewer.page.click("#q")
    reviewer.page.keyboard.type("Oversite board")  # misspelt
    reviewer.page.wait_for_selector("#results li[data-id]")
    assert reviewer.page.get_attribute("#results li[data-id]", "data-id") == "promise-oversight-board"
    reviewer.page.fill("#q", "")
    reviewer.page.keyboard.type("Oversight")
    reviewer.page.wait_for_function("document.querySelectorAll('#results li[data-id]').length >= 2")
    ids = [row.get_attribute("data-id") for row in reviewer.page.query_selector_all("#results li[data-id]")]
    reviewer.page.keyboard.press("ArrowDown")
    reviewer.page.keyboard.press("ArrowDown")
    reviewer.page.keyboard.press("Enter")
    reviewer.page.wait_for_selector(f"#panel[data-entity='{ids[1]}'] #entity-name")
    assert reviewer.page.is_hidden("#results")
    reviewer.page.fill("#q", "x" * 201)
    reviewer.page.press("#q", "Enter")
    reviewer.page.wait_for_selector("#search-message")
    assert "limited to 200 characters" in (reviewer.page.text_content("#search-message") or "")
    reviewer.clean()


def test_the_embed_is_one_chain_top_down_with_a_caption(reviewer: Watched, base_url: str) -> None:
    reviewer.open(base_url + "/embed?focus=Advocacy")
    positions = reviewer.page.evaluate("govmapNetwork.getPositions()")
    assert positions["scottish-parliament"]["y"] == min(p["y"] for p in positions.values())
    assert positions["action-advocacy"]["y"] == max(p["y"] for p in positions.values())
    caption = reviewer.page.text_content("#caption") or ""
    assert caption.startswith("Who is accountable for Advocacy") and "Advocacy reaches the top" in caption
    assert reviewer.page.query_selector("aside") is None
    reviewer.clean()


def test_a_status_filter_answers_with_the_actions_and_their_chains(reviewer: Watched, base_url: str) -> None:
    """"Little or no work" shows those actions, their leads and the bodies up to the
    Parliament, not the other two hundred entities."""
    reviewer.open(base_url + "/?status=little_or_no_work")
    nodes = reviewer.page.evaluate("govmapNetwork.body.data.nodes.get().map(n => [n.id, n.kind])")
    kinds = {kind for _, kind in nodes}
    lazy = {e.id for e in read_seed(default_seed_dir()).entities
            if e.kind == "action" and str(e.status) == "little_or_no_work"}
    assert kinds <= {"action", "body", "priority_area"} and len(nodes) < 40
    assert {node for node, kind in nodes if kind == "action"} == lazy
    assert "scottish-parliament" in {node for node, _ in nodes}
    assert "status = little or no work" in (reviewer.page.text_content("#active-filters") or "")
    reviewer.clean()


# ---- the whole map's questions as views, and one source for the filters' choices -----------

def api_json(base_url: str, path: str) -> dict[str, object]:
    with urllib.request.urlopen(base_url + path, timeout=30) as response:  # loopback only
        return json.loads(response.read())


def test_the_gaps_view_lists_every_gap_most_severe_first(reviewer: Watched, base_url: str) -> None:
    """All the map's gaps, high before medium before low, each with who stated it and
    when; clicking one focuses its entity on the map and opens its panel."""
    reviewer.open(base_url + "/")
    reviewer.page.click("#questions-open")
    reviewer.page.wait_for_selector("#question-view[data-view=gaps]")
    assert "view=gaps" in reviewer.page.url
    assert reviewer.page.get_attribute("#tab-gaps", "aria-selected") == "true"
    severities = reviewer.page.locator("#view-gaps > li > span:first-child").all_text_contents()
    rank = {"high": 0, "medium": 1, "low": 2}
    assert len(severities) == api_json(base_url, "/analysis/gaps?limit=1")["total"]
    assert [rank[s] for s in severities] == sorted(rank[s] for s in severities) and severities[0] == "high"
    stated = reviewer.page.locator("#view-gaps li[data-id=action-governance-structures]").all_text_contents()
    assert any("little or no work" in row and "stated by The Promise Scotland, 2021" in row for row in stated)
    ending = reviewer.page.locator("#view-gaps li[data-id=the-promise-scotland]", has_text="no successor")
    assert "derived by govmap's rules" in (ending.text_content() or "")
    ending.click()
    reviewer.page.wait_for_selector("#panel[data-entity=the-promise-scotland] #chain")
    assert node_colour(reviewer, "the-promise-scotland") != FADED
    assert node_colour(reviewer, "safeguarders") == FADED
    assert reviewer.page.evaluate("govmapNetwork.getSelectedNodes()") == ["the-promise-scotland"]
    screenshot(reviewer, "view-gaps.png")
    reviewer.clean()


def test_the_overlaps_view_is_a_table_of_pairs_with_what_they_share_and_why(reviewer: Watched,
                                                                             base_url: str) -> None:
    reviewer.open(base_url + "/?view=overlaps")  # a copied link opens the view
    reviewer.page.wait_for_selector("#question-view[data-view=overlaps]")
    headings = reviewer.page.locator("#view-overlaps th").all_text_contents()
    assert headings == ["Pair", "What they share", "Why"]
    parallel = reviewer.page.locator("#view-overlaps tr[data-ids='cabinet-sub-committee-on-the-promise "
                                     "promise-oversight-board the-promise']")
    cells = parallel.locator("td").all_text_contents()
    assert cells[0] == "Cabinet Sub-Committee on The Promise and The Promise Oversight Board"
    assert cells[1].startswith("parallel oversight: The Promise is monitored by 2 bodies")
    assert cells[1].endswith("(The Promise)")
    assert "each monitors The Promise" in cells[2]
    # three bodies whose roles overlap make three pairs
    roles = reviewer.page.locator("#view-overlaps tr", has_text="The roles of Independent Strategic Advisor")
    assert roles.count() == 3
    parallel.locator("td").nth(2).click()  # the row, not a name: the pair and what they share lit
    reviewer.page.wait_for_function("document.body.dataset.focus === 'yes'")
    for node in ("cabinet-sub-committee-on-the-promise", "promise-oversight-board", "the-promise"):
        assert node_colour(reviewer, node) != FADED, node
    assert node_colour(reviewer, "safeguarders") == FADED
    screenshot(reviewer, "view-overlaps.png")
    reviewer.clean()


def test_the_recommendations_view_says_who_should_act(reviewer: Watched, base_url: str) -> None:
    reviewer.open(base_url + "/")
    reviewer.page.click("#questions-open")
    reviewer.page.click("#tab-recommendations")
    reviewer.page.wait_for_selector("#question-view[data-view=recommendations]")
    report = api_json(base_url, "/reports/streamlining?format=json")
    first = report["recommendations"][0]  # type: ignore[index]
    items = reviewer.page.locator("#view-recommendations article")
    assert items.count() == len(report["recommendations"])  # type: ignore[arg-type]
    assert items.first.locator("h4").text_content() == f"1. {first['title']}"
    assert (items.first.locator(".meta").text_content() or "").startswith(f"{first['priority']} priority")
    who = items.first.locator(".who").text_content() or ""
    assert who == "Who should act: " + ", ".join(ref["name"] for ref in first["addressees"])
    row = items.first.locator(f"li[data-id='{first['rows'][0]['subject']['id']}']").first
    assert first["rows"][0]["detail"] in (row.text_content() or "")
    row.click()
    reviewer.page.wait_for_selector(f"#panel[data-entity='{first['rows'][0]['subject']['id']}'] #chain")
    assert node_colour(reviewer, first["rows"][0]["subject"]["id"]) != FADED
    screenshot(reviewer, "view-recommendations.png")
    reviewer.clean()


def test_a_view_that_cannot_load_says_why(reviewer: Watched, base_url: str) -> None:
    reviewer.page.route("**/reports/streamlining?format=json", lambda route: route.fulfill(
        status=503, content_type="application/json", body='{"detail": "the store is being rebuilt"}'))
    reviewer.open(base_url + "/?view=recommendations")
    reviewer.page.wait_for_selector("#view-error")
    assert reviewer.page.text_content("#view-error") == (
        "The recommendations could not load: the store is being rebuilt")
    reviewer.errors.clear()  # the browser logs the 503 response itself
    reviewer.clean()


def test_every_filter_takes_its_choices_from_one_source(reviewer: Watched, base_url: str) -> None:
    """The selects hold exactly what /render/vocabularies.json offers, in words a person
    reads; the page no longer reads the OpenAPI document or hard-codes a list."""
    asked: list[str] = []
    reviewer.page.on("request", lambda r: asked.append(r.url))
    reviewer.open(base_url + "/")
    vocabularies = api_json(base_url, "/render/vocabularies.json")
    for param, choices in vocabularies.items():
        options = reviewer.page.evaluate(
            f"""[...document.querySelectorAll('select[data-param={param}] option')]
                .filter(o => o.value).map(o => ({{value: o.value, label: o.textContent}}))""")
        assert options == choices, param
    assert {"value": "REPORTS_TO", "label": "reports to"} in vocabularies["rel"]
    assert {"value": "underway_not_sufficient",
            "label": "underway, not yet sufficient"} in vocabularies["status"]
    assert "Whole Family Support" in [c["label"] for c in vocabularies["priority"]]
    assert not any("/openapi.json" in url for url in asked)
    before = reviewer.page.evaluate("govmapNetwork.body.data.edges.length")
    reviewer.page.select_option("#f-rel", label="reports to")
    assert "rel=REPORTS_TO" in reviewer.page.url
    reviewer.page.wait_for_function(f"govmapNetwork.body.data.edges.length < {before}")
    reviewer.page.wait_for_selector("body[data-stable=yes]")
    kinds = reviewer.page.evaluate("[...new Set(govmapNetwork.body.data.edges.get().map(e => e.relType))]")
    assert kinds == ["REPORTS_TO"]
    reviewer.clean()


def test_the_api_reference_works_offline(browser: object, base_url: str) -> None:
    """ReDoc, like Swagger UI, comes from the service, under its Content-Security-Policy."""
    redoc = Watched(browser, base_url, enforce_csp=True)
    redoc.page.goto(base_url + "/redoc")
    redoc.page.wait_for_selector("h1", timeout=60_000)
    assert (redoc.page.text_content("h1") or "").startswith("govmap")
    redoc.page.wait_for_selector("h2:has-text('Who is accountable for X')")
    redoc.clean()  # nothing fetched from outside 127.0.0.1, no console error
    redoc.page.close()


# ---- a large landscape: the map in groups, expandable ---------------------------------------


@pytest.fixture(scope="module")
def large_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from benchmarks.landscape import landscape

    store = SqliteStore(tmp_path_factory.mktemp("large") / "large.db")
    store.write(ChangeSet.replacing_with(landscape(1_500)))
    with serve(store) as url:
        yield url
    store.close()


def test_a_large_map_is_aggregated_and_a_click_expands_a_group(browser: object, large_url: str) -> None:
    page = Watched(browser, large_url)
    page.open(large_url + "/")
    notice = page.page.locator("#aggregate")
    assert notice.is_visible() and "This map is aggregated" in (notice.text_content() or "")
    assert "1,500 entities" in (notice.text_content() or "")
    kinds = page.page.evaluate("[...new Set(govmapNetwork.body.data.nodes.get().map(n => n.kind))]")
    assert kinds == ["group"]
    group = page.page.evaluate("""() => govmapNetwork.body.data.nodes.get()
        .filter(n => n.id.startsWith('group:public:minister-'))[0]""")
    point = page.page.evaluate(f"""() => {{
        govmapNetwork.focus({group['id']!r}, {{scale: 1.5, animation: false}});
        const p = govmapNetwork.canvasToDOM(govmapNetwork.getPositions([{group['id']!r}])[{group['id']!r}]);
        const box = document.getElementById('map').getBoundingClientRect();
        return {{x: box.left + p.x, y: box.top + p.y}};
    }}""")
    page.page.mouse.click(point["x"], point["y"])
    page.page.wait_for_function("govmapNetwork.body.data.nodes.get().some(n => n.kind === 'body')")
    page.page.wait_for_selector("body[data-stable=yes]")
    members = page.page.evaluate("govmapNetwork.body.data.nodes.get().filter(n => n.kind !== 'group').length")
    assert members == group["count"] and "expand=" in page.page.url
    assert f"Expanded: {group['name']}" in (notice.text_content() or "")
    page.page.click("#aggregate button")  # group it again
    page.page.wait_for_function("govmapNetwork.body.data.nodes.get().every(n => n.kind === 'group')")
    page.clean()
    page.page.close()
