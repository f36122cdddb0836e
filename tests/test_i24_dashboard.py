"""Issue #24: the dashboard's actor network (strongest ties first, a slider for more, a force layout, labels that do
not overlap, the dashboard's filters), the range it opens on (the bulk of the events, not a few stray dates) and
its favicon, in a real headless Chromium over a store of many actors.

Screenshots go to test-artifacts/ (gitignored). Skips only when /usr/bin/chromium is absent (CI installs it)."""

import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from web_helpers import make_store, needs_chromium, served, shot, wait_until

ACTORS = 40
STRAYS = ("1886-05-01", "2031-01-01")  # a misread year on either side of the 2018 bulk

pytestmark = needs_chromium


def add_many_actors(db: Path) -> None:
    """Adds to the test store ACTORS actors with long names and some 180 events between them, all in 2018 (CONSULT
    and ASSAULT), and one event on each STRAYS date: copies of a real event row with other actors and dates."""
    with sqlite3.connect(db) as con:
        cols = [r[1] for r in con.execute("PRAGMA table_info(events)")]
        row = con.execute("SELECT * FROM events WHERE document_id = 2 AND n = 1").fetchone()
        template = dict(zip(cols, row, strict=True))
        for i in range(ACTORS):
            con.execute("INSERT INTO actors (actor_id, name, type, country, sector, mentions) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (f"T{i:02d}", f"Test actor number {i:02d} of many", "ORG", "SY", "GOV", ACTORS - i))
        rows, n = [], 100
        for i in range(ACTORS):  # a ring, plus chords: actor i has about ACTORS - i events, so the ranks differ
            for j, other in enumerate(((i + 1) % ACTORS, (i * 7 + 3) % ACTORS)):
                if other == i:
                    continue
                for k in range(max(1, (ACTORS - i) // 10) + (j == 0)):
                    n += 1
                    assault = (i + k) % 3 == 0
                    rows.append({**template, "n": n, "source_actor_id": f"T{i:02d}", "target_actor_id": f"T{other:02d}",
                                 "type": "ASSAULT" if assault else "CONSULT", "quad_class": 4 if assault else 1,
                                 "date": f"2018-{1 + n % 12:02d}-{1 + n % 28:02d}", "cluster_id": None})
        for date in STRAYS:
            n += 1
            rows.append({**template, "n": n, "date": date, "cluster_id": None})
        con.executemany(f"INSERT INTO events ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                        [[r[c] for c in cols] for r in rows])
        total = con.execute("SELECT count(*) FROM events").fetchone()[0]
        assert total * 0.02 >= len(STRAYS), "the strays must be under 2% of the events"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = make_store(tmp_path_factory.mktemp("i24"))
    add_many_actors(db)
    with served(db) as (url, _):
        yield url, db


LABEL_BOXES = """() => [...document.querySelectorAll('#network g.node text')]
    .filter((t) => getComputedStyle(t).display !== 'none' && getComputedStyle(t).visibility !== 'hidden')
    .map((t) => { const b = t.getBoundingClientRect(); return [b.left, b.top, b.right, b.bottom, t.textContent]; })"""


def overlapping(boxes):
    return [(a[4], b[4]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]


def network_requests(page):
    return [parse_qs(urlparse(u).query) for u in page.requests if urlparse(u).path == "/api/network"]


def test_network_shows_the_top_actors_and_a_slider_shows_more(page):
    nodes = page.locator("#network g.node")
    assert nodes.count() == 15
    assert page.get_attribute("#network", "data-nodes") == "15"
    assert int(page.get_attribute("#network", "data-actors")) > 15
    # the strongest first: T00 has the most events of the added actors
    assert page.locator('#network g.node[data-actor="T00"]').count() == 1
    boxes = page.evaluate(LABEL_BOXES)
    assert len(boxes) >= 8, f"too few labels shown: {boxes}"
    assert overlapping(boxes) == []
    # every node lies inside the drawing
    svg = page.locator("#network").bounding_box()
    for c in page.locator("#network g.node circle").all():
        b = c.bounding_box()
        assert svg["x"] <= b["x"] and b["x"] + b["width"] <= svg["x"] + svg["width"] + 1
        assert svg["y"] <= b["y"] and b["y"] + b["height"] <= svg["y"] + svg["height"] + 1
    shot(page, "i24-network-default", "#network-panel")
    # the same data draws the same picture (a seeded layout of a fixed number of steps)
    first = page.get_attribute('#network g.node[data-actor="T00"] circle', "cx")
    slider = page.locator("#network-size")
    slider.focus()
    for _ in range(5):
        slider.press("ArrowRight")
    wait_until(page, lambda: nodes.count() == 20, "the slider to show 20 actors")
    assert overlapping(page.evaluate(LABEL_BOXES)) == []
    slider.press("End")
    wait_until(page, lambda: nodes.count() == int(page.get_attribute("#network", "data-actors")),
               "the slider to show every actor")
    assert nodes.count() > 20
    assert overlapping(page.evaluate(LABEL_BOXES)) == []
    shot(page, "i24-network-all", "#network-panel")
    # a label hidden for want of room shows when its node is hovered
    hidden = page.locator("#network g.node text.hover-only")
    if hidden.count():
        actor = page.locator("#network g.node:has(text.hover-only)").first.get_attribute("data-actor")
        g = page.locator(f'#network g.node[data-actor="{actor}"]')
        g.locator("circle").hover()
        assert g.locator("text").evaluate("(t) => getComputedStyle(t).display") != "none"
    for _ in range(ACTORS + 20):
        slider.press("ArrowLeft")
    wait_until(page, lambda: nodes.count() == 2, "the slider to go back to its least")
    for _ in range(13):
        slider.press("ArrowRight")
    wait_until(page, lambda: nodes.count() == 15, "the slider back at 15")
    assert page.get_attribute('#network g.node[data-actor="T00"] circle', "cx") == first


def test_network_follows_the_type_and_date_filters(page):
    before = len(network_requests(page))
    page.select_option("#filters select[name=type]", "ASSAULT")  # no Apply: the filter applies when it changes
    wait_until(page, lambda: any(q.get("type") == ["ASSAULT"] for q in network_requests(page)[before:]),
               "a network request for ASSAULT")
    wait_until(page, lambda: all(t.startswith("ASSAULT")
                                 for t in page.locator("#events tbody tr td:nth-child(2)").all_text_contents()),
               "the table to show ASSAULT only")
    before, ready = len(network_requests(page)), page.get_attribute("body", "data-ready")
    page.fill("#filters input[name=since]", "2018-06-01")
    wait_until(page, lambda: any(q.get("since") == ["2018-06-01"] and q.get("type") == ["ASSAULT"]
                                 for q in network_requests(page)[before:]), "a network request from 2018-06-01")
    wait_until(page, lambda: page.get_attribute("body", "data-ready") != ready, "the dashboard to redraw")
    assert overlapping(page.evaluate(LABEL_BOXES)) == []
    # the brush on the timeline filters the network too
    before, until = len(network_requests(page)), page.input_value("#filters input[name=until]")
    bar = page.locator("#timeline rect.bar").first.bounding_box()
    page.mouse.move(bar["x"] + 1, bar["y"] + bar["height"] - 1)
    page.mouse.down()
    page.mouse.move(bar["x"] + 2, bar["y"] + bar["height"] - 1)
    page.mouse.up()
    wait_until(page, lambda: any(q.get("type") == ["ASSAULT"] and q.get("since")
                                 and "" < q.get("until", [""])[0] < until for q in network_requests(page)[before:]),
               "a network request for the brush's dates")


def test_opens_on_the_range_of_the_bulk_of_events(page):
    since = page.input_value("#filters input[name=since]")
    until = page.input_value("#filters input[name=until]")
    assert "2018-01-01" <= since <= until <= "2018-12-31", (since, until)
    assert page.locator("#range-note").is_visible()
    assert "98%" in page.locator("#range-note").text_content()
    dates = page.locator("#events tbody tr td:nth-child(1)").all_text_contents()
    assert dates and dates[0].startswith("2018") and not any(d[:4] in ("1886", "2031") for d in dates)
    # the timeline spans the opening range, not 1886–2031
    axis = page.locator("#timeline text.axis").all_text_contents()
    assert axis[0] >= "2018" and axis[1] <= "2018-12-31", axis
    shot(page, "i24-opening-range-header", "header")
    shot(page, "i24-opening-range-timeline", "#timeline-panel")
    # the user can widen it to every date
    total = page.get_attribute("#count", "data-total")
    page.click("#show-all-dates")
    wait_until(page, lambda: page.get_attribute("#count", "data-total") != total, "all dates")
    assert page.input_value("#filters input[name=since]") == ""
    assert not page.locator("#range-note").is_visible()
    assert page.locator("#events tbody tr td:nth-child(1)").first.text_content() == STRAYS[1]


def test_favicon_is_served(page, server):
    assert page.locator("link[rel=icon]").count() == 1
    href = page.get_attribute("link[rel=icon]", "href")
    r = page.request.get(server[0] + href if href.startswith("/") else href)
    assert r.status == 200
    assert r.headers["content-type"].startswith("image/")
    assert b"<svg" in r.body()
