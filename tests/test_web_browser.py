"""The dashboard end to end in a real headless Chromium (Debian's package), over a store of test articles.

Screenshots go to test-artifacts/ (gitignored). Skips only when /usr/bin/chromium is absent (CI installs it)."""


import pytest

from web_helpers import make_store, needs_chromium, served, shot, wait_until

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = make_store(tmp_path_factory.mktemp("browser"))
    with served(db) as (url, _):
        yield url, db


def total_changes(page, total):
    wait_until(page, lambda: page.get_attribute("#count", "data-total") not in ("", str(total)), "the count to change")


def test_dashboard_shows_map_timeline_network_and_evidence(page, server):
    assert int(page.get_attribute("#map", "data-points")) > 0
    assert page.locator("#map path.leaflet-interactive, #map .marker-cluster").count() > 0
    assert page.locator("#map svg path").count() > 100  # the shipped country boundaries
    assert int(page.get_attribute("#timeline", "data-bars")) > 0
    assert page.locator("#timeline rect.bar").count() > 0
    assert page.locator("#network g.node").count() > 0
    total = int(page.get_attribute("#count", "data-total"))
    assert total > 0 and page.locator("#events tbody tr").count() == min(total, 50)
    page.locator("#events tbody tr").first.click()
    page.wait_for_selector("#detail mark.trigger")
    box = page.locator("#detail .article-text")
    assert box.get_attribute("dir") == "rtl" and box.get_attribute("lang") == "ar"
    assert page.evaluate("getComputedStyle(document.querySelector('#detail .article-text')).direction") == "rtl"
    trig = page.locator("#detail mark.trigger").first.text_content()
    assert trig and trig in box.text_content()
    assert "Why it was coded so" in page.locator("#detail").text_content()
    shot(page, "dashboard-evidence")
    # a filter changes the counts
    page.select_option("#filters select[name=type]", "CONSULT")
    page.click("#filters button[type=submit]")
    total_changes(page, total)
    filtered = int(page.get_attribute("#count", "data-total"))
    assert 0 < filtered < total
    assert all("CONSULT" in t for t in page.locator("#events tbody tr td:nth-child(2)").all_text_contents())
    # the article view, from the row's link
    page.locator("#events tbody a.article-link").first.click()
    page.wait_for_selector("#detail[data-article] .records")
    assert page.locator("#detail .records a.event-link").count() > 0
    shot(page, "dashboard-article")
    assert all(u.startswith(server[0]) for u in page.requests), "the page fetched something from elsewhere"


def test_timeline_brush_filters_everything(page):
    total = int(page.get_attribute("#count", "data-total"))
    bars = page.locator("#timeline rect.bar")
    first = bars.first.bounding_box()
    page.mouse.move(first["x"] + 1, first["y"] + first["height"] - 1)
    page.mouse.down()
    page.mouse.move(first["x"] + 2, first["y"] + first["height"] - 1)
    page.mouse.up()
    total_changes(page, total)
    assert 0 < int(page.get_attribute("#count", "data-total")) < total


def test_network_click_filters_by_actor(page):
    total = int(page.get_attribute("#count", "data-total"))
    page.locator("#network g.node circle").first.click()
    total_changes(page, total)
    assert page.input_value("#filters input[name=actor]")


def test_article_content_is_text_not_html(page, server):
    page.fill("#filters input[name=q]", "درعا")
    page.click("#filters button[type=submit]")
    rows = page.locator("#events tbody tr")
    wait_until(page, lambda: rows.count() > 0 and all("t-evil" in t for t in rows.all_text_contents()),
               "the search to show only the untrusted article")
    page.locator("#events tbody tr").first.click()
    page.wait_for_selector("#detail mark.trigger")
    text = page.locator("#detail .article-text").text_content()
    assert "<script>window.__pwned=1</script>" in text
    assert "<img src=x onerror=alert(1)>" in text
    assert "'; DROP TABLE events; --" in text
    page.locator("#detail a.article-link").first.click()
    page.wait_for_selector("#detail[data-article] .records")
    assert "<img src=x onerror=alert(1)>" in page.locator("#detail h3").first.text_content()
    page.wait_for_timeout(300)
    shot(page, "dashboard-untrusted-article")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#detail img, #detail script").count() == 0
    assert page.dialogs == []
    import sqlite3

    with sqlite3.connect(server[1]) as con:
        assert con.execute("SELECT count(*) FROM events").fetchone()[0] > 0


def test_docs_page_works_offline(page, server):
    page.goto(server[0] + "/docs")
    page.wait_for_selector(".swagger-ui .opblock", timeout=15000)
    assert page.locator(".opblock").count() >= 5
    assert all(u.startswith(server[0]) for u in page.requests)
