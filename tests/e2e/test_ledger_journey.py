"""Issue 24: the duty ledger in Chromium. PjOProv Jawa Tengah writes the
quarter's account of PjOProv-3 with a linked task, saves, leaves, comes back
from the home page, is refused an empty account and recovers; declares
"tidak ada kejadian" for PjOProv-8. Then the Governor's office opens "Buku
tugas", finds PjOProv's ledger with those standings, read-only (no write
links). Any script or console error fails the journey (the browser's own
line about the refused form's 400 answer excepted)."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from actors.models import Actor
from ledger.standing import current_quarter
from tests.e2e.browser import (
    DESKTOP,
    E2E,
    PHONE,
    at_each_width,
    axe_violations,
    broken_words,
    horizontal_overflow,
    log_in,
    log_out,
    raw_codes,
    screenshot,
    widest_elements,
)

pytestmark = E2E

ACCOUNT = "Koordinasi dengan Bappeda dan KMW tentang penyaluran dana di lima kabupaten."
REFUSED_STATUS = "the server responded with a status of 400"


def watch(page):
    """Script errors and console errors (a CSP refusal is one) of the page."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def open_ledger(page, ledger_path):
    """From the home page: the navigation's "Buku tugas", then PjOProv's row."""
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Beranda").click()
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Buku tugas").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buku tugas")
    page.locator(f'main a[href="{ledger_path}"]').click()
    expect(page).to_have_url(re.compile(re.escape(ledger_path) + "$"))


def row(page, ref):
    return page.locator(f'tr[data-ref="{ref}"]')


def test_pjoprov_accounts_for_its_quarter_and_the_governor_reads_it(demo, page):
    pjoprov = Actor.objects.select_related("province", "kind").get(kind__code="pjoprov", province__code="33")
    period = current_quarter(pjoprov.province)
    ledger_path = reverse("ledger:ledger", args=[pjoprov.pk, period.key])
    errors = watch(page)

    log_in(page, "demo-pjoprov")
    open_ledger(page, ledger_path)
    expect(row(page, "PjOProv-3")).to_have_attribute("data-standing", "belum")
    page.get_by_role("link", name="Tulis uraian PjOProv-3").click()
    page.get_by_label("Uraian pelaksanaan").fill(ACCOUNT)
    tasks = page.get_by_role("group", name="Tugas terkait").get_by_role("checkbox")
    expect(tasks.first).to_be_visible()
    tasks.first.check()
    page.get_by_role("button", name="Simpan uraian").click()
    expect(page).to_have_url(re.compile(re.escape(ledger_path) + "$"))
    expect(page.get_by_role("status")).to_contain_text("Uraian PjOProv-3 disimpan.")
    expect(row(page, "PjOProv-3")).to_have_attribute("data-standing", "terlaksana")
    expect(row(page, "PjOProv-3")).to_contain_text(ACCOUNT)
    expect(row(page, "PjOProv-3").get_by_role("link")).not_to_have_count(0)  # the linked task
    assert errors == []

    # Leave, come back from the home page, empty the account: refused, nothing lost.
    open_ledger(page, ledger_path)
    page.get_by_role("link", name="Ubah uraian PjOProv-3").click()
    expect(page.get_by_label("Uraian pelaksanaan")).to_have_value(ACCOUNT)
    page.get_by_label("Uraian pelaksanaan").fill("")
    page.get_by_role("button", name="Simpan uraian").click()
    expect(page.locator(".error-summary")).to_contain_text("Tuliskan uraian pelaksanaan tugas pada triwulan ini.")
    errors[:] = [e for e in errors if REFUSED_STATUS not in e]
    assert errors == []
    page.get_by_label("Uraian pelaksanaan").fill(ACCOUNT + " Dilanjutkan bulan depan.")
    page.get_by_role("button", name="Simpan uraian").click()
    expect(page).to_have_url(re.compile(re.escape(ledger_path) + "$"))
    expect(row(page, "PjOProv-3")).to_contain_text("Dilanjutkan bulan depan.")

    # An incidental duty with nothing to record this quarter.
    expect(row(page, "PjOProv-8")).to_have_attribute("data-standing", "belum")
    page.get_by_role("button", name="Nyatakan tidak ada kejadian PjOProv-8").click()
    expect(row(page, "PjOProv-8")).to_have_attribute("data-standing", "tidak-ada-kejadian")
    expect(row(page, "PjOProv-8")).to_contain_text("Tidak ada kejadian")
    expect(page.locator("ol.history")).to_contain_text("menyatakan tidak ada kejadian untuk tugas PjOProv-8")
    screenshot(page, "ledger-pjoprov")
    assert errors == []
    log_out(page)

    # The Governor's office reads it: the same standings, no way to write.
    log_in(page, "demo-gubernur")
    open_ledger(page, ledger_path)
    expect(row(page, "PjOProv-3")).to_have_attribute("data-standing", "terlaksana")
    expect(row(page, "PjOProv-3")).to_contain_text("Terlaksana")
    expect(row(page, "PjOProv-8")).to_have_attribute("data-standing", "tidak-ada-kejadian")
    expect(page.get_by_text("Hanya baca")).to_be_visible()
    expect(page.locator('main a[href*="/uraian/"], main a[href*="/kejadian/"]')).to_have_count(0)
    expect(page.locator('main form[action*="tidak-ada-kejadian"]')).to_have_count(0)
    assert errors == []


def test_the_ledger_pages_read_on_a_phone(demo, new_page):
    """At 360 px nothing sticks out, no word is cut, no code shows, and axe-core
    finds nothing serious (its script needs the CSP bypassed: a page of its own)."""
    pjoprov = Actor.objects.select_related("province").get(kind__code="pjoprov", province__code="33")
    ledger_path = reverse("ledger:ledger", args=[pjoprov.pk, current_quarter(pjoprov.province).key])
    for username in ("demo-pjoprov", "demo-gubernur"):
        page = new_page(bypass_csp=True)
        log_in(page, username)
        for url in (reverse("ledger:index"), ledger_path):
            assert page.goto(url).status == 200, (username, url)
            assert raw_codes(page) == [], url
            assert at_each_width(page, broken_words) == {}, url
            page.set_viewport_size(PHONE)
            assert not horizontal_overflow(page), (url, widest_elements(page))
            assert axe_violations(page) == [], (username, url)
            page.set_viewport_size(DESKTOP)
        page.context.close()
