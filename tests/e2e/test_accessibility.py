"""Accessibility and small screens: axe-core (tests/e2e/node_modules, pinned in
package-lock.json) finds no serious or critical violation on the main pages,
no main page scrolls sideways at 360 px, and the login works from the keyboard."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from actors.models import User
from actors.services import do_submit_proposal
from duties.models import Task
from meetings.models import Meeting
from reports.models import Report
from tests.actors.conftest import draft
from tests.e2e.browser import E2E, PHONE, axe_violations, horizontal_overflow, log_in, widest_elements

pytestmark = E2E


def main_pages():
    """(who, [urls]) for the main pages; None: anonymous."""
    task = Task.objects.filter(actor__kind__code="pjoprov", actor__province__code="33").order_by("due_date").first()
    meeting = Meeting.objects.filter(actor__kind__code="pjoprov", actor__province__code="33").order_by("period").first()
    report = Report.objects.filter(report_type__code="tk-triwulan", province__code="33").order_by("period").first()
    # A proposal waiting in the Governor's office's inbox (made through the services).
    proposal = do_submit_proposal(
        user=User.objects.get(username="demo-tk"), proposal=draft(User.objects.get(username="demo-tk"))
    )
    return [
        (None, [reverse("login")]),
        (
            "demo-pjoprov",
            [
                "/",
                reverse("duties:task_list"),
                reverse("duties:task_detail", args=[task.pk]),
                reverse("meetings:meeting_list"),
                reverse("meetings:meeting_detail", args=[meeting.pk]),
            ],
        ),
        ("demo-tk", ["/", reverse("reports:report_edit", args=[report.pk]), reverse("actors:proposal_list")]),
        (
            "demo-gubernur",
            ["/", reverse("actors:proposal_inbox"), reverse("actors:proposal_detail", args=[proposal.pk])],
        ),
        ("demo-seknas", ["/", reverse("reports:national")]),
        ("demo-kmw", ["/"]),
        ("demo-tkpkd", ["/"]),
    ]


def test_main_pages_have_no_serious_axe_violations_and_no_sideways_scroll_at_360px(demo, new_page):
    problems = {}
    for username, urls in main_pages():
        # The CSP forbids the injected axe script; this context alone ignores it.
        page = new_page(bypass_csp=True)
        if username:
            log_in(page, username)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, (username, url, response.status)
            if found := axe_violations(page):
                problems[f"{username} {url} axe"] = found
            page.set_viewport_size(PHONE)
            if overflow := horizontal_overflow(page):
                problems[f"{username} {url} 360px"] = f"{overflow}px too wide: {widest_elements(page)}"
            page.set_viewport_size({"width": 1280, "height": 800})
        page.context.close()
    assert not problems, problems


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
