"""Every recorded decree (SK) of an appointment is an issued document: its
record rendered once as a PDF with the verification code, hashed and stored
when the proposal is approved; the download serves those bytes; the
document stands while the term runs and is revoked once it has ended."""

import datetime
import hashlib
import io
import zoneinfo

import pytest
import time_machine
from django.core.files.storage import default_storage
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from actors.models import Position
from actors.services import do_end_membership
from appointments import issued
from appointments import services as appointment_services
from appointments.models import Decree
from core.templatetags.fmt import tanggal
from documents import services as documents
from documents.models import Document
from documents.registry import State
from tests import personas
from tests.actors.conftest import approve, submitted, today
from tests.factories import actor, member

pytestmark = pytest.mark.django_db

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
ONE_DAY = datetime.timedelta(days=1)


def flat(text):
    return " ".join(text.split())


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return flat("\n".join(page.extract_text() for page in reader.pages))


def on(day):
    """10.00 in Jawa Tengah (WIB) on `day`."""
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=WIB), tick=False)


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def gubernur_other(db):
    return personas.make("gubernur_other")


@pytest.fixture
def approved(pjoprov_member, gubernur_office):
    return approve(submitted(pjoprov_member), gubernur_office)


def document_of(proposal):
    return documents.document_of(Decree.objects.get(proposal=proposal))


def test_approving_with_a_decree_issues_one_document_of_its_record(approved):
    decree = Decree.objects.select_related("actor__province").get(proposal=approved)
    document = Document.objects.get()
    assert document.source == decree
    assert (document.kind, document.province, document.actor) == ("sk", actor("tk-provinsi").province, decree.actor)
    assert (document.signer_name, document.signer_title) == ("Gubernur Jawa Tengah", actor("gubernur").name)
    assert document.issued_at == decree.created_at
    assert document.subject == decree.number
    assert document.title == f"SK {decree.number} tentang {decree.subject}"
    assert document.version == 1
    assert len(document.code) == 26
    assert document.sha256 == hashlib.sha256(documents.read(document)).hexdigest()
    assert document.size == len(documents.read(document))


def test_the_pdf_is_the_official_record_of_the_decree_with_its_code(approved):
    decree = Decree.objects.get(proposal=approved)
    document = documents.document_of(decree)
    text = pdf_text(documents.read(document))
    with translation.override("id"):
        term = f"{tanggal(decree.start_date)} – {tanggal(decree.end_date)}"
    assert "PEMERINTAH PROVINSI JAWA TENGAH" in text
    assert "CATATAN KEPUTUSAN GUBERNUR" in text
    assert f"Nomor {decree.number}" in text
    assert f"tentang {decree.subject}" in text
    assert "Siti Rahmawati" in text and "NIP 198001012005012001" in text
    assert "Anggota" in text and "Definitif" in text
    assert term in text
    assert decree.signed_by in text and actor("gubernur").name in text
    assert decree.scan_name in text
    assert document.code_words in text
    assert f"SK {decree.number} · dicatat" in text
    assert "Halaman 1 dari 1" in text


def test_an_open_ended_term_reads_until_decided_otherwise(pjoprov_member, gubernur_office):
    proposal = approve(submitted(pjoprov_member, end_date=None), gubernur_office)
    assert "sampai ditetapkan lain" in pdf_text(documents.read(document_of(proposal)))


def test_user_text_is_printed_as_typed_not_as_markup(pjoprov_member, gubernur_office):
    subject = "Penetapan <b>Tim</b> & “Koordinasi”\x07 — Provinsi"
    proposal = approve(submitted(pjoprov_member), gubernur_office, subject=subject, signed_by="a.n. Gubernur\x0bSekda")
    text = pdf_text(documents.read(document_of(proposal)))
    assert "Penetapan <b>Tim</b> & “Koordinasi” — Provinsi" in text
    assert "a.n. Gubernur" in text and "Sekda" in text


def test_the_download_serves_the_stored_bytes(approved, pjoprov_member, gubernur_office, login):
    document = document_of(approved)
    for user in (pjoprov_member, gubernur_office):
        response = login(user).get(reverse("appointments:decree_pdf", args=[approved.pk]))
        assert response.status_code == 200
        assert body(response) == documents.read(document)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith('attachment; filename="sk-188-379-kpts-013-2026.pdf"')
        assert response["Cache-Control"] == "private, no-store"
    assert Document.objects.count() == 1


def test_the_download_is_404_to_whoever_cannot_see_the_proposal(approved, outsider, gubernur_other, login):
    url = reverse("appointments:decree_pdf", args=[approved.pk])
    for user in (outsider, gubernur_other):
        assert login(user).get(url).status_code == 404


def test_the_download_is_404_for_a_proposal_without_a_decree(pjoprov_member, login):
    proposal = submitted(pjoprov_member)
    assert login(pjoprov_member).get(reverse("appointments:decree_pdf", args=[proposal.pk])).status_code == 404


def test_the_proposal_page_links_the_record_and_shows_its_code(approved, pjoprov_member, login):
    document = document_of(approved)
    page = login(pjoprov_member).get(reverse("appointments:proposal_detail", args=[approved.pk])).content.decode()
    assert reverse("appointments:decree_pdf", args=[approved.pk]) in page
    assert "Unduh catatan SK (PDF)" in page
    assert document.code_words in page
    assert reverse("documents:verify", args=[document.code]) in page


def test_without_the_font_the_approval_stands_and_the_first_download_issues_it(
    pjoprov_member, gubernur_office, login, tmp_path
):
    with override_settings(PDF_FONT_DIR=tmp_path):
        proposal = approve(submitted(pjoprov_member), gubernur_office)
        assert Decree.objects.filter(proposal=proposal).exists()
        assert not Document.objects.exists()
        c = login(pjoprov_member)
        page = c.get(reverse("appointments:proposal_detail", args=[proposal.pk]))
        assert reverse("appointments:decree_pdf", args=[proposal.pk]) in page.content.decode()
        assert "Kode verifikasi catatan SK" not in page.content.decode()
        response = c.get(reverse("appointments:decree_pdf", args=[proposal.pk]))
        assert response.status_code == 503
        assert "DejaVuSans" in response.content.decode()
    response = c.get(reverse("appointments:decree_pdf", args=[proposal.pk]))
    assert response.status_code == 200
    document = Document.objects.get()
    assert body(response) == documents.read(document)


@pytest.fixture
def kmw_coordinator(db):
    return member("kmw", "33", position="koordinator", username="kmw-koordinator")


@pytest.fixture
def tk_secretary(db):
    return member("tk-provinsi", "33", position="sekretaris", username="tk-sekretaris")


def test_an_approval_without_a_decree_issues_nothing(kmw_coordinator, tk_secretary):
    proposal = submitted(
        kmw_coordinator,
        target="kmw",
        position=Position.objects.get(code="staf-pendukung"),
        email="staf@example.invalid",
    )
    approve(proposal, tk_secretary)
    assert not Decree.objects.exists()
    assert not Document.objects.exists()


# --- how the decree stands ------------------------------------------------------


def test_the_decree_is_in_force_during_its_term_and_revoked_after_it(approved):
    decree = Decree.objects.get(proposal=approved)
    document = documents.document_of(decree)
    with on(decree.end_date):
        assert documents.standing(document).state == State.VALID
    with on(decree.end_date + ONE_DAY):
        standing = documents.standing(document)
        assert (standing.state, standing.date) == (State.REVOKED, decree.end_date)
        assert not standing.in_force
    # 06.00 WIB the day after the term is still its last day in UTC: the province's day counts.
    early = datetime.datetime.combine(decree.end_date + ONE_DAY, datetime.time(6), tzinfo=WIB)
    with time_machine.travel(early, tick=False):
        assert documents.standing(document).state == State.REVOKED


def test_a_membership_ended_early_revokes_the_decree_from_its_end(approved, gubernur_office):
    decree = Decree.objects.get(proposal=approved)
    document = documents.document_of(decree)
    end = today() + datetime.timedelta(days=10)
    do_end_membership(approved.membership, end_date=end, by=gubernur_office)
    with on(end):
        assert documents.standing(document).in_force
    with on(end + ONE_DAY):
        standing = documents.standing(document)
        assert (standing.state, standing.date) == (State.REVOKED, end)
    assert end < decree.end_date


# --- acting officials, errors, the catch-up ---------------------------------------


def test_an_acting_appointment_says_whom_the_person_acts_for(pjoprov_member, gubernur_office):
    chair = member("tk-provinsi", "33", position="ketua", start=datetime.date(2020, 1, 1), username="tk-ketua")
    acting = member("tk-provinsi", "33", position="anggota", username="anggota-plt")
    proposal = approve(
        submitted(
            pjoprov_member,
            user=acting,
            full_name="",
            email="",
            position=Position.objects.get(code="ketua"),
            mode="plt",
            acting_for=chair,
            end_date=today() + datetime.timedelta(days=60),
        ),
        gubernur_office,
    )
    text = pdf_text(documents.read(document_of(proposal)))
    assert "Plt. Ketua" in text
    assert f"Pelaksana Tugas (Plt.), bertindak untuk {chair.display_name}" in text


def test_a_failed_approval_leaves_no_document_file_behind(pjoprov_member, gubernur_office, monkeypatch):
    issued_files = []

    def fail(**kwargs):
        issued_files.append(Document.objects.get().file.name)
        raise RuntimeError("membership refused")

    monkeypatch.setattr(appointment_services, "do_add_membership", fail)
    proposal = submitted(pjoprov_member)
    with pytest.raises(RuntimeError):
        approve(proposal, gubernur_office)
    assert not Document.objects.exists()
    assert len(issued_files) == 1
    assert not default_storage.exists(issued_files[0])


def test_the_catch_up_issues_what_a_missing_font_deferred(pjoprov_member, gubernur_office, tmp_path):
    with override_settings(PDF_FONT_DIR=tmp_path):
        proposal = approve(submitted(pjoprov_member), gubernur_office)
    assert not Document.objects.exists()
    assert documents.issue_missing()[0][Document.Kind.DECREE] == 1
    assert documents.issue_missing()[0][Document.Kind.DECREE] == 0
    document = document_of(proposal)
    assert (document.kind, document.signer_name) == ("sk", "Gubernur Jawa Tengah")
    assert issued.decree_standing(document.source).in_force


def test_the_public_page_says_revoked_with_the_date_once_the_term_ended(approved):
    decree = Decree.objects.get(proposal=approved)
    document = documents.document_of(decree)
    page = reverse("documents:verify", args=[document.code])
    with on(decree.end_date):
        html = Client().get(page).content.decode()
        assert "Berlaku" in html and "Dicabut" not in html
    with on(decree.end_date + ONE_DAY):
        response = Client().get(page)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dicabut" in html and f"berakhir {tanggal(decree.end_date)}" in html
    assert decree.number in html and decree.scan_name not in html
