"""The TK secretariat proposes a new TK member; the Governor's office returns
the proposal with a reason, the secretariat fixes and resubmits it, the
Governor's office approves it with a decree; the new member sets a password
through the one-time link of the email the app sends, logs in and sees the
TK's tasks."""

import datetime
import re

from django.core import mail
from playwright.sync_api import expect

from core.notifications import deliver_pending
from tests.e2e.browser import E2E, log_in, log_out, pdf_file, screenshot
from tests.factories import actor

pytestmark = E2E

RETURN_REASON = "Nama instansi perlu ditulis lengkap, tanpa singkatan."


def test_tk_member_is_proposed_returned_resubmitted_approved_and_logs_in(demo, page, new_page):
    today = actor("tk-provinsi").province.today()
    end = today + datetime.timedelta(days=365)

    # The TK secretariat proposes a new person.
    log_in(page, "demo-tk")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=re.compile("^Penetapan")).click()
    page.get_by_role("link", name="Buat usulan", exact=True).click()
    page.get_by_label("Pelaku").select_option(label="TK PNPM-MP Provinsi Jawa Tengah")
    page.get_by_role("combobox", name="Jabatan", exact=True).select_option(label="Anggota")
    page.get_by_label("Nama lengkap (orang baru)").fill("Rina Wulandari")
    page.get_by_label("NIP").fill("198505052010012002")
    page.get_by_label("Email").fill("rina@example.invalid")
    page.get_by_label("Instansi").fill("Dinas PMD")
    page.get_by_label("Mulai").fill(today.isoformat())
    page.get_by_label("Selesai").fill(end.isoformat())
    page.get_by_label("Alasan usulan").fill("Anggota TK dari Dinas PMD.")
    page.get_by_label("Daftar riwayat hidup").set_input_files(pdf_file("cv-rina.pdf"))
    page.get_by_role("button", name="Simpan draf").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rina Wulandari")
    page.get_by_role("button", name="Ajukan untuk disetujui").click()
    expect(page.locator(".pill").first).to_have_text("Menunggu persetujuan")
    log_out(page)

    # The Governor's office finds it in its inbox and returns it.
    governor = new_page()
    log_in(governor, "demo-gubernur")
    screenshot(governor, "home-gubernur")
    governor.get_by_role("link", name="Buka kotak masuk").first.click()
    expect(governor.get_by_role("heading", level=1)).to_have_text("Kotak masuk persetujuan")
    screenshot(governor, "approval-inbox")
    governor.get_by_role("link", name="Rina Wulandari").click()
    returning = governor.locator("form[action$='/kembalikan/']")
    returning.get_by_label("Alasan").fill(RETURN_REASON)
    returning.get_by_role("button", name="Kembalikan").click()
    expect(governor.locator(".pill").first).to_have_text("Dikembalikan untuk perbaikan")

    # The secretariat reads the reason, fixes the proposal and resubmits it.
    log_in(page, "demo-tk")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=re.compile("^Penetapan")).click()
    page.get_by_role("link", name="Rina Wulandari").click()
    expect(page.get_by_role("status").filter(has_text=RETURN_REASON)).to_be_visible()
    page.get_by_role("link", name="Ubah usulan").click()
    page.get_by_label("Instansi").fill("Dinas Pemberdayaan Masyarakat dan Desa Provinsi Jawa Tengah")
    page.get_by_role("button", name="Simpan draf").click()
    page.get_by_role("button", name="Ajukan kembali").click()
    expect(page.locator(".pill").first).to_have_text("Menunggu persetujuan")
    log_out(page)

    # The Governor's office approves it with the decree.
    governor.goto("/")
    governor.get_by_role("link", name="Buka kotak masuk").first.click()
    governor.get_by_role("link", name="Rina Wulandari").click()
    approval = governor.locator("form[action$='/setujui/']")
    approval.get_by_label("Nomor SK").fill("188/379/KPTS/013/2026")
    approval.get_by_label("Tanggal SK").fill(today.isoformat())
    approval.get_by_label("Tentang").fill("Pembentukan Tim Koordinasi PNPM-MP Provinsi Jawa Tengah")
    approval.get_by_label("Ditandatangani oleh").fill("Gubernur Jawa Tengah")
    approval.get_by_label("Pindaian SK").set_input_files(pdf_file("sk-188-379.pdf"))
    approval.get_by_label("Berlaku mulai").fill(today.isoformat())
    approval.get_by_label("Berlaku sampai").fill(end.isoformat())
    approval.get_by_role("button", name="Setujui").click()
    expect(governor.locator(".pill").first).to_have_text("Disetujui")
    expect(governor.get_by_text("188/379/KPTS/013/2026").first).to_be_visible()

    # The new member opens the link of the email the app sends (the worker's job).
    deliver_pending()
    email = next(m for m in mail.outbox if m.to == ["rina@example.invalid"])
    link = re.search(r"/akun/aktivasi/[^/\s]+/[^/\s]+/", email.body).group(0)
    newcomer = new_page()
    newcomer.goto(link)
    username = newcomer.locator("main strong").first.inner_text()
    password = "Rina-PNPM-2026!"
    newcomer.get_by_label(re.compile("^Sandi baru")).fill(password)
    newcomer.get_by_label("Konfirmasi sandi baru").fill(password)
    newcomer.get_by_role("button", name="Simpan kata sandi").click()
    expect(newcomer.get_by_text("Kata sandi dibuat.")).to_be_visible()
    log_in(newcomer, username, password)
    newcomer.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=re.compile("^Tugas")).click()
    expect(newcomer.get_by_role("cell", name="TK PNPM-MP Provinsi Jawa Tengah").first).to_be_visible()
