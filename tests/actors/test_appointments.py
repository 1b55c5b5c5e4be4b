"""Appointment proposals through their services: the life of a proposal, the
decree that grants access for its term, heads replaced, acting officials,
hand-over, and bad input that saves nothing."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError

from actors.models import Membership, Position, User
from appointments import permissions, services
from appointments.models import AppointmentRule, Decree, Handover, Proposal
from core.models import AuditEvent, Notification
from core.permissions import CHANGE, VIEW, user_may
from duties.models import Duty, Task
from duties.services import do_create_task, do_update_task_status
from home.reconcile import run_schedule
from tests.actors.conftest import approve, draft, png, proposal_data, state, submitted, text_file, today
from tests.factories import actor, member

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


def can_see(user, proposal, perm=VIEW):
    user = User.objects.get(pk=user.pk)  # fresh group cache
    return user_may(user, proposal, perm)


def tk_task(on=None):
    run_schedule(on=on or today())
    return Task.objects.filter(actor=actor("tk-provinsi"), origin=Task.Origin.SCHEDULE).first()


# --- the life of a proposal --------------------------------------------------


def test_a_draft_is_seen_by_the_proposer_actor_only(pjoprov_member, gubernur_office):
    proposal = draft(pjoprov_member)
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.approver_actor == actor("gubernur")
    assert can_see(pjoprov_member, proposal, CHANGE)
    assert not can_see(gubernur_office, proposal)


def test_submitting_hands_the_proposal_to_the_governors_office_and_keeps_a_version(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    assert proposal.status == Proposal.Status.SUBMITTED
    assert can_see(gubernur_office, proposal, permissions.APPROVE)
    assert not can_see(pjoprov_member, proposal, CHANGE)
    assert can_see(pjoprov_member, proposal)
    version = proposal.versions.get()
    assert (version.number, version.data["person"]) == (1, "Siti Rahmawati")
    assert Notification.objects.filter(recipient=gubernur_office, key__startswith="proposal-submitted").exists()


def test_approval_records_the_decree_creates_the_account_and_the_membership_for_the_term(
    pjoprov_member, gubernur_office
):
    proposal = approve(submitted(pjoprov_member), gubernur_office)
    decree = Decree.objects.get(proposal=proposal)
    person = User.objects.get(email="siti@example.invalid")
    membership = Membership.objects.get(user=person)
    assert proposal.status == Proposal.Status.APPROVED
    assert (decree.number, decree.start_date, decree.end_date) == (
        "188/379/KPTS/013/2026",
        proposal.start_date,
        proposal.end_date,
    )
    assert (membership.actor, membership.decree, membership.start_date, membership.end_date) == (
        actor("tk-provinsi"),
        decree,
        proposal.start_date,
        proposal.end_date,
    )
    assert not person.has_usable_password()
    assert person.groups.filter(pk=actor("tk-provinsi").group_id).exists()
    activation = Notification.objects.get(recipient=person, key=f"account-activation:{person.pk}")
    assert "/akun/aktivasi/" in activation.url
    assert person.username in activation.body
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"proposal.approved", "decree.created", "membership.created", "user.created"} <= actions


def test_the_activation_token_in_the_link_is_valid_for_the_new_person(pjoprov_member, gubernur_office):
    approve(submitted(pjoprov_member), gubernur_office)
    person = User.objects.get(email="siti@example.invalid")
    token = Notification.objects.get(recipient=person).url.rstrip("/").rsplit("/", 1)[-1]
    assert default_token_generator.check_token(person, token)


def test_an_existing_account_is_appointed_without_a_new_account(pjoprov_member, gubernur_office, colleague):
    users_before = User.objects.count()
    proposal = approve(submitted(pjoprov_member, user=colleague, full_name="", email=""), gubernur_office)
    assert User.objects.count() == users_before
    assert proposal.membership.user == colleague
    assert Notification.objects.filter(recipient=colleague, key__startswith="appointed:").exists()


def test_returning_shows_the_reason_and_a_resubmission_is_a_new_version(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    services.do_return_proposal(user=gubernur_office, proposal=proposal, reason="Lampirkan CV.")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decision_reason, proposal.decided_by) == (
        Proposal.Status.RETURNED,
        "Lampirkan CV.",
        gubernur_office,
    )
    assert can_see(pjoprov_member, proposal, CHANGE)
    assert not can_see(gubernur_office, proposal, permissions.APPROVE)
    assert Notification.objects.filter(recipient=pjoprov_member, key__startswith="proposal.returned").exists()
    services.do_update_proposal(user=pjoprov_member, proposal=proposal, data={"reason": "Dengan CV terlampir."})
    services.do_submit_proposal(user=pjoprov_member, proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version) == (Proposal.Status.SUBMITTED, 2)
    assert [(v.number, v.data["reason"]) for v in proposal.versions.order_by("number")] == [
        (1, "Mengisi keanggotaan TK bidang perencanaan."),
        (2, "Dengan CV terlampir."),
    ]


def test_a_rejected_proposal_cannot_be_approved_afterwards(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    services.do_reject_proposal(user=gubernur_office, proposal=proposal, reason="Tidak memenuhi syarat.")
    with pytest.raises(ValidationError, match="sudah diputuskan"):
        approve(proposal, gubernur_office)
    assert Decree.objects.count() == 0


def test_return_and_reject_need_a_reason(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    before = state()
    for service in (services.do_return_proposal, services.do_reject_proposal):
        with pytest.raises(ValidationError, match="alasan"):
            service(user=gubernur_office, proposal=proposal, reason="   ")
    assert state() == before


def test_only_the_governors_office_of_the_same_province_can_decide(
    pjoprov_member, gubernur_office, gubernur_other, colleague, seknas_user
):
    proposal = submitted(pjoprov_member)
    before = state()
    for user in (pjoprov_member, gubernur_other, colleague, seknas_user):
        with pytest.raises(PermissionDenied):
            approve(proposal, user)
        with pytest.raises(PermissionDenied):
            services.do_return_proposal(user=user, proposal=proposal, reason="x")
    assert state() == before


def test_who_proposes_and_approves_is_data_an_admin_can_change(pjoprov_member, gubernur_office):
    member("tkpkd", "33", username="tkpkd-anggota")
    rule = AppointmentRule.objects.get(target_kind__code="tk-provinsi")
    rule.approver_kind = actor("tkpkd").kind
    rule.save()
    proposal = submitted(pjoprov_member)
    assert proposal.approver_actor == actor("tkpkd")
    assert not can_see(gubernur_office, proposal)
    assert can_see(User.objects.get(username="tkpkd-anggota"), proposal, permissions.APPROVE)


def test_kmw_staff_are_proposed_by_the_coordinator_and_registered_by_tk_without_a_decree(
    kmw_coordinator, tk_secretary, colleague
):
    proposal = submitted(
        kmw_coordinator,
        target="kmw",
        position=Position.objects.get(code="staf-pendukung"),
        email="staf@example.invalid",
    )
    assert (proposal.approver_actor, proposal.requires_decree) == (actor("tk-provinsi"), False)
    approve(proposal, tk_secretary)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.membership.decree is None
    assert Decree.objects.count() == 0
    with pytest.raises(PermissionDenied):  # a KMW specialist is not the coordinator
        draft(colleague, target="kmw", position=Position.objects.get(code="staf-pendukung"))


def test_nobody_outside_the_rule_can_propose(gubernur_office, outsider, seknas_user):
    for user in (gubernur_office, seknas_user):
        with pytest.raises(PermissionDenied):
            draft(user)
    with pytest.raises(PermissionDenied):  # PjOProv DIY cannot propose for Jawa Tengah
        draft(outsider)
    assert Proposal.objects.count() == 0


# --- term: the decree grants access for its term -----------------------------


def test_the_day_after_the_term_ends_the_person_no_longer_sees_the_actors_tasks(pjoprov_member, gubernur_office):
    end = today() + datetime.timedelta(days=40)
    proposal = approve(submitted(pjoprov_member, end_date=end), gubernur_office)
    person = proposal.membership.user
    task = tk_task()
    assert Task.objects.for_user(User.objects.get(pk=person.pk)).filter(pk=task.pk).exists()
    run_schedule(on=end)
    assert Task.objects.for_user(User.objects.get(pk=person.pk)).filter(pk=task.pk).exists()
    run_schedule(on=end + ONE_DAY)
    assert not Task.objects.for_user(User.objects.get(pk=person.pk)).filter(pk=task.pk).exists()


def test_a_future_appointment_opens_the_actors_tasks_on_its_start_date(pjoprov_member, gubernur_office):
    start = today() + datetime.timedelta(days=20)
    proposal = approve(submitted(pjoprov_member, start_date=start, end_date=None), gubernur_office)
    person = User.objects.get(pk=proposal.membership.user_id)
    task = tk_task()
    assert not Task.objects.for_user(person).filter(pk=task.pk).exists()

    def on(day):  # 10.00 in Jawa Tengah (WIB) on `day`: access is judged on the request's date
        return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=WIB), tick=False)

    with on(start - ONE_DAY):
        run_schedule(on=start - ONE_DAY)
        assert not Task.objects.for_user(User.objects.get(pk=person.pk)).filter(pk=task.pk).exists()
    with on(start):
        run_schedule(on=start)
        assert Task.objects.for_user(User.objects.get(pk=person.pk)).filter(pk=task.pk).exists()


# --- a new chair, hand-over ---------------------------------------------------


def test_a_new_chair_ends_the_old_chairs_term_the_day_before_and_takes_over_open_tasks(
    pjoprov_member, gubernur_office, tk_chair
):
    tk = actor("tk-provinsi")
    task = tk_task()
    do_create_task(
        user=tk_chair,
        actor=tk,
        duty=Duty.objects.filter(kind=tk.kind).first(),
        title="Tindak lanjut",
        assignee=tk_chair,
    )
    Task.objects.filter(pk=task.pk).update(assignee=tk_chair)
    start = today()
    proposal = approve(submitted(pjoprov_member, position=Position.objects.get(code="ketua")), gubernur_office)
    old = Membership.objects.get(user=tk_chair)
    assert old.end_date == start - ONE_DAY
    new = proposal.membership
    assert new.predecessor == old
    assert Task.objects.filter(actor=tk, assignee=new.user).count() == 2
    assert Task.objects.filter(assignee=tk_chair).count() == 0
    handover = Handover.objects.get(predecessor=old)
    assert (handover.successor, handover.tasks_moved) == (new, 2)
    assert AuditEvent.objects.filter(action="task.handed_over", target_id=str(task.pk)).exists()
    assert AuditEvent.objects.filter(action="membership.handed_over", target_id=str(old.pk)).exists()


def test_a_future_chair_takes_over_tasks_on_the_start_date_through_the_reconcile(
    pjoprov_member, gubernur_office, tk_chair
):
    task = tk_task()
    Task.objects.filter(pk=task.pk).update(assignee=tk_chair)
    start = today() + datetime.timedelta(days=10)
    proposal = approve(
        submitted(pjoprov_member, position=Position.objects.get(code="ketua"), start_date=start), gubernur_office
    )
    assert Membership.objects.get(user=tk_chair).end_date == start - ONE_DAY
    run_schedule(on=start - ONE_DAY)
    assert Task.objects.get(pk=task.pk).assignee == tk_chair
    result = run_schedule(on=start)
    assert result["handovers"] == 1
    assert Task.objects.get(pk=task.pk).assignee == proposal.membership.user
    assert run_schedule(on=start)["handovers"] == 0


def test_an_explicit_replacement_ends_that_membership_and_hands_over(pjoprov_member, gubernur_office):
    leaving = member("tk-provinsi", "33", position="anggota", username="anggota-lama")
    old = Membership.objects.get(user=leaving)
    task = tk_task()
    Task.objects.filter(pk=task.pk).update(assignee=leaving)
    proposal = approve(submitted(pjoprov_member, replaces=old), gubernur_office)
    old.refresh_from_db()
    assert old.end_date == today() - ONE_DAY
    assert Task.objects.get(pk=task.pk).assignee == proposal.membership.user


# --- acting officials ---------------------------------------------------------


def test_an_acting_chairs_actions_are_stamped_on_behalf_of_the_post(pjoprov_member, gubernur_office, tk_chair):
    acting = member("tk-provinsi", "33", position="anggota", username="anggota-plt")
    proposal = approve(
        submitted(
            pjoprov_member,
            user=acting,
            full_name="",
            email="",
            position=Position.objects.get(code="ketua"),
            mode="plt",
            acting_for=tk_chair,
            end_date=today() + datetime.timedelta(days=60),
        ),
        gubernur_office,
    )
    membership = proposal.membership
    assert (membership.mode, membership.acting_for, membership.position_label) == ("plt", tk_chair, "Plt. Ketua")
    assert Membership.objects.get(user=tk_chair).end_date is None  # an acting chair does not end the holder
    # The person also holds a definitive seat (anggota): the stamp is only for acting-only people.
    Membership.objects.filter(user=acting, mode="definitif").update(end_date=today() - ONE_DAY)
    run_schedule(on=today())
    acting = User.objects.get(pk=acting.pk)
    task = Task.objects.filter(actor=actor("tk-provinsi"), origin=Task.Origin.SCHEDULE).first()
    do_update_task_status(user=acting, task=task, status=Task.Status.IN_PROGRESS)
    event = AuditEvent.objects.filter(action="task.status_changed", target_id=str(task.pk)).get()
    assert event.on_behalf_of == "a.n. Ketua TK PNPM-MP Provinsi Jawa Tengah (Plt.)"


# --- bad input: clear errors, nothing saved -----------------------------------


def test_end_before_start_is_refused_and_nothing_is_saved(pjoprov_member):
    before = state()
    with pytest.raises(ValidationError) as excinfo:
        draft(pjoprov_member, end_date=today() - datetime.timedelta(days=1))
    assert "Tanggal selesai tidak boleh sebelum tanggal mulai" in str(excinfo.value)
    assert state() == before


def test_a_second_chair_without_an_end_overlapping_a_future_chair_is_refused(pjoprov_member, gubernur_office):
    future_start = today() + datetime.timedelta(days=200)
    member("tk-provinsi", "33", position="ketua", start=future_start, username="ketua-berikut")
    before = state()
    with pytest.raises(ValidationError) as excinfo:
        draft(pjoprov_member, position=Position.objects.get(code="ketua"), end_date=None)
    assert "tumpang tindih" in str(excinfo.value)
    assert state() == before
    # With an end before the next chair starts, it is fine.
    draft(pjoprov_member, position=Position.objects.get(code="ketua"), end_date=future_start - ONE_DAY)


def test_an_overlapping_chair_is_refused_again_at_approval(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member, position=Position.objects.get(code="ketua"), end_date=None)
    member("tk-provinsi", "33", position="ketua", start=today() + datetime.timedelta(days=30), username="k2")
    before = state()
    with pytest.raises(ValidationError, match="tumpang tindih"):
        approve(proposal, gubernur_office)
    assert state() == before


def test_a_decree_number_left_empty_is_refused_and_nothing_is_saved(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    before = state()
    with pytest.raises(ValidationError) as excinfo:
        approve(proposal, gubernur_office, number="   ")
    assert "Nomor SK wajib diisi" in str(excinfo.value)
    assert state() == before


def test_a_scan_that_is_not_a_pdf_or_image_is_refused_and_nothing_is_saved(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    before = state()
    with pytest.raises(ValidationError, match="Isi berkas tidak sesuai"):
        approve(proposal, gubernur_office, scan=text_file())
    assert state() == before
    approve(proposal, gubernur_office, scan=png())
    assert Decree.objects.get().scan_content_type == "image/png"


def test_an_email_already_used_by_an_account_is_refused_for_a_new_person(pjoprov_member, colleague):
    before = state()
    with pytest.raises(ValidationError, match="sudah punya akun"):
        draft(pjoprov_member, email=colleague.email.upper())
    assert state() == before


def test_a_position_of_another_kind_is_refused(pjoprov_member):
    with pytest.raises(ValidationError, match="tidak tersedia"):
        draft(pjoprov_member, position=Position.objects.get(code="koordinator"))
    assert Proposal.objects.count() == 0


def test_a_submitted_proposal_cannot_be_revised(pjoprov_member):
    proposal = submitted(pjoprov_member)
    with pytest.raises(PermissionDenied):
        services.do_update_proposal(user=pjoprov_member, proposal=proposal, data={"reason": "x"})
    proposal.refresh_from_db()
    assert proposal.reason == proposal_data()["reason"]


# --- audit trail --------------------------------------------------------------


def test_every_state_change_is_in_the_audit_trail_with_before_and_after(pjoprov_member, gubernur_office):
    proposal = submitted(pjoprov_member)
    services.do_return_proposal(user=gubernur_office, proposal=proposal, reason="Perbaiki.")
    services.do_submit_proposal(user=pjoprov_member, proposal=proposal)
    approve(proposal, gubernur_office)
    events = list(AuditEvent.objects.for_object(proposal).order_by("at", "id"))
    assert [e.action for e in events] == [
        "proposal.created",
        "proposal.submitted",
        "proposal.returned",
        "proposal.submitted",
        "proposal.approved",
    ]
    assert events[2].changes == {"before": {"status": "diajukan"}, "after": {"status": "dikembalikan"}}
    assert events[2].user == gubernur_office and events[2].summary == "Perbaiki."
