"""Issued report versions and the public verification page (issue 21): the
record and the stored PDF made at submission, the QR code and the code in
words, each standing, unknown codes, files compared and never kept, the
throttle and the log of every lookup."""

import datetime
import hashlib
import io
import logging
import os
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core import cache as shared_cache
from documents import codes
from documents.models import Document
from documents.services import document_of, read, remove_orphan_files, verification_url
from reports import services as report_services
from tests.reports.conftest import report_of

from .conftest import submitted

pytestmark = pytest.mark.django_db

SECRET = "Rahasia isi laporan: dana BLM Kecamatan Wanareja"


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def verify_page(client, document, **extra):
    return client.get(reverse("documents:verify", args=[document.code]), **extra)


def _named(data, name):
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_submitting_issues_one_record_with_the_hash_of_the_stored_pdf(slots, tk_member, login):
    version = submitted(tk_member, kemajuan=SECRET)
    document = document_of(version)
    assert document is not None and Document.objects.count() == 1
    data = read(document)
    assert document.sha256 == hashlib.sha256(data).hexdigest() and document.size == len(data)
    assert document.kind == Document.Kind.REPORT and document.province.code == "33"
    assert document.actor == version.report.actor and document.period == "2026-Q3" and document.version == 1
    assert document.signer_name == "Drs. Budi Santoso"
    assert document.signer_title == "Ketua TK PNPM-MP Provinsi Jawa Tengah"
    assert document.issued_at == version.submitted_at
    assert codes.normalize(document.code) == document.code and len(document.code) == codes.LENGTH
    # The PDF prints the verification address (its QR code) and the code in words.
    text = pdf_text(data)
    assert verification_url(document.code) in text.replace("\n", "")
    assert document.code_words in text and SECRET in text
    # Every download serves exactly the stored bytes.
    client = login(tk_member)
    for _ in range(2):
        assert client.get(reverse("reports:version_pdf", args=[version.pk])).content == data


def test_codes_are_unguessable_and_read_leniently():
    made = {codes.new_code() for _ in range(2000)}
    assert len(made) == 2000
    assert all(len(c) == 26 and set(c) <= set(codes.ALPHABET) for c in made)
    assert len(codes.ALPHABET) ** codes.LENGTH >= 2**128
    code = codes.new_code()
    assert codes.normalize(codes.in_words(code).upper()) == code
    assert codes.normalize(" " + codes.in_words(code) + " ") == code
    assert codes.normalize("O1L" + code[3:]) == "011" + code[3:]
    for wrong in ("", code[:-1], code + "0", code[:-1] + "u", code[:-1] + "!"):
        assert codes.normalize(wrong) is None


def test_the_page_shows_what_the_paper_shows_and_nothing_of_the_content(slots, tk_member):
    version = submitted(tk_member, kemajuan=SECRET)
    document = document_of(version)
    response = verify_page(Client(), document)  # no login
    assert response.status_code == 200
    html = response.content.decode()
    for shown in (
        "Laporan",
        "Jawa Tengah",
        str(version.report.actor),
        "Triwulan III 2026",
        "Drs. Budi Santoso",
        document.sha256_groups,
        document.code_words,
        "Berlaku",
    ):
        assert shown in html, shown
    for hidden in (SECRET, "Cilacap", "Pencairan dana BLM"):
        assert hidden not in html
    assert reverse("reports:version_pdf", args=[version.pk]) not in html


def test_each_standing_of_a_report_version(slots, tk_member, gubernur_office):
    report = report_of("tk-triwulan")
    first = submitted(tk_member)
    client = Client()
    assert "Berlaku" in verify_page(client, document_of(first)).content.decode()
    report_services.do_review_report(
        user=gubernur_office, report=report, decision="dikembalikan", section_reasons={"kemajuan": "Lengkapi."}
    )
    html = verify_page(client, document_of(first)).content.decode()
    assert "Dikembalikan untuk perbaikan" in html and "sejak 5 Oktober 2026" in html
    second = report_services.do_submit_report(user=tk_member, report=report)
    html = verify_page(client, document_of(first)).content.decode()
    assert "Digantikan oleh versi 2" in html
    assert "Berlaku" in verify_page(client, document_of(second)).content.decode()
    report_services.do_review_report(user=gubernur_office, report=report, decision="diterima")
    assert "Berlaku" in verify_page(client, document_of(second)).content.decode()
    assert "Digantikan oleh versi 2" in verify_page(client, document_of(first)).content.decode()


def test_the_day_of_a_return_is_the_provinces_day_not_utcs(slots, tk_member, gubernur_office, clock):
    report = report_of("tk-triwulan")
    first = submitted(tk_member)
    # 06.00 WIB on 6 October is still 5 October in UTC.
    clock.move_to(datetime.datetime(2026, 10, 6, 6, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))))
    report_services.do_review_report(
        user=gubernur_office, report=report, decision="dikembalikan", section_reasons={"kemajuan": "Lengkapi."}
    )
    html = verify_page(Client(), document_of(first)).content.decode()
    assert "sejak 6 Oktober 2026" in html


def test_an_unknown_or_malformed_code_gets_one_friendly_404(slots, tk_member):
    document = document_of(submitted(tk_member))
    client = Client()
    near_miss = document.code[:-1] + ("0" if document.code[-1] != "0" else "1")
    pages = [
        client.get(reverse("documents:verify", args=[near_miss])),
        client.get(reverse("documents:verify", args=["bukan-kode"])),
        client.get(reverse("documents:verify_form"), {"kode": near_miss}, follow=True),
        client.post(reverse("documents:verify_form"), {"kode": "x" * 30}),
        client.post(reverse("documents:verify_form"), {"kode": document.code[:-1]}),  # one short
        client.post(reverse("documents:verify_form"), {"kode": document.code * 5}),  # far too long
        client.post(reverse("documents:verify_form"), {"kode": near_miss}),  # well formed, unknown
    ]
    answers = set()
    for response in pages:
        assert response.status_code == 404
        html = response.content.decode()
        assert "Kode verifikasi tidak dikenal" in html and "Traceback" not in html
        assert document.sha256_groups not in html and document.title not in html
        # Every message the page says about the code: the status line and
        # the form's errors (its summary and the field's own).
        said = re.findall(r'role="status">([^<]*)<', html)
        said += re.findall(r'<p class="error">([^<]*)</p>', html)
        said += re.findall(r"<li><a [^>]*>([^<]*)</a></li>", html)
        answers.add(frozenset(m.strip() for m in said))
    # The same words whatever was wrong: nothing says which part.
    unknown = "Kode verifikasi ini tidak dikenal. Periksa kembali kode yang tertulis di bawah kode QR."
    status = "Tidak ada dokumen dengan kode ini."
    assert answers <= {frozenset({status}), frozenset({status, unknown, f"Kode verifikasi: {unknown}"})}
    assert len(answers) == 2  # the pages with the typed code repeat it once as a field error


def test_a_typed_code_in_any_case_with_dashes_opens_the_page(slots, tk_member):
    document = document_of(submitted(tk_member))
    client = Client()
    response = client.get(reverse("documents:verify_form"), {"kode": document.code_words.upper()})
    assert response.status_code == 302 and response["Location"] == reverse("documents:verify", args=[document.code])
    response = client.post(reverse("documents:verify_form"), {"kode": f" {document.code_words} "})
    assert response.status_code == 302 and response["Location"] == reverse("documents:verify", args=[document.code])
    response = client.get(reverse("documents:verify", args=[document.code.upper()]))
    assert response.status_code == 302 and response["Location"] == reverse("documents:verify", args=[document.code])


def test_a_dropped_file_is_compared_and_never_kept(slots, tk_member, settings):
    document = document_of(submitted(tk_member))
    data = read(document)
    altered = bytearray(data)
    altered[len(altered) // 2] ^= 0x01
    altered = bytes(altered)
    media = settings.STORAGES["default"]["OPTIONS"]["location"]
    client = Client()
    page_url = reverse("documents:verify", args=[document.code])
    form_url = reverse("documents:verify_form")

    html = client.post(page_url, {"berkas": _named(data, "asli.pdf")}).content.decode()
    assert "Cocok — dokumen asli" in html
    html = client.post(page_url, {"berkas": _named(altered, "asli.pdf")}).content.decode()
    assert "Tidak cocok" in html and "Cocok — dokumen asli" not in html
    # On the form: the file alone finds its document; the file with the code is compared with it.
    html = client.post(form_url, {"berkas": _named(data, "x.pdf")}).content.decode()
    assert "Cocok — dokumen asli" in html and document.code_words in html
    html = client.post(form_url, {"berkas": _named(altered, "x.pdf")}).content.decode()
    assert "Tidak cocok" in html and document.code_words not in html
    html = client.post(form_url, {"kode": document.code, "berkas": _named(altered, "x.pdf")}).content.decode()
    assert "Tidak cocok" in html
    # Not a PDF, or nothing at all: a refusal that says what to do.
    response = client.post(page_url, {"berkas": _named(b"hello", "catatan.txt")})
    assert response.status_code == 400 and "bukan PDF" in response.content.decode()
    response = client.post(form_url, {})
    assert (
        response.status_code == 400 and "Ketik kode verifikasi, atau pilih berkas PDF-nya." in response.content.decode()
    )
    # Nothing was stored (the names are this test's own: other tests may write
    # files into the same folder meanwhile).
    assert not [p for p in media.rglob("*") if p.name in ("asli.pdf", "x.pdf", "catatan.txt")]
    assert Document.objects.count() == 1


def test_a_file_over_the_limit_is_refused_without_being_read_whole(slots, tk_member, settings):
    document = document_of(submitted(tk_member))
    settings.VERIFICATION_MAX_UPLOAD = 1000
    response = Client().post(
        reverse("documents:verify", args=[document.code]), {"berkas": _named(b"%PDF-" + b"0" * 5000, "besar.pdf")}
    )
    assert response.status_code == 400 and "lebih besar dari" in response.content.decode()


def test_lookups_are_throttled_per_address_and_every_one_is_logged(slots, tk_member, settings, caplog):
    document = document_of(submitted(tk_member))
    settings.VERIFICATION_RATE_PER_MINUTE = 3
    client = Client(REMOTE_ADDR="203.0.113.7")
    caplog.set_level(logging.INFO, logger="pnpm.verification")
    statuses = [verify_page(client, document).status_code for _ in range(3)]
    statuses.append(client.get(reverse("documents:verify", args=["0" * 26])).status_code)
    assert statuses == [200, 200, 200, 429]
    throttled = verify_page(client, document)
    assert throttled.status_code == 429 and 1 <= int(throttled["Retry-After"]) <= 60
    assert "Tunggu sebentar" in throttled.content.decode()
    assert document.sha256_groups not in throttled.content.decode()
    # Another address is not held back.
    assert verify_page(Client(REMOTE_ADDR="198.51.100.9"), document).status_code == 200
    events = [r.event for r in caplog.records if r.name == "pnpm.verification"]
    assert events == ["verification.found"] * 3 + ["verification.throttled"] * 2 + ["verification.found"]
    assert all(r.ip for r in caplog.records if r.name == "pnpm.verification")


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            # Nothing listens on port 1: every cache call fails at once.
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    },
    VERIFICATION_RATE_PER_MINUTE=1,
)
def test_a_cache_that_does_not_answer_leaves_the_page_up_unthrottled(slots, tk_member, monkeypatch):
    monkeypatch.setattr(shared_cache, "_down_until", 0.0)
    document = document_of(submitted(tk_member))
    client = Client(REMOTE_ADDR="203.0.113.8")
    assert [verify_page(client, document).status_code for _ in range(3)] == [200, 200, 200]


def test_every_kind_of_lookup_is_logged_once(slots, tk_member, caplog):
    document = document_of(submitted(tk_member))
    data = read(document)
    client = Client()
    caplog.set_level(logging.INFO, logger="pnpm.verification")
    form_url, page_url = reverse("documents:verify_form"), reverse("documents:verify", args=[document.code])
    client.post(form_url, {"kode": document.code_words}, follow=True)  # typed: redirected to the page
    client.post(page_url, {"berkas": _named(data, "a.pdf")})
    client.post(page_url, {"berkas": _named(b"%PDF-x", "b.pdf")})
    client.post(page_url, {})  # no file: refused
    client.post(form_url, {"berkas": _named(b"hello", "c.txt")})  # not a PDF: refused
    client.get(reverse("documents:verify", args=["ab\ncd-ef"]))
    records = [r for r in caplog.records if r.name == "pnpm.verification"]
    assert [r.event for r in records] == [
        "verification.found",
        "verification.file_match",
        "verification.file_mismatch",
        "verification.refused",
        "verification.refused",
        "verification.unknown",
    ]
    # What cannot be a code is never written to the log as typed.
    assert records[-1].code_prefix == "malformed" and "\n" not in records[-1].getMessage()
    assert records[0].code_prefix == document.code[:6]


def test_an_unknown_code_is_logged(slots, tk_member, caplog):
    caplog.set_level(logging.INFO, logger="pnpm.verification")
    Client().get(reverse("documents:verify", args=["0" * 26]))
    assert [r.event for r in caplog.records if r.name == "pnpm.verification"] == ["verification.unknown"]


def test_the_page_takes_the_same_queries_for_every_standing(
    slots, tk_member, gubernur_office, django_assert_max_num_queries
):
    report = report_of("tk-triwulan")
    first = submitted(tk_member)
    report_services.do_review_report(
        user=gubernur_office, report=report, decision="dikembalikan", section_reasons={"kemajuan": "Lengkapi."}
    )
    report_services.do_submit_report(user=tk_member, report=report)
    client = Client()
    with django_assert_max_num_queries(8):
        assert verify_page(client, document_of(first)).status_code == 200


def test_issue_documents_catches_up_and_is_safe_to_run_twice(slots, tk_member, settings, tmp_path):
    # A version submitted while the PDF font was missing has no document yet.
    font_dir, settings.PDF_FONT_DIR = settings.PDF_FONT_DIR, tmp_path
    version = submitted(tk_member)
    assert document_of(version) is None
    settings.PDF_FONT_DIR = font_dir
    out = io.StringIO()
    call_command("issue_documents", stdout=out)
    assert "laporan: 1 document(s) issued\n" in out.getvalue()
    assert "1 document(s) issued in all." in out.getvalue() and document_of(version) is not None
    out = io.StringIO()
    call_command("issue_documents", stdout=out)
    assert Document.objects.count() == 1
    assert "laporan: 0 document(s) issued\n" in out.getvalue()
    assert "\n0 document(s) issued in all." in out.getvalue()


def test_issue_documents_says_what_waits_and_why(slots, tk_member, settings, tmp_path):
    font_dir, settings.PDF_FONT_DIR = settings.PDF_FONT_DIR, tmp_path
    submitted(tk_member)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 document\\(s\\) cannot be issued yet: .*DejaVuSans.ttf"):
        call_command("issue_documents", stdout=out)
    assert "laporan: 0 document(s) issued, 1 still waiting" in out.getvalue()
    settings.PDF_FONT_DIR = font_dir


def test_a_stored_pdf_without_a_record_is_removed_after_an_hour(slots, tk_member):
    document = document_of(submitted(tk_member))
    storage = document.file.storage
    folder = document.file.name.rsplit("/", 2)[0]
    stray = storage.save(f"{folder}/{'0' * 32}/sisa.pdf", ContentFile(b"%PDF-1.4 rolled back"))

    def written_ago(minutes):
        moment = (timezone.now() - datetime.timedelta(minutes=minutes)).timestamp()
        os.utime(storage.path(stray), (moment, moment))

    written_ago(10)
    assert remove_orphan_files() == 0  # younger than an hour: its transaction may still commit
    written_ago(61)
    assert remove_orphan_files() == 1
    assert not storage.exists(stray) and storage.exists(document.file.name)
    assert read(document)
