"""PjOProv Jawa Tengah records last month's routine meeting: held, the
attendance, the minutes, a follow-up for KMW; then approves the minutes."""

import datetime
import re

from django.utils import translation
from playwright.sync_api import expect

from core.periods import period_label
from tests.e2e.browser import E2E, log_in, screenshot
from tests.factories import actor

pytestmark = E2E

PROBLEM = "Realisasi fisik 62%, di bawah target 70%."
DECISION = "KMW mempercepat pendampingan di 5 kecamatan yang terlambat."
FOLLOW_UP = "Percepat pendampingan di 5 kecamatan"


def test_pjoprov_records_attendance_minutes_and_a_follow_up(demo, page):
    today = actor("pjoprov").province.today()
    period = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")  # last month's

    log_in(page, "demo-pjoprov")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name="Rapat", exact=True).click()
    with translation.override("id"):
        in_words = period_label(period)  # "November 2026", as the list says it
    row = page.locator("tr").filter(has_text=f"PjOProv Jawa Tengah · {in_words}")
    row.get_by_role("link").first.click()
    meeting_path = page.url

    page.get_by_role("button", name="Rapat terlaksana").click()
    expect(page.get_by_role("link", name="Daftar hadir")).to_be_visible()

    page.get_by_role("link", name="Daftar hadir").click()
    for select in page.get_by_role("combobox").all():
        select.select_option("hadir")
    page.get_by_label("Sekretaris TK PNPM-MP Jawa Tengah", exact=True).select_option("izin")
    page.get_by_label("Keterangan Sekretaris TK PNPM-MP Jawa Tengah").fill("Rapat di Bappeda")
    page.get_by_role("button", name="Simpan daftar hadir").click()
    expect(page).to_have_url(meeting_path)

    page.get_by_role("link", name="Tulis notulen").click()
    page.get_by_label(re.compile("^Permasalahan yang dibahas")).first.fill(PROBLEM)
    page.get_by_label(re.compile("^Keputusan")).first.fill(DECISION)
    page.get_by_role("button", name="Simpan draf").click()
    expect(page).to_have_url(meeting_path)
    expect(page.get_by_text(DECISION)).to_be_visible()

    follow_up = page.locator("form[action$='/tindak-lanjut/']")
    follow_up.get_by_label("Tindak lanjut").fill(FOLLOW_UP)
    follow_up.get_by_label("Pelaku penanggung jawab").select_option(label="KMW Provinsi Jawa Tengah")
    follow_up.get_by_label("Tenggat").fill(today.isoformat())
    follow_up.get_by_role("button", name="Buat tugas tindak lanjut").click()
    expect(page.get_by_text(f"{FOLLOW_UP}KMW Provinsi Jawa Tengah · tenggat")).to_be_visible()

    page.get_by_role("button", name="Setujui notulen (mengunci)").click()
    expect(page.get_by_text("Disetujui, terkunci")).to_be_visible()
    expect(page.get_by_text("Sekretaris TK PNPM-MP Jawa Tengah · Izin")).to_be_visible()
    expect(page.get_by_text("Selesai untuk periode ini")).to_be_visible()
    screenshot(page, "meeting-minutes")
