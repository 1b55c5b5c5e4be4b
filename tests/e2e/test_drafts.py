"""What was typed in a form marked data-keep-draft (static/js/app.js): it
survives a session that expired mid-form, it belongs to the person who typed
it (a shared office computer never shows it to the next person), and logging
out removes it."""

import re

from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.browser import E2E, log_in, log_out

pytestmark = E2E

RESTORED = "Isian yang belum terkirim dari kunjungan sebelumnya dipulihkan."
TITLE = "Rekap kunjungan lapangan Kabupaten Boyolali"


def type_a_draft(page):
    page.goto("/tugas/baru/")
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Keterangan").fill("Catatan yang belum dikirim")
    # The script saves 400 ms after the last keystroke.
    page.wait_for_function(
        "() => Object.keys(localStorage).some(k => k.startsWith('keep-draft:') && localStorage[k].includes('Boyolali'))"
    )


def test_a_form_sent_after_the_session_expired_comes_back_with_what_was_typed(demo, page):
    log_in(page, "demo-pjoprov")
    type_a_draft(page)
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session ends mid-form

    page.get_by_role("button", name="Buat tugas").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/tugas/baru/"))
    page.get_by_label("Nama pengguna").fill("demo-pjoprov")
    page.get_by_label("Sandi").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()

    expect(page).to_have_url(re.compile(r"/tugas/baru/$"))
    expect(page.get_by_role("status").filter(has_text=RESTORED)).to_be_visible()
    expect(page.get_by_label("Judul")).to_have_value(TITLE)


def test_the_next_person_on_the_same_computer_does_not_see_the_draft(demo, page):
    log_in(page, "demo-pjoprov")
    type_a_draft(page)
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # walked away; it expired

    log_in(page, "demo-tk")
    page.goto("/tugas/baru/")
    expect(page.get_by_label("Judul")).to_have_value("")
    expect(page.get_by_text(RESTORED)).to_have_count(0)


def test_logging_out_removes_the_drafts(demo, page):
    log_in(page, "demo-pjoprov")
    type_a_draft(page)
    log_out(page)
    expect(page).not_to_have_url(re.compile(r"/tugas/baru/"))
    assert page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('keep-draft:')).length") == 0

    log_in(page, "demo-pjoprov")
    page.goto("/tugas/baru/")
    expect(page.get_by_label("Judul")).to_have_value("")
