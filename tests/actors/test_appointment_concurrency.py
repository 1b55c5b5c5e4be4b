"""Two approvals of the same proposal at the same moment, on two database
connections: exactly one decree and one membership."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from actors.models import Membership, User
from appointments.models import Decree, Proposal
from tests.actors.conftest import approve, submitted
from tests.concurrency import race


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_approvals_give_one_decree_and_one_membership(pjoprov_member, gubernur_office):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers, so there is no race to test")
    proposal = submitted(pjoprov_member)
    approved, refused = race(lambda: approve(proposal, gubernur_office))
    assert len(approved) == 1 and len(refused) == 1, (approved, refused)
    assert isinstance(refused[0], ValidationError), refused
    assert "sudah diputuskan" in " ".join(refused[0].messages)
    assert Decree.objects.filter(proposal=proposal).count() == 1
    person = User.objects.get(email="siti@example.invalid")
    assert Membership.objects.filter(user=person).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.APPROVED
