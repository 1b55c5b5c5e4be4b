"""Accessibility and small screens: axe-core (tests/e2e/node_modules, pinned in
package-lock.json) finds no serious or critical violation on the pages the
journeys visit, at 360 px and at 1280 px; none of them scrolls sideways at
360 px; the login works from the keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.browser import (
    DESKTOP,
    E2E,
    PHONE,
    at_each_width,
    axe_violations,
    horizontal_overflow,
    log_in,
    widest_elements,
)

pytestmark = E2E


def test_the_pages_the_journeys_visit_have_no_serious_axe_violations_at_360_or_1280_px(walk, new_page):
    """axe-core on every page the journeys visit (tests/e2e/conftest.py `walk`),
    at phone and desktop width: the phone layout (cards, labels above values,
    the menu button) is checked as much as the desktop one. And no page
    scrolls sideways at 360 px."""
    problems = {}
    for username, urls in walk:
        # The CSP forbids the injected axe script; this context alone ignores it.
        page = new_page(bypass_csp=True)
        if username:
            log_in(page, username)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, (username, url, response.status)
            for width, found in at_each_width(page, axe_violations).items():
                problems[f"{username} {url} axe {width}"] = found
            page.set_viewport_size(PHONE)
            if overflow := horizontal_overflow(page):
                problems[f"{username} {url} 360px"] = f"{overflow}px too wide: {widest_elements(page)}"
            page.set_viewport_size(DESKTOP)
        page.context.close()
    assert not problems, "\n".join(f"{where}: {found}" for where, found in problems.items())


def test_the_login_form_works_with_tab_and_enter_only(demo, page):
    page.goto(reverse("login"))
    # The username field has the focus on arrival (autofocus); else Tab gets there.
    for _ in range(10):
        if page.evaluate("document.activeElement.name") == "username":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reaches the username field")
    page.keyboard.type("demo-pjoprov")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "password"
    page.keyboard.type("demo12345")
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="Navigasi utama")).to_be_visible()

    # The skip link is the first stop; it takes the keyboard past the navigation.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Langsung ke isi"
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "after the skip link, Tab lands in the main content"
    href = page.evaluate("document.activeElement.getAttribute('href')")
    page.keyboard.press("Enter")
    if href and href.startswith("/"):
        page.wait_for_url(f"**{href}")
