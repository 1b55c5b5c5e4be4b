"""Helpers shared by the browser journeys (tests/e2e): the marks every module
sets, logging in through the real form, screenshots on demand, axe-core."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings

# Every journey commits for real (live_server) and restores the reference data
# (provinces, actors, duties) the flush at its end removes.
E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_JS = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}

# The smallest real PDF a browser user would pick from their disk.
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def unavailable(reason):
    """Skip, or fail when E2E_REQUIRED=1 (CI): there the browser tests must run."""
    if os.environ.get("E2E_REQUIRED") == "1":
        pytest.fail(f"{reason} (E2E_REQUIRED=1: the browser tests must run here)", pytrace=False)
    pytest.skip(reason)


def pdf_file(name="bukti.pdf"):
    """A payload for Locator.set_input_files: what choosing a file on disk sends."""
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF_BYTES}


def log_in(page, username, password=None):
    """Open the login page and log in with the keyboard and mouse like a person."""
    page.goto("/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password or settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def log_out(page):
    page.get_by_role("button", name=re.compile("^(Keluar|Log out)$")).click()


def screenshot(page, name):
    """Save docs/screenshots/<name>-desktop.png and -phone.png (full page) when
    E2E_SCREENSHOTS=1; a no-op otherwise so ordinary runs leave the tree clean."""
    if not os.environ.get("E2E_SCREENSHOTS"):
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        page.screenshot(path=SCREENSHOTS / f"{name}-{label}.png", full_page=True, animations="disabled")
    page.set_viewport_size(size)


def axe_violations(page, impacts=("serious", "critical")):
    """Run axe-core (from tests/e2e/node_modules, never a CDN) on the page; the
    page's context must bypass the CSP, which forbids injected scripts."""
    if not AXE_JS.exists():
        unavailable("axe-core is not installed: npm ci --prefix tests/e2e (make test does it when npm exists)")
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def horizontal_overflow(page):
    """How many CSS pixels the page is wider than its viewport (0: none)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


WIDEST = """() => {
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  return [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !e.closest('.table-wrap'))
    .slice(0, 5).map(describe);
}"""


def widest_elements(page):
    """The first few elements that stick out on the right (tables scroll in .table-wrap)."""
    return page.evaluate(WIDEST)


# A word is broken when the characters between two spaces are laid out on more
# than one line (the browser cut "Penanggung" into "Penan" / "ggung"). A break
# right after a hyphen, dash or slash ("PNPM-" / "MP") is an ordinary line
# break, so those characters end a word too. Text nobody sees is skipped:
# hidden elements, .sr-only (clipped to 1 px, never wrapped), form controls
# (their text is not laid out as text) and SVG.
BROKEN_WORDS = """() => {
  const SKIP = 'script, style, noscript, template, select, option, textarea, svg, head';
  const describe = (e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (e.className && typeof e.className === 'string' && e.className.trim()
       ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const path = (e) => {
    const parts = [];
    for (let n = e; n && n !== document.body && parts.length < 4; n = n.parentElement) parts.unshift(describe(n));
    return parts.join(' > ');
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || !node.data.trim() || element.closest(SKIP)) continue;
    if (!element.checkVisibility({visibilityProperty: true})) continue;
    const box = element.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    for (const match of node.data.matchAll(/[^\\s\\-\\u2010-\\u2014\\/]+/g)) {
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0)
        .sort((a, b) => a.top - b.top);
      // On one line every box overlaps the first one vertically.
      if (rects.length > 1 && rects.some((r) => r.top >= rects[0].bottom - 1)) {
        found.push({word: match[0], element: path(element), lines: new Set(rects.map((r) => Math.round(r.top))).size});
        if (found.length >= 20) return found;
      }
    }
  }
  return found;
}"""


def broken_words(page):
    """Words of the page laid out on more than one line, as
    [{word, element, lines}] (at most 20): none is the rule at any width."""
    return page.evaluate(BROKEN_WORDS)


def raw_codes(page):
    """The audit trail's event codes ("proposal.created") that the page shows
    as text: history is told in sentences (core.history), never in codes."""
    from core.history import SENTENCES

    text = page.evaluate("() => document.body.innerText")
    return sorted(code for code in SENTENCES if code in text)


def at_each_width(page, check, widths=(PHONE, DESKTOP)):
    """{"360px": result, "1280px": result} of check(page) at each viewport
    width (empty results left out); the page ends at the width it had."""
    size = page.viewport_size
    results = {}
    for viewport in widths:
        page.set_viewport_size(viewport)
        if result := check(page):
            results[f"{viewport['width']}px"] = result
    page.set_viewport_size(size)
    return results
