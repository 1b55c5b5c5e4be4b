"""Approved minutes as issued documents: the chair's approval issues one
record with the stored PDF (official format, QR code and the code in words),
every download serves those bytes to who may see the meeting, a draft has
none, and a later approved correction supersedes the earlier version."""

import datetime
import hashlib
import io

import pytest
from django.db import reset_queries
from django.urls import reverse
from pypdf import PdfReader

from core.permissions import sync_grants
from documents import codes
from documents import services as documents
from documents.models import Document
from documents.registry import Standing, State
from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingSeries, MinutesVersion
from tests.factories import actor
from tests.meetings.conftest import held, routine, tk_member  # noqa: F401  (the meetings' fixtures)

pytestmark = pytest.mark.django_db

PROBLEM = "Pencairan dana BLM tahap II terlambat di 3 kecamatan."
DECISION = "KMW mendampingi UPK menyusun dokumen pencairan."
FOLLOW_UP = "Surati Bupati tentang keterlambatan"


def url(name, meeting, *args):
    return reverse(f"meetings:{name}", args=[meeting.pk, *args])


def pdf_url(meeting, number):
    return url("minutes_pdf", meeting, number)


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text):
    return " ".join(text.split())


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def write_minutes(c, meeting, decision=DECISION):
    item = meeting.agenda.first()
    data = {"notes": "Rapat dibuka pukul 09.15.", f"problems_{item.pk}": PROBLEM, f"decisions_{item.pk}": decision}
    assert c.post(url("minutes_edit", meeting), data).status_code == 302


@pytest.fixture
def approved(held, login, pjoprov_member, colleague):  # noqa: F811
    """The held meeting with attendance, a follow-up and approved minutes (version 1)."""
    c = login(pjoprov_member)
    attendance = {f"person_{pjoprov_member.pk}": "hadir", f"person_{colleague.pk}": "izin"}
    assert c.post(url("attendance", held), attendance).status_code == 302
    follow_up = {"title": FOLLOW_UP, "actor": held.actor_id, "due_date": "2025-03-20"}
    assert c.post(url("follow_up_add", held), follow_up).status_code == 302
    write_minutes(c, held)
    assert c.post(url("minutes_approve", held)).status_code == 302
    return MinutesVersion.objects.select_related("meeting__actor__province").get(meeting=held, number=1)


def test_approving_the_minutes_issues_one_document(approved, pjoprov_member):
    assert Document.objects.count() == 1
    document = documents.document_of(approved)
    meeting = approved.meeting
    assert document.kind == Document.Kind.MINUTES == "notulen"
    assert document.province.code == "33" and document.actor == meeting.actor == actor("pjoprov", "33")
    assert document.version == 1 and document.period == "2025-03"
    assert document.issued_at == approved.approved_at
    assert document.signer_name == pjoprov_member.display_name
    assert document.signer_title.startswith("Pimpinan Rapat")
    assert document.title == f"Notulen {meeting.title}"
    assert document.subject == f"{meeting.title}, 4 Maret 2025"
    data = documents.read(document)
    assert document.sha256 == hashlib.sha256(data).hexdigest() and document.size == len(data)
    assert len(document.code) == 26 and codes.normalize(document.code) == document.code
    assert documents.standing(document) == Standing(State.VALID)


def test_the_pdf_is_the_official_minutes(approved, pjoprov_member, colleague):
    document = documents.document_of(approved)
    meeting = approved.meeting
    text = pdf_text(documents.read(document))
    words = flat(text)
    assert meeting.actor.name.upper() in words and "NOTULEN RAPAT" in text
    assert meeting.title in words and "Maret 2025" in text
    assert "Selasa, 4 Maret 2025" in words and "09.00 – 11.30 WIB" in words
    assert pjoprov_member.display_name in words and colleague.display_name in words
    assert "Daftar hadir" in text and "Hadir" in text and "Izin" in text
    assert "Pembahasan dan keputusan" in text and PROBLEM in words and DECISION in words
    assert "Catatan umum" in text and "Rapat dibuka pukul 09.15." in words
    assert "Tindak lanjut" in text and FOLLOW_UP in words and "20 Maret 2025" in words
    assert "Pimpinan Rapat" in text
    assert document.code_words in text
    assert documents.verification_url(document.code) in text.replace("\n", "")
    assert f"Notulen {meeting.title} · Versi 1 · disetujui" in words


def test_the_download_serves_the_stored_bytes_to_who_may_view_the_meeting(
    approved, login, pjoprov_member, colleague, outsider
):
    data = documents.read(documents.document_of(approved))
    for user in (pjoprov_member, colleague):
        response = login(user).get(pdf_url(approved.meeting, 1))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "notulen-" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]
        assert body(response) == data
    assert login(outsider).get(pdf_url(approved.meeting, 1)).status_code == 404
    assert login(pjoprov_member).get(pdf_url(approved.meeting, 2)).status_code == 404
    assert Document.objects.count() == 1


def test_the_meeting_page_links_the_pdf_and_shows_the_code(approved, login, pjoprov_member):
    document = documents.document_of(approved)
    page = login(pjoprov_member).get(url("meeting_detail", approved.meeting)).content.decode()
    assert pdf_url(approved.meeting, 1) in page and "Unduh PDF notulen (versi 1)" in page
    assert document.code_words in page and reverse("documents:verify", args=[document.code]) in page


def test_the_meeting_page_asks_one_query_for_any_number_of_documents(
    approved, login, pjoprov_member, django_assert_max_num_queries
):
    c = login(pjoprov_member)
    meeting = approved.meeting
    c.get(url("meeting_detail", meeting))
    reset_queries()  # the log holds 9000 queries: a full one captures none
    with django_assert_max_num_queries(60) as one:
        assert c.get(url("meeting_detail", meeting)).status_code == 200
    count = len(one.captured_queries)
    for n in (2, 3):
        c.post(url("minutes_correct", meeting), {"reason": f"Koreksi {n}"})
        write_minutes(c, meeting, decision=f"Keputusan versi {n}")
        assert c.post(url("minutes_approve", meeting)).status_code == 302
    assert Document.objects.count() == 3
    c.get(url("meeting_detail", meeting))  # the navigation's badges, recounted after one's own POST
    reset_queries()
    with django_assert_max_num_queries(count):
        page = c.get(url("meeting_detail", meeting)).content.decode()
    assert all(f"Unduh PDF notulen (versi {n})" in page for n in (1, 2, 3))


def test_a_draft_has_no_document_and_no_download(held, login, pjoprov_member):  # noqa: F811
    c = login(pjoprov_member)
    write_minutes(c, held)
    draft = MinutesVersion.objects.get(meeting=held)
    assert draft.status == MinutesVersion.Status.DRAFT
    assert c.get(pdf_url(held, 1)).status_code == 404
    assert documents.document_of(draft) is None and Document.objects.count() == 0


def test_an_approved_correction_supersedes_the_first_version(approved, login, pjoprov_member):
    c = login(pjoprov_member)
    meeting = approved.meeting
    assert c.post(url("minutes_correct", meeting), {"reason": "Salah tulis jumlah kecamatan"}).status_code == 302
    write_minutes(c, meeting, decision="KMW dan TK mendampingi UPK.")
    # The correction's draft issues nothing yet and the first version stands.
    assert c.get(pdf_url(meeting, 2)).status_code == 404
    first = documents.document_of(approved)
    assert documents.standing(first) == Standing(State.VALID)
    assert c.post(url("minutes_approve", meeting)).status_code == 302
    second_version = MinutesVersion.objects.get(meeting=meeting, number=2)
    second = documents.document_of(second_version)
    assert Document.objects.count() == 2 and second.version == 2 and second.code != first.code
    assert documents.standing(first) == Standing(State.SUPERSEDED, version=2)
    assert documents.standing(second) == Standing(State.VALID)
    text = flat(pdf_text(documents.read(second)))
    assert "2 (koreksi: Salah tulis jumlah kecamatan)" in text and "KMW dan TK mendampingi UPK." in text
    # Each version's download serves its own document.
    assert body(c.get(pdf_url(meeting, 1))) == documents.read(first)
    assert body(c.get(pdf_url(meeting, 2))) == documents.read(second)


def test_a_version_approved_while_the_font_was_missing_is_issued_at_the_first_download(
    held,  # noqa: F811
    login,
    pjoprov_member,
    settings,
    tmp_path,
):
    c = login(pjoprov_member)
    write_minutes(c, held)
    fonts = settings.PDF_FONT_DIR
    settings.PDF_FONT_DIR = tmp_path  # no fonts here
    assert c.post(url("minutes_approve", held)).status_code == 302  # approval is not refused
    version = MinutesVersion.objects.get(meeting=held)
    assert version.status == MinutesVersion.Status.APPROVED and documents.document_of(version) is None
    response = c.get(pdf_url(held, 1))
    assert response.status_code == 503 and "Ekspor tidak tersedia" in response.content.decode()
    settings.PDF_FONT_DIR = fonts
    response = c.get(pdf_url(held, 1))
    assert response.status_code == 200
    assert body(response) == documents.read(documents.document_of(version))
    assert Document.objects.count() == 1


def test_a_national_meeting_without_a_province_is_issued_in_jakarta_time(login, seknas_user, outsider):
    national = actor("seknas")
    assert national.province is None
    series = MeetingSeries.objects.create(actor=national, kind="evaluasi", title="Rapat koordinasi nasional")
    jakarta = datetime.timezone(datetime.timedelta(hours=7))
    meeting = Meeting.objects.create(
        series=series,
        actor=national,
        period="2025-03",
        title=series.title,
        starts_at=datetime.datetime(2025, 3, 11, 13, 0, tzinfo=jakarta),
        ends_at=datetime.datetime(2025, 3, 11, 15, 0, tzinfo=jakarta),
        chair=seknas_user,
        status=Meeting.Status.HELD,
    )
    item = AgendaItem.objects.create(meeting=meeting, order=1, title="Evaluasi pelaporan provinsi")
    sync_grants([meeting])
    services.do_save_minutes(user=seknas_user, meeting=meeting, notes="", entries={item.pk: ("", DECISION)})
    version = services.do_approve_minutes(user=seknas_user, meeting=meeting)
    document = documents.document_of(version)
    assert document is not None and document.province is None and document.actor == national
    data = documents.read(document)
    words = flat(pdf_text(data))
    assert national.name.upper() in words and DECISION in words
    assert "Selasa, 11 Maret 2025" in words and "13.00 – 15.00 WIB" in words
    assert document.code_words in words
    response = login(seknas_user).get(pdf_url(meeting, 1))
    assert response.status_code == 200 and body(response) == data
    assert login(outsider).get(pdf_url(meeting, 1)).status_code == 404


def test_the_catch_up_finds_nothing_left_to_issue(approved):
    assert documents.issue_missing()[0][Document.Kind.MINUTES] == 0
    assert Document.objects.count() == 1
