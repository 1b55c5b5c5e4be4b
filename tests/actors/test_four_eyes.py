"""Four eyes in the appointment services: nobody decides on a proposal that
concerns them, nobody proposes themselves (the walk through the URLs is
tests/security/test_four_eyes.py)."""

import pytest
from django.core.exceptions import ValidationError

from appointments import services
from appointments.forms import ProposalForm
from appointments.models import Proposal
from appointments.permissions import proposal_targets_for_user
from tests.actors.conftest import approve, draft, submitted
from tests.factories import actor, member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "decide",
    [
        lambda p, u: services.do_return_proposal(user=u, proposal=p, reason="Perbaiki."),
        lambda p, u: services.do_reject_proposal(user=u, proposal=p, reason="Tidak."),
        lambda p, u: approve(p, u),
    ],
    ids=["return", "reject", "approve"],
)
def test_the_person_proposed_does_not_decide(pjoprov_member, decide):
    named = member("gubernur", "33", username="gub-named")
    proposal = submitted(pjoprov_member, user=named, full_name="", nip="", email="")
    with pytest.raises(ValidationError) as excinfo:
        decide(proposal, named)
    assert "menyangkut diri Anda sendiri" in " ".join(excinfo.value.messages)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.decided_by_id is None
    assert not named.memberships.filter(actor=actor("tk-provinsi")).exists()


def test_the_official_acted_for_does_not_decide(pjoprov_member):
    official = member("gubernur", "33", username="gub-official")
    member("tk-provinsi", "33", user=official, position="ketua")
    proposal = submitted(pjoprov_member, mode="plt", acting_for=official)
    with pytest.raises(ValidationError):
        services.do_return_proposal(user=official, proposal=proposal, reason="Perbaiki.")


def test_nobody_proposes_themselves(pjoprov_member):
    with pytest.raises(ValidationError) as excinfo:
        draft(pjoprov_member, user=pjoprov_member, full_name="", nip="", email="")
    assert "user" in excinfo.value.message_dict
    assert not Proposal.objects.exists()


def test_a_draft_naming_its_submitter_is_not_submitted(pjoprov_member):
    colleague = member("pjoprov", "33", username="pjo-colleague")
    proposal = draft(pjoprov_member, user=colleague, full_name="", nip="", email="")
    with pytest.raises(ValidationError):
        services.do_submit_proposal(user=colleague, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_the_form_does_not_offer_the_proposers_own_account(pjoprov_member):
    other = member("kmw", "33", username="kmw-jateng")
    form = ProposalForm(targets=proposal_targets_for_user(pjoprov_member), user=pjoprov_member)
    people = form.fields["user"].queryset
    assert pjoprov_member not in people
    assert other in people
