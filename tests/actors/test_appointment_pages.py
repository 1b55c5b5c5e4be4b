"""Every appointment URL against every persona (the access helper's 404/403
rule), the forms' Indonesian errors, the one-time password link, and the
query counts of the list pages."""

import datetime

import pytest
from django.db.models import F
from django.test import Client
from django.urls import reverse

from actors.models import Membership, Position, User
from appointments import services
from appointments.models import Decree, Proposal
from appointments.services import RESEND_ACTIVATION_MINUTES
from core.models import AuditEvent
from tests.actors.conftest import approve, decree_data, draft, pdf, submitted, text_file, today
from tests.factories import PASSWORD, actor, member

pytestmark = pytest.mark.django_db

PERSONAS = ("proposer", "gubernur", "gubernur_other", "colleague", "outsider", "seknas", "anonymous")


@pytest.fixture
def people(pjoprov_member, gubernur_office, gubernur_other, colleague, outsider, seknas_user):
    return {
        "proposer": pjoprov_member,
        "gubernur": gubernur_office,
        "gubernur_other": gubernur_other,
        "colleague": colleague,
        "outsider": outsider,
        "seknas": seknas_user,
        "anonymous": None,
    }


def client_for(user):
    c = Client()
    if user is not None:
        assert c.login(username=user.username, password=PASSWORD)
    return c


def db_state():
    return (
        list(Proposal.objects.values_list("pk", "status", "version", "reason")),
        Decree.objects.count(),
        Membership.objects.count(),
        AuditEvent.objects.count(),
    )


def approval_post(**overrides):
    data = {**decree_data(), "start_date": today(), "end_date": today() + datetime.timedelta(days=365), "scan": pdf()}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# What each persona gets on each URL of a SUBMITTED proposal (302 for the
# decisions means done; those rows run on a fresh proposal each).
MATRIX = {
    "proposal_detail": ("get", {"proposer": 200, "gubernur": 200}),
    "proposal_edit": ("get", {"proposer": 403, "gubernur": 403}),
    "proposal_submit": ("post", {"proposer": 403, "gubernur": 403}),
    "proposal_approve": ("post", {"proposer": 403, "gubernur": 302}),
    "proposal_return": ("post", {"proposer": 403, "gubernur": 302}),
    "proposal_reject": ("post", {"proposer": 403, "gubernur": 302}),
    "proposal_attachment": ("get", {"proposer": 200, "gubernur": 200}),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix_for_a_submitted_proposal(people, persona, name):
    proposal = submitted(people["proposer"], files=[("draf-sk", pdf("draf.pdf"))])
    method, expected = MATRIX[name]
    args = [proposal.pk]
    if name == "proposal_attachment":
        args.append(proposal.attachments.get().pk)
    url = reverse(f"appointments:{name}", args=args)
    data = {
        "proposal_approve": approval_post(),
        "proposal_return": {"return-reason": "Perbaiki."},
        "proposal_reject": {"reject-reason": "Tidak memenuhi syarat."},
    }.get(name, {})
    before = db_state()
    c = client_for(people[persona])
    response = c.get(url) if method == "get" else c.post(url, data)
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    else:
        # Everyone not named in the matrix cannot see the proposal at all.
        assert response.status_code == expected.get(persona, 404), (name, persona)
    if response.status_code != 302:
        assert db_state() == before


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_draft_is_hidden_from_everyone_but_the_proposer_actor(people, persona):
    proposal = draft(people["proposer"])
    response = client_for(people[persona]).get(reverse("appointments:proposal_detail", args=[proposal.pk]))
    expected = {"proposer": 200, "anonymous": 302}.get(persona, 404)
    assert response.status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_decree_summary_and_scan_follow_the_proposal_rule(people, persona):
    proposal = approve(submitted(people["proposer"]), people["gubernur"])
    expected = {"proposer": 200, "gubernur": 200, "anonymous": 302}.get(persona, 404)
    c = client_for(people[persona])
    page = c.get(reverse("appointments:decree_print", args=[proposal.pk]))
    scan = c.get(reverse("appointments:decree_scan", args=[proposal.pk]))
    assert (page.status_code, scan.status_code) == (expected, expected)
    if expected == 200:
        assert "188/379/KPTS/013/2026" in page.content.decode()
        assert scan["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("persona", PERSONAS)
def test_create_page_is_for_proposers_only(people, persona):
    response = client_for(people[persona]).get(reverse("appointments:proposal_create"))
    # PjOProv DI Yogyakarta proposes too, for its own province only.
    expected = {"proposer": 200, "outsider": 200, "anonymous": 302}.get(persona, 403)
    assert response.status_code == expected
    if expected == 200:
        choices = {a.pk for a in response.context["form"].fields["actor"].queryset}
        province = "33" if persona == "proposer" else "34"
        assert choices == {actor("tk-provinsi", province).pk, actor("pjoprov", province).pk}


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_show_only_what_the_detail_page_would(people, persona):
    proposal = submitted(people["proposer"])
    c = client_for(people[persona])
    listing = c.get(reverse("appointments:proposal_list"))
    inbox = c.get(reverse("appointments:proposal_inbox"))
    if persona == "anonymous":
        assert listing.status_code == inbox.status_code == 302
        return
    assert listing.status_code == inbox.status_code == 200
    link = reverse("appointments:proposal_detail", args=[proposal.pk])
    assert (link in listing.content.decode()) == (persona in ("proposer", "gubernur"))
    assert (link in inbox.content.decode()) == (persona == "gubernur")


def test_the_team_page_of_another_province_is_not_found(people):
    assert (
        client_for(people["outsider"]).get(reverse("appointments:team", args=[actor("tk-provinsi").pk])).status_code
        == 404
    )
    assert (
        client_for(people["proposer"]).get(reverse("appointments:team", args=[actor("tk-provinsi").pk])).status_code
        == 200
    )


# --- forms: Indonesian errors, nothing saved ---------------------------------


def form_post(**overrides):
    data = {
        "actor": actor("tk-provinsi").pk,
        "position": Position.objects.get(code="anggota").pk,
        "full_name": "Budi Santoso",
        "email": "budi@example.invalid",
        "mode": "definitif",
        "start_date": today().isoformat(),
        "end_date": (today() + datetime.timedelta(days=365)).isoformat(),
        "reason": "Pengganti anggota yang pindah tugas.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_the_proposer_creates_and_submits_through_the_pages(pjoprov_member, gubernur_office):
    c = client_for(pjoprov_member)
    response = c.post(reverse("appointments:proposal_create"), form_post(cv=pdf("cv.pdf")))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.attachments.get().kind == "cv"
    assert c.post(reverse("appointments:proposal_submit", args=[proposal.pk])).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_end_before_start_in_the_form_is_an_inline_indonesian_error(pjoprov_member):
    response = client_for(pjoprov_member).post(
        reverse("appointments:proposal_create"), form_post(end_date=(today() - datetime.timedelta(days=3)).isoformat())
    )
    assert response.status_code == 400
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_an_attachment_that_lies_about_its_type_is_refused(pjoprov_member):
    response = client_for(pjoprov_member).post(
        reverse("appointments:proposal_create"), form_post(cv=text_file("cv.pdf"))
    )
    assert response.status_code == 400
    assert "Isi berkas tidak sesuai" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_approving_without_a_decree_number_shows_the_error_and_saves_nothing(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    before = db_state()
    response = client_for(gubernur_office).post(
        reverse("appointments:proposal_approve", args=[proposal.pk]), approval_post(number="  ")
    )
    assert response.status_code == 400
    assert "Nomor SK wajib diisi" in response.content.decode()
    assert db_state() == before


def test_approving_with_a_scan_that_is_not_a_pdf_or_image_saves_nothing(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    before = db_state()
    response = client_for(gubernur_office).post(
        reverse("appointments:proposal_approve", args=[proposal.pk]),
        approval_post(scan=text_file("sk.docx")),
    )
    assert response.status_code == 400
    assert "tidak diterima" in response.content.decode()
    assert db_state() == before


def test_returning_without_a_reason_is_an_inline_error(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    response = client_for(gubernur_office).post(reverse("appointments:proposal_return", args=[proposal.pk]), {})
    assert response.status_code == 400
    assert "Tuliskan alasannya" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED


def test_the_proposer_sees_the_reason_of_a_return(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    services.do_return_proposal(user=gubernur_office, proposal=proposal, reason="Lengkapi NIP.")
    page = client_for(pjoprov_member).get(reverse("appointments:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Lengkapi NIP." in page
    assert reverse("appointments:proposal_edit", args=[proposal.pk]) in page


def test_an_acting_official_shows_plt_on_the_team_page(pjoprov_member, gubernur_office, tk_chair):
    approve(
        submitted(pjoprov_member, position=Position.objects.get(code="ketua"), mode="plt", acting_for=tk_chair),
        gubernur_office,
    )
    page = client_for(pjoprov_member).get(reverse("appointments:team", args=[actor("tk-provinsi").pk])).content.decode()
    assert "Plt." in page
    assert "SK 188/379/KPTS/013/2026" in page


# --- the one-time link for a new member ---------------------------------------


def test_a_new_member_sets_a_password_once_and_logs_in(pjoprov_member, gubernur_office):
    approve(submitted(pjoprov_member), gubernur_office)
    person = User.objects.get(email="siti@example.invalid")
    link = person.notifications.get(key=f"account-activation:{person.pk}").url
    c = Client()
    form_page = c.get(link, follow=True)
    assert form_page.status_code == 200
    assert person.username in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new_password = "Kata-sandi-baru-2026"
    done = c.post(set_url, {"new_password1": new_password, "new_password2": new_password})
    assert done.status_code == 302 and done.url == reverse("login")
    assert Client().login(username=person.username, password=new_password)
    again = Client().get(link, follow=True).content.decode()
    assert "tidak berlaku lagi" in again


# --- query counts ---------------------------------------------------------------


def _many(proposer, n, start_index):
    for i in range(n):
        n = start_index + i
        submitted(proposer, email=f"orang{n}@example.invalid", full_name=f"Orang {n}", nip=f"1980010120050120{n:02d}")


def test_list_and_inbox_queries_do_not_grow_with_rows(pjoprov_member, gubernur_office, django_assert_max_num_queries):
    c_proposer, c_gub = client_for(pjoprov_member), client_for(gubernur_office)
    _many(pjoprov_member, 3, 0)
    with django_assert_max_num_queries(20) as few:
        c_proposer.get(reverse("appointments:proposal_list"))
    with django_assert_max_num_queries(20) as few_inbox:
        c_gub.get(reverse("appointments:proposal_inbox"))
    _many(pjoprov_member, 9, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        c_proposer.get(reverse("appointments:proposal_list"))
    with django_assert_max_num_queries(len(few_inbox.captured_queries)):
        c_gub.get(reverse("appointments:proposal_inbox"))


def test_team_page_queries_do_not_grow_with_members(pjoprov_member, django_assert_max_num_queries):
    c = client_for(pjoprov_member)
    url = reverse("appointments:team", args=[actor("tk-provinsi").pk])
    member("tk-provinsi", "33", username="a1")
    with django_assert_max_num_queries(20) as few:
        c.get(url)
    for i in range(6):
        member("tk-provinsi", "33", username=f"b{i}", end=datetime.date(2001, 1, 1) if i % 2 else None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert c.get(url).status_code == 200


def test_the_admin_cannot_edit_a_decree_or_a_proposal(pjoprov_member, gubernur_office, admin_client):
    proposal = approve(submitted(pjoprov_member), gubernur_office)
    decree = Decree.objects.get(proposal=proposal)
    before = db_state()
    response = admin_client.post(
        reverse("admin:actors_decree_change", args=[decree.pk]), {"number": "X", "subject": "diubah"}
    )
    assert response.status_code == 403
    assert (
        admin_client.post(reverse("admin:actors_proposal_delete", args=[proposal.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert db_state() == before
    decree.refresh_from_db()
    assert decree.number == "188/379/KPTS/013/2026"


def links_sent_before(person, minutes):
    """Move the person's activation links `minutes` into the past."""
    person.notifications.update(created_at=F("created_at") - datetime.timedelta(minutes=minutes))


def test_a_fresh_link_can_be_sent_while_no_password_is_set(pjoprov_member, gubernur_office, outsider):
    proposal = approve(submitted(pjoprov_member), gubernur_office)
    person = User.objects.get(email="siti@example.invalid")
    links_sent_before(person, RESEND_ACTIVATION_MINUTES)
    url = reverse("appointments:resend_activation", args=[proposal.pk])
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(pjoprov_member).post(url).status_code == 302
    keys = sorted(person.notifications.values_list("key", flat=True))
    assert keys == [f"account-activation:{person.pk}", f"account-activation:{person.pk}:2"]
    person.set_password("Sudah-diatur-2026")
    person.save()
    response = client_for(gubernur_office).post(url, follow=True)
    assert "sudah membuat kata sandi" in response.content.decode()
    assert person.notifications.count() == 2


def test_a_link_is_resent_at_most_once_in_a_few_minutes(pjoprov_member, gubernur_office):
    # Twenty presses in a second sent twenty emails (issue 19): now the link
    # sent at approval holds the next one back for RESEND_ACTIVATION_MINUTES,
    # with a message saying why, and so does each link resent.
    proposal = approve(submitted(pjoprov_member), gubernur_office)
    person = User.objects.get(email="siti@example.invalid")
    url = reverse("appointments:resend_activation", args=[proposal.pk])
    proposer = client_for(pjoprov_member)
    minutes = RESEND_ACTIVATION_MINUTES
    response = proposer.post(url, follow=True)
    assert f"dikirim kurang dari {minutes} menit yang lalu" in response.content.decode()
    assert person.notifications.count() == 1
    assert not AuditEvent.objects.filter(action="user.activation_resent").exists()

    links_sent_before(person, minutes)
    for _press in range(20):
        assert proposer.post(url).status_code == 302
    assert person.notifications.count() == 2
    assert AuditEvent.objects.filter(action="user.activation_resent").count() == 1
    response = client_for(gubernur_office).post(url, follow=True)
    assert "menit yang lalu" in response.content.decode()
    assert person.notifications.count() == 2

    links_sent_before(person, minutes)
    assert proposer.post(url).status_code == 302
    assert sorted(person.notifications.values_list("key", flat=True)) == [
        f"account-activation:{person.pk}",
        f"account-activation:{person.pk}:2",
        f"account-activation:{person.pk}:3",
    ]


def test_the_inbox_is_offered_to_the_approving_office_even_when_nothing_waits(pjoprov_member, gubernur_office):
    inbox = reverse("appointments:proposal_inbox")
    page = client_for(gubernur_office).get(reverse("appointments:proposal_list")).content.decode()
    assert f'href="{inbox}"' in page
    assert 'class="badge"' not in page.split(f'href="{inbox}"', 1)[1].split("</a>", 1)[0]
    # Who approves nothing is not offered it.
    assert (
        f'href="{inbox}"' not in client_for(pjoprov_member).get(reverse("appointments:proposal_list")).content.decode()
    )


def test_the_proposal_lists_pages_keep_its_filter(pjoprov_member, monkeypatch):
    from appointments import views as appointment_views

    monkeypatch.setattr(appointment_views, "PAGE_SIZE", 2)
    _many(pjoprov_member, 3, 40)
    page = client_for(pjoprov_member).get(reverse("appointments:proposal_list"), {"status": Proposal.Status.SUBMITTED})
    assert 'href="?status=diajukan&amp;page=2"' in page.content.decode()
