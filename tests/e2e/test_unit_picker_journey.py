"""Issue 23: an assessment row chooses an official unit, in Chromium. TK Jawa
Tengah's secretary opens the quarterly draft from the home page, adds a
kecamatan row, types "wanar" and picks Wanareja with the keyboard, saves,
leaves and comes back to find it; the same without JavaScript through the
narrowing selects and "Tampilkan pilihan". The combobox passes axe-core.
Any script or console error fails the journey; the refusal of a forged
post (another province's unit) is in tests/reports/test_unit_picker.py."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from regions.edition import read
from regions.loading import load
from reports.models import Report
from tests.conftest import REGION_EDITION
from tests.e2e.browser import DESKTOP, E2E, axe_violations, log_in

pytestmark = E2E

ERRORS = ".errorbox, .error, .error-summary, [role=alert]"
WANAREJA = "Wanareja — Kab. Cilacap (33.01.15)"


def watch(page):
    """Script errors and console errors (a CSP refusal is one) of the page."""
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def no_errors(page, errors):
    expect(page.locator(ERRORS)).to_have_count(0)
    assert errors == []


@pytest.fixture
def report(demo):
    load(read(REGION_EDITION))
    return (
        Report.objects.filter(report_type__code="tk-triwulan", province__code="33", status=Report.Status.DRAFT)
        .order_by("period")
        .first()
    )


def open_from_home(page, report):
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Beranda").click()
    page.locator(f'main a[href="{reverse("reports:report_edit", args=[report.pk])}"]').first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(report.label)


def test_a_kecamatan_row_picked_with_the_keyboard_is_saved_and_shown_again(report, page, new_page):
    errors = watch(page)
    log_in(page, "demo-tk")
    open_from_home(page, report)
    no_errors(page, errors)

    page.get_by_role("button", name="Tambah baris penilaian").click()
    page.locator("[name='penilaian-1-level']").select_option("kecamatan")
    combo = page.locator("#id_penilaian-1-unit")
    expect(combo).to_have_attribute("role", "combobox")
    expect(combo).to_have_attribute("aria-expanded", "false")
    expect(page.locator("[name='penilaian-1-kabupaten']")).to_be_hidden()  # the no-JS narrowing is put away
    combo.click()
    combo.press_sequentially("wanar")
    listbox = page.locator(f"#{combo.get_attribute('aria-controls')}")
    expect(listbox.get_by_role("option")).to_have_text([WANAREJA])
    expect(combo).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#unit-picker-status")).to_contain_text("1 wilayah ditemukan")
    combo.press("ArrowDown")
    option_id = listbox.get_by_role("option").first.get_attribute("id")
    expect(combo).to_have_attribute("aria-activedescendant", option_id)
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    combo.press("Enter")
    expect(combo).to_have_value(WANAREJA)
    expect(combo).to_have_attribute("aria-expanded", "false")
    expect(page.locator("[name='penilaian-1-unit']")).to_have_value("33.01.15")
    page.locator("[name='penilaian-1-rating']").select_option("baik")
    page.get_by_role("button", name="Simpan draf", exact=True).last.click()
    expect(page.get_by_role("status").filter(has_text="Draf disimpan.")).to_be_visible()
    no_errors(page, errors)
    row = report.assessment.get()
    assert (row.region.code, row.unit_code, row.unit_name) == ("33.01.15", "33.01.15", "Wanareja — Kab. Cilacap")

    # Away and back: the row shows its unit.
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Tugas", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    open_from_home(page, report)
    expect(page.locator("#id_penilaian-0-unit")).to_have_value(WANAREJA)
    expect(page.get_by_text("Wanareja — Kab. Cilacap").first).to_be_attached()

    # Changing the level lets go of the unit.
    page.locator("[name='penilaian-0-level']").select_option("desa")
    expect(page.locator("#id_penilaian-0-unit")).to_have_value("")
    expect(page.locator("[name='penilaian-0-unit']")).to_have_value("")
    no_errors(page, errors)

    # The combobox, open, passes axe-core (its context bypasses the CSP to inject axe).
    checked = new_page(bypass_csp=True)
    log_in(checked, "demo-tk")
    checked.goto(reverse("reports:report_edit", args=[report.pk]))
    combo = checked.locator("#id_penilaian-1-unit")
    checked.locator("[name='penilaian-1-level']").select_option("kecamatan")
    combo.press_sequentially("cila")
    expect(checked.get_by_role("listbox").get_by_role("option").first).to_be_visible()
    combo.press("ArrowDown")
    assert axe_violations(checked) == []


def test_without_javascript_the_row_narrows_by_a_submit_and_saves(report, browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, java_script_enabled=False)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        errors = watch(page)
        log_in(page, "demo-tk")
        open_from_home(page, report)
        page.locator("[name='penilaian-0-level']").select_option("kecamatan")
        page.locator("[name='penilaian-0-kabupaten']").select_option("33.01")
        page.get_by_role("button", name="Tampilkan pilihan").first.click()
        # The page again, nothing saved, no error the writer did not cause.
        expect(page.locator("[name='penilaian-0-unit'] option[value='33.01.15']")).to_have_text(WANAREJA)
        expect(page.locator("[name='penilaian-0-unit'] option[value='33.08.01']")).to_have_count(0)
        no_errors(page, errors)
        assert not report.assessment.exists()
        page.locator("[name='penilaian-0-unit']").select_option("33.01.15")
        page.locator("[name='penilaian-0-rating']").select_option("cukup")
        page.get_by_role("button", name="Simpan draf", exact=True).last.click()
        expect(page.get_by_role("status").filter(has_text="Draf disimpan.")).to_be_visible()
        no_errors(page, errors)
        expect(page.locator("[name='penilaian-0-unit']")).to_have_value("33.01.15")
        expect(page.locator("[name='penilaian-0-kabupaten']")).to_have_value("33.01")
        row = report.assessment.get()
        assert (row.region.code, row.unit_name, row.rating) == ("33.01.15", "Wanareja — Kab. Cilacap", "cukup")
    finally:
        context.close()
