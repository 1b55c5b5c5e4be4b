"""One person, one account: a "new person" whose NIP or email belongs to an
account is refused at save, submit and approval with a link that proposes
that account instead; another open proposal for the same person is a warning
(a refusal at submission while it waits for a decision); the NIP is unique
in the database (migration 0005 refuses to add that over duplicates); an
account made by someone else between submission and approval refuses the
approval and leaves nothing of it behind."""

import importlib
import re
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.forms.models import model_to_dict
from django.urls import reverse

from actors.admin import AccountForm
from actors.models import Membership, User
from appointments import services
from appointments import services as appointment_services
from appointments.forms import PERSON_PARAM, person_token
from appointments.models import Decree, Proposal
from appointments.validation import PersonHasAccount
from core.permissions import sync_grants
from tests.actors.conftest import approve, draft, state, submitted
from tests.actors.test_appointment_pages import client_for, form_post
from tests.factories import UserFactory, member

pytestmark = pytest.mark.django_db

NIP = "198001012005012001"
migration = importlib.import_module("actors.migrations.0005_user_nip_unique")


def links_in(page):
    return [unescape(href) for href in re.findall(r'href="([^"]*\?orang=[^"]*)"', page)]


def selected_person(page):
    select = re.search(r'<select name="user".*?</select>', page, re.S).group(0)
    chosen = re.search(r'<option value="(\d+)"[^>]*selected', select)
    return int(chosen.group(1)) if chosen else None


# --- the scenario -----------------------------------------------------


def test_three_proposals_with_one_nip_make_one_account_and_the_second_is_stopped_with_a_link(
    pjoprov_member, gubernur_office
):
    first = approve(submitted(pjoprov_member, nip=NIP), gubernur_office)
    siti = first.membership.user
    assert siti.username == NIP  # a new person's username is their NIP
    c = client_for(pjoprov_member)
    before = state()
    for n, typed in ((2, NIP), (3, "19800101 200501 2 001")):
        response = c.post(
            reverse("appointments:proposal_create"),
            form_post(full_name=f"Siti Rahmawati {n}", nip=typed, email=f"siti{n}@example.invalid"),
        )
        page = response.content.decode()
        assert response.status_code == 400
        assert "Siti Rahmawati sudah punya akun (nama pengguna 198001012005012001) dengan NIP ini" in page
        assert "usulkan akun tersebut, bukan orang baru" in page
        [link] = links_in(page)
        assert link.startswith(reverse("appointments:proposal_create") + "?orang=")
        assert "Usulkan Siti Rahmawati (akun yang ada) sebagai gantinya" in page
    assert state() == before
    assert User.objects.filter(nip=NIP).count() == 1
    assert not User.objects.filter(username__startswith=f"{NIP}-").exists()


def test_an_email_of_an_account_in_any_case_is_refused_naming_the_account(pjoprov_member, colleague):
    before = state()
    with pytest.raises(PersonHasAccount) as refused:
        draft(pjoprov_member, nip="", email=f"  {colleague.email.upper()} ")
    assert refused.value.account == colleague
    assert f"(nama pengguna {colleague.username}) dengan email ini" in refused.value.message_dict["email"][0]
    assert state() == before


def test_an_account_whose_username_is_the_nip_counts_as_the_person(pjoprov_member):
    UserFactory(username=NIP, full_name="Siti R.", nip="")
    with pytest.raises(PersonHasAccount, match="Siti R. sudah punya akun"):
        draft(pjoprov_member, nip=NIP)


def test_an_inactive_account_is_named_without_a_link_and_the_admin_is_asked(pjoprov_member):
    UserFactory(full_name="Siti Lama", nip=NIP, is_active=False)
    response = client_for(pjoprov_member).post(reverse("appointments:proposal_create"), form_post(nip=NIP))
    page = response.content.decode()
    assert response.status_code == 400
    assert "akun itu tidak aktif" in page and "minta administrator mengaktifkannya kembali" in page
    assert links_in(page) == []


def test_a_draft_whose_person_got_an_account_is_refused_at_submission_and_its_page_links_to_the_fix(
    pjoprov_member,
):
    proposal = draft(pjoprov_member, nip=NIP)
    siti = UserFactory(full_name="Siti Rahmawati", nip=NIP)  # made in /admin/ meanwhile
    c = client_for(pjoprov_member)
    response = c.post(reverse("appointments:proposal_submit", args=[proposal.pk]))
    page = response.content.decode()
    assert response.status_code == 400
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.DRAFT
    assert f"(nama pengguna {siti.username}) dengan NIP ini" in page
    [link] = links_in(page)
    assert link.startswith(reverse("appointments:proposal_edit", args=[proposal.pk]) + "?orang=")
    # The link opens the draft with the account chosen; saving it makes the fix.
    assert selected_person(c.get(link).content.decode()) == siti.pk
    data = form_post(user=siti.pk, full_name="", email="", nip="")
    del data["actor"]
    assert c.post(link, data).status_code == 302
    proposal.refresh_from_db()
    assert (proposal.user, proposal.nip, proposal.email) == (siti, "", "")
    assert c.post(reverse("appointments:proposal_submit", args=[proposal.pk])).status_code == 302


# --- the link that proposes the existing person --------------------------------


def test_the_link_pre_selects_the_person_even_without_a_seat_in_the_province(pjoprov_member):
    siti = UserFactory(full_name="Siti Rahmawati", nip=NIP)  # no membership anywhere
    c = client_for(pjoprov_member)
    page = c.post(reverse("appointments:proposal_create"), form_post(nip=NIP)).content.decode()
    [link] = links_in(page)
    form_page = c.get(link).content.decode()
    assert selected_person(form_page) == siti.pk
    assert "sudah dipilih pada kolom Orang" in form_page
    # The form posts back to itself with the parameter (and keeps its own draft).
    assert f'action="?{link.split("?", 1)[1]}"' in unescape(form_page)
    response = c.post(link, form_post(user=siti.pk, full_name="", email=""))
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.user == siti and proposal.full_name == ""


def test_a_person_outside_the_province_cannot_be_chosen_without_the_signed_link(pjoprov_member):
    siti = UserFactory(full_name="Siti Rahmawati", nip=NIP)
    c = client_for(pjoprov_member)
    for bad in (str(siti.pk), "x" * 500, person_token(siti) + "tampered", ""):
        page = c.get(reverse("appointments:proposal_create"), {PERSON_PARAM: bad})
        assert page.status_code == 200
        assert selected_person(page.content.decode()) is None
    response = c.post(
        reverse("appointments:proposal_create") + f"?{PERSON_PARAM}={siti.pk}", form_post(user=siti.pk, full_name="")
    )
    assert response.status_code == 400
    assert Proposal.objects.count() == 0


def test_the_link_never_pre_selects_the_proposer_or_an_inactive_account(pjoprov_member):
    c = client_for(pjoprov_member)
    gone = UserFactory(is_active=False)
    for person in (pjoprov_member, gone):
        page = c.get(reverse("appointments:proposal_create"), {PERSON_PARAM: person_token(person)}).content.decode()
        assert selected_person(page) is None


# --- another open proposal for the same person -----------------------------------


def test_a_twin_draft_is_a_warning_at_save_and_on_both_pages(pjoprov_member):
    first = draft(pjoprov_member, nip=NIP)
    c = client_for(pjoprov_member)
    response = c.post(
        reverse("appointments:proposal_create"), form_post(nip=NIP, email="lain@example.invalid"), follow=True
    )
    page = response.content.decode()
    assert response.status_code == 200 and Proposal.objects.count() == 2
    assert "juga diusulkan dalam usulan lain yang belum diputuskan" in page
    assert f'href="{reverse("appointments:proposal_detail", args=[first.pk])}"' in page
    first_page = c.get(reverse("appointments:proposal_detail", args=[first.pk])).content.decode()
    second = Proposal.objects.exclude(pk=first.pk).get()
    assert f'href="{reverse("appointments:proposal_detail", args=[second.pk])}"' in first_page


def test_a_twin_waiting_for_a_decision_refuses_the_submission(pjoprov_member, tk_secretary):
    waiting = submitted(pjoprov_member, nip=NIP)
    other = draft(tk_secretary, nip="", email="SITI@example.invalid")
    before = state()
    with pytest.raises(ValidationError, match=f"usulan #{waiting.pk} yang sedang menunggu persetujuan"):
        services.do_submit_proposal(user=tk_secretary, proposal=other)
    assert state() == before


def test_a_rejected_twin_no_longer_counts(pjoprov_member, gubernur_office):
    services.do_reject_proposal(user=gubernur_office, proposal=submitted(pjoprov_member, nip=NIP), reason="Salah.")
    assert submitted(pjoprov_member, nip=NIP).status == Proposal.Status.SUBMITTED


def test_the_approver_is_warned_of_an_account_that_appeared_after_submission(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member, nip=NIP)
    UserFactory(full_name="Siti Rahmawati", nip=NIP)
    page = client_for(gubernur_office).get(reverse("appointments:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Siti Rahmawati sudah punya akun" in page
    assert "kembalikan agar pengusul memilih akun tersebut" in page
    assert links_in(page) == []


# --- the approval checks again -----------------------------------------------------


def test_an_account_made_between_submission_and_approval_refuses_the_approval_and_saves_nothing(
    pjoprov_member, gubernur_office
):
    proposal = submitted(pjoprov_member, nip=NIP)
    admin_made = UserFactory(full_name="Siti (admin)", nip=NIP, email="siti.r@example.invalid")
    before = state()
    with pytest.raises(ValidationError, match=r"Siti \(admin\) sudah punya akun .* tidak membuat akun kedua"):
        approve(proposal, gubernur_office)
    assert state() == before
    assert list(User.objects.filter(email="siti@example.invalid")) == []
    assert admin_made.memberships.count() == 0


def test_a_nip_taken_after_the_checks_is_refused_by_the_constraint_and_rolled_back(
    pjoprov_member, gubernur_office, monkeypatch
):
    """The other transaction's account is not visible to the checks (it
    commits after they ran): the insert meets user_nip_unique."""
    proposal = submitted(pjoprov_member, nip=NIP)
    UserFactory(full_name="Siti Rahmawati", nip=NIP, email="lain@example.invalid")
    real = appointment_services.existing_account
    calls = []

    def unseen_at_first(p):
        calls.append(p.pk)
        return None if len(calls) <= 2 else real(p)

    monkeypatch.setattr(appointment_services, "existing_account", unseen_at_first)
    monkeypatch.setattr("appointments.validation.existing_account", lambda p: None)
    before = state()
    with pytest.raises(ValidationError, match="tidak membuat akun kedua"):
        approve(proposal, gubernur_office)
    assert len(calls) == 3  # before the insert (twice), then after its IntegrityError
    assert state() == before
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SUBMITTED


def test_the_approval_page_shows_the_refusal_in_the_error_summary(pjoprov_member, gubernur_office):
    from tests.actors.test_appointment_pages import approval_post

    proposal = submitted(pjoprov_member, nip=NIP)
    UserFactory(full_name="Siti Rahmawati", nip=NIP)
    response = client_for(gubernur_office).post(
        reverse("appointments:proposal_approve", args=[proposal.pk]), approval_post()
    )
    page = response.content.decode()
    assert response.status_code == 400
    summary = re.search(r"data-error-summary>(.*?)</div>", page, re.S).group(1)
    assert "tidak membuat akun kedua" in summary


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("second_nip", [NIP, ""], ids=["same-nip-and-email", "same-email-only"])
def test_two_approvals_of_one_person_at_the_same_moment_make_one_account(pjoprov_member, gubernur_office, second_nip):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers, so there is no race to test")
    from tests.concurrency import race

    one = submitted(pjoprov_member, nip=NIP)
    # The same person proposed to another actor (its approval locks another
    # actor row), both waiting at once: two submissions that crossed.
    tkpkd_chair = member("tkpkd", "33", position="ketua", username="tkpkd-ketua")
    two = draft(tkpkd_chair, target="tkpkd", nip=second_nip, email="Siti@Example.invalid")
    Proposal.objects.filter(pk=two.pk).update(status=Proposal.Status.SUBMITTED)
    sync_grants([Proposal.objects.get(pk=two.pk)])
    queue = [one, two]
    approved, refused = race(lambda: approve(queue.pop(), gubernur_office))
    assert len(approved) == 1 and len(refused) == 1, (approved, refused)
    assert "tidak membuat akun kedua" in " ".join(refused[0].messages)
    [siti] = User.objects.filter(email__iexact="siti@example.invalid")
    assert Membership.objects.filter(user=siti).count() == 1
    assert Decree.objects.count() == 1


# --- NIP unique in the database -------------------------------------------------------


def test_the_database_refuses_a_second_account_with_a_nip_spaces_ignored():
    UserFactory(nip=NIP)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(nip=NIP)
    UserFactory(nip="19700101 2000")  # a stored NIP is 18 characters at most
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(nip="197001012000")
    UserFactory(nip="")
    UserFactory(nip="")  # no NIP is not a NIP


def _without_the_constraint():
    with connection.cursor() as cursor:  # rolled back with the test
        cursor.execute("DROP INDEX user_nip_unique")


def test_the_migration_check_lists_duplicates_and_stops():
    _without_the_constraint()
    UserFactory(username="siti", nip=NIP)
    UserFactory(username="siti-2", nip=NIP)
    UserFactory(username="siti-3", nip=NIP)
    UserFactory(username="budi", nip="197001012000011001")
    UserFactory(username="lama", nip="19700101 2000")
    UserFactory(username="lama-2", nip="197001012000")
    UserFactory(username="tanpa-nip", nip="")
    UserFactory(username="tanpa-nip-2", nip="")
    assert migration.duplicate_nips(User) == [("197001012000", ["lama", "lama-2"]), (NIP, ["siti", "siti-2", "siti-3"])]
    with pytest.raises(CommandError) as stopped:
        migration.check_no_duplicate_nips(django_apps(), None)
    message = str(stopped.value)
    assert f"NIP {NIP}: siti, siti-2, siti-3" in message and "NIP 197001012000: lama, lama-2" in message
    assert "/admin/" in message and "migrate" in message and "Tidak ada yang digabung otomatis" in message
    assert User.objects.count() == 8  # nothing merged, nothing changed
    assert User.objects.filter(nip=NIP).count() == 3


def test_the_migration_check_passes_without_duplicates():
    UserFactory(nip=NIP)
    UserFactory(nip="")
    UserFactory(nip="")
    assert migration.duplicate_nips(User) == []
    migration.check_no_duplicate_nips(django_apps(), None)


def django_apps():
    from django.apps import apps

    return apps


# --- the admin's user form -----------------------------------------------------------


def _admin_form(user, **changes):
    data = {k: v for k, v in model_to_dict(user).items() if v is not None and k not in ("groups", "user_permissions")}
    data.update(date_joined=user.date_joined.strftime("%Y-%m-%d %H:%M:%S"), **changes)
    return AccountForm(data=data, instance=user)


def test_the_admin_user_form_names_the_account_that_has_the_nip():
    UserFactory(username="siti", full_name="Siti Rahmawati", nip=NIP)
    other = UserFactory(username="budi")
    form = _admin_form(other, nip="19800101 200501 2 001")
    assert not form.is_valid()
    assert form.errors["nip"] == [
        "NIP ini sudah dipakai oleh akun siti (Siti Rahmawati). Satu orang hanya punya satu akun."
    ]
    form = _admin_form(other, nip="197001012000011001")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["nip"] == "197001012000011001"


def test_the_admin_user_form_names_the_account_that_has_the_email():
    UserFactory(username="siti", full_name="Siti Rahmawati", email="siti@example.invalid")
    other = UserFactory(username="budi")
    form = _admin_form(other, email="SITI@example.invalid")
    assert not form.is_valid()
    assert "akun siti (Siti Rahmawati)" in form.errors["email"][0]


# --- English ----------------------------------------------------------------------------


def test_the_refusal_reads_in_english_after_the_switch(pjoprov_member):
    from tests.core.test_friendly_failures import english

    UserFactory(username=NIP, full_name="Siti Rahmawati", nip=NIP)
    c = english(client_for(pjoprov_member))
    page = unescape(c.post(reverse("appointments:proposal_create"), form_post(nip=NIP)).content.decode())
    assert "Siti Rahmawati already has an account (username 198001012005012001) with this NIP." in page
    assert "Propose Siti Rahmawati (the existing account) instead" in page


def test_the_admin_change_page_shows_the_duplicate_nip_on_the_field(admin_client):
    UserFactory(username="siti", full_name="Siti Rahmawati", nip=NIP)
    other = UserFactory(username="budi", full_name="Budi")
    url = reverse("admin:actors_user_change", args=[other.pk])
    assert admin_client.get(url).status_code == 200
    data = {
        "username": "budi",
        "email": other.email,
        "is_active": "on",
        "date_joined_0": other.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": other.date_joined.strftime("%H:%M:%S"),
        "full_name": "Budi",
        "nip": "19800101 200501 2 001",
    }
    page = admin_client.post(url, data).content.decode()
    assert "NIP ini sudah dipakai oleh akun siti (Siti Rahmawati)" in page
    assert User.objects.get(pk=other.pk).nip == ""
    data["nip"] = "19700101 200001 1 001"
    assert admin_client.post(url, data).status_code == 302
    assert User.objects.get(pk=other.pk).nip == "197001012000011001"
