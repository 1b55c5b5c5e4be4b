"""Phone first: at 360 px and at 1280 px no word on the pages the journeys
visit is broken across lines and nothing sticks out; on a phone the labels of
a detail table sit above their values, the lists are cards, and a table too
wide for the screen shows that it scrolls. The app has a favicon."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import (
    DESKTOP,
    E2E,
    PHONE,
    at_each_width,
    broken_words,
    horizontal_overflow,
    log_in,
    raw_codes,
    widest_elements,
)

pytestmark = E2E


def test_no_word_is_broken_no_code_shows_and_nothing_sticks_out_at_360_or_1280_px(walk, new_page):
    problems = {}
    for username, urls in walk:
        page = new_page()
        if username:
            log_in(page, username)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, (username, url, response.status)
            if codes := raw_codes(page):
                problems[f"{username} {url} codes"] = codes
            for width, found in at_each_width(page, broken_words).items():
                problems[f"{username} {url} {width}"] = [f"{w['word']!r} in {w['element']}" for w in found]
            page.set_viewport_size(PHONE)
            if overflow := horizontal_overflow(page):
                problems[f"{username} {url} 360px"] = f"{overflow}px too wide: {widest_elements(page)}"
            page.set_viewport_size(DESKTOP)
        page.context.close()
    assert not problems, "broken words or too wide:\n" + "\n".join(f"{k}: {v}" for k, v in problems.items())


# For each row of the page's first detail table (.kv): the label's and the
# value's boxes.
KV_BOXES = """() => [...document.querySelector('table.kv').rows].map((row) => {
  const [label, value] = [row.cells[0].getBoundingClientRect(), row.cells[1].getBoundingClientRect()];
  return {label: row.cells[0].textContent.trim(), lt: label.top, lb: label.bottom, lr: label.right,
          vt: value.top, vl: value.left};
})"""

# Each list row on the page: is it a card (a block with a border), and the
# labels its cells show (their ::before).
CARDS = """() => [...document.querySelectorAll('table.table-cards tbody tr')].map((row) => {
  const style = getComputedStyle(row);
  return {
    card: style.display === 'block' && parseFloat(style.borderTopWidth) > 0,
    labels: [...row.cells].map((c) => getComputedStyle(c, '::before').content)
      .filter((c) => c && c !== 'none' && c !== 'normal').map((c) => c.split(' / ')[0].replace(/"/g, '')),
    headerHeight: row.closest('table').tHead.getBoundingClientRect().height,
  };
})"""


def test_on_a_phone_labels_sit_above_values_and_lists_are_cards(walk, new_page):
    urls = dict(walk)
    page = new_page(viewport=PHONE)
    log_in(page, "demo-pjoprov")
    task_detail = next(url for url in urls["demo-pjoprov"] if url.startswith("/tugas/") and url != "/tugas/")
    page.goto(task_detail)
    for row in page.evaluate(KV_BOXES):
        assert row["lb"] <= row["vt"] + 1, f"360px: {row['label']!r} is not above its value"
    # Still a table to a screen reader: the row is named by its header.
    assert page.get_by_role("row", name=re.compile("^Diselesaikan")).count() == 1
    page.set_viewport_size(DESKTOP)
    for row in page.evaluate(KV_BOXES):
        assert row["lr"] <= row["vl"] + 1 and abs(row["lt"] - row["vt"]) < 2, f"1280px: {row['label']!r} not beside"

    lists = [
        ("demo-pjoprov", reverse("duties:task_list"), ["Pelaku", "Periode", "Tenggat", "Penanggung jawab", "Status"]),
        ("demo-pjoprov", reverse("meetings:meeting_list"), ["Waktu", "Tempat", "Status"]),
        ("demo-pjoprov", reverse("reports:report_list"), ["Penyusun", "Tenggat", "Versi", "Status"]),
        ("demo-tk", reverse("appointments:proposal_list"), ["Pengusul", "Masa jabatan", "Status"]),
        ("demo-gubernur", reverse("appointments:proposal_inbox"), ["Pengusul", "Diajukan", "Menunggu"]),
    ]
    for username, url, labels in lists:
        page = new_page(viewport=PHONE)
        log_in(page, username)
        page.goto(url)
        rows = page.evaluate(CARDS)
        assert rows, f"{url}: no rows to show"
        assert all(row["card"] for row in rows), f"{url}: the rows are not cards at 360px"
        assert rows[0]["headerHeight"] <= 1, f"{url}: the header row still shows at 360px"
        if labels:
            assert all(row["labels"] == labels for row in rows), (url, rows[0]["labels"])
        # The column headers are still there for screen readers.
        assert page.get_by_role("columnheader").count() >= 3, url
        page.set_viewport_size(DESKTOP)
        assert not any(row["card"] for row in page.evaluate(CARDS)), f"{url}: cards at 1280px"
        page.context.close()


def test_a_table_wider_than_the_phone_says_so_and_keeps_the_province_in_view(demo, new_page):
    page = new_page(viewport=PHONE)
    log_in(page, "demo-seknas")
    page.goto(reverse("reports:national"))
    wrap = page.locator(".table-wrap:has(table.matrix)").first
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth"), "the matrix fits a phone: nothing to test"
    expect(wrap.locator(".scroll-hint")).to_be_visible()
    assert "radial-gradient" in wrap.evaluate("e => getComputedStyle(e).backgroundImage"), "no scroll shadow"
    province = wrap.get_by_role("rowheader", name="33 Jawa Tengah", exact=True)
    left = wrap.evaluate("e => e.getBoundingClientRect().left")
    wrap.evaluate("e => { e.scrollLeft = 200; }")
    assert abs(province.evaluate("e => e.getBoundingClientRect().left") - left) < 2, "the province scrolled away"
    expect(province).to_be_visible()
    # Wide enough for the whole table: no hint.
    page.set_viewport_size(DESKTOP)
    assert not wrap.evaluate("e => e.scrollWidth > e.clientWidth")
    expect(wrap.locator(".scroll-hint")).to_be_hidden()


def test_every_page_has_the_favicon_and_favicon_ico_leads_to_it(page):
    page.goto(reverse("login"))
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href.endswith("favicon.svg")
    icon = page.request.get(href)
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.body()
    legacy = page.request.get("/favicon.ico", max_redirects=0)
    assert legacy.status == 302 and legacy.headers["location"] == href


def test_the_broken_word_check_finds_a_word_cut_in_two_and_allows_a_break_after_a_hyphen(page):
    page.set_content(
        '<p style="width: 4em; overflow-wrap: anywhere">Penanggung jawab</p>'
        '<p style="width: 3em">PNPM-MP Provinsi</p><p class="sr-only" style="position: absolute; width: 1px">'
        "Tersembunyi</p>"
    )
    found = [(w["word"], w["element"]) for w in broken_words(page)]
    assert ("Penanggung", "p") in found
    assert not [word for word, _ in found if word in ("PNPM", "MP", "Tersembunyi")], found
