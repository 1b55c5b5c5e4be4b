"""The failures a person meets in the browser: the 404 page in the app's
layout, in Indonesian and after switching to English, and the 403 page."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from meetings.models import Meeting
from tests.e2e.browser import E2E, log_in

pytestmark = E2E


def test_not_found_is_in_the_layout_in_indonesian_then_in_english(demo, page):
    log_in(page, "demo-pjoprov")
    response = page.goto("/tugas/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(page.get_by_role("navigation", name="Navigasi utama")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "id"

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    response = page.goto("/tugas/999999/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    page.get_by_role("link", name="Back to the home page").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_forbidden_action_shows_the_403_page(demo, page):
    # KMW is invited to PjOProv's meeting: it may see it, not change it.
    meeting = Meeting.objects.filter(actor__kind__code="pjoprov", actor__province__code="33").first()
    log_in(page, "demo-kmw")
    assert page.goto(reverse("meetings:meeting_detail", args=[meeting.pk])).status == 200
    response = page.goto(reverse("meetings:meeting_edit", args=[meeting.pk]))
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidak diizinkan")
    expect(page.get_by_role("navigation", name="Navigasi utama")).to_be_visible()
