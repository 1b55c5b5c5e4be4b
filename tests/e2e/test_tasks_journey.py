"""PjOProv Jawa Tengah finds an overdue task, completes it with a note and a
PDF, sees it done; a DI Yogyakarta task's URL answers the "not found" page."""

import re
from urllib.parse import urlparse

from playwright.sync_api import expect

from duties.models import Task
from tests.e2e.browser import E2E, log_in, pdf_file, screenshot

pytestmark = E2E


def test_pjoprov_completes_an_overdue_task_with_a_note_and_a_pdf(demo, page):
    log_in(page, "demo-pjoprov")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, "home-pjoprov")

    page.get_by_role("navigation", name="Navigasi utama").get_by_role("link", name=re.compile("^Tugas")).click()
    page.get_by_label("Hanya yang terlambat").check()
    page.get_by_role("button", name="Saring").click()
    overdue_row = page.locator("tr.is-overdue").first
    expect(overdue_row).to_be_visible()
    title = overdue_row.get_by_role("link").inner_text()
    overdue_row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title.rstrip("…"))
    task_url, task_path = page.url, urlparse(page.url).path

    page.get_by_label("Status baru").select_option(label="Selesai")
    page.get_by_label("Catatan").fill("Sudah dibahas dan dilaporkan ke TK; notulen terlampir.")
    page.get_by_label("Lampiran").set_input_files(pdf_file("notulen-koordinasi.pdf"))
    page.get_by_role("button", name="Simpan").click()

    expect(page).to_have_url(task_url)
    expect(page.get_by_role("row", name=re.compile("^Diselesaikan"))).to_contain_text(
        "Sudah dibahas dan dilaporkan ke TK; notulen terlampir."
    )
    expect(page.get_by_role("link", name="notulen-koordinasi.pdf")).to_be_visible()

    page.get_by_role("link", name="Tugas saya").first.click()
    page.get_by_label("Status", exact=True).select_option(label="Selesai")
    page.get_by_role("button", name="Saring").click()
    done_row = page.locator(f'tr:has(a[href="{task_path}"])')
    expect(done_row).to_contain_text("Selesai")

    diy_task = Task.objects.filter(actor__kind__code="pjoprov", actor__province__code="34").first()
    response = page.goto(f"/tugas/{diy_task.pk}/")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Halaman tidak ditemukan")).to_be_visible()
    expect(page.get_by_role("navigation", name="Navigasi utama")).to_be_visible()  # the app's layout
