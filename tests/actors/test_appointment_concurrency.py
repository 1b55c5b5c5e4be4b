"""Two approvals of the same proposal at the same moment, on two database
connections: exactly one decree and one membership."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from actors.models import Decree, Membership, Proposal, User
from tests.actors.conftest import approve, submitted


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_approvals_give_one_decree_and_one_membership(pjoprov_member, gubernur_office):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises all writers, so there is no race to test")
    proposal = submitted(pjoprov_member)
    barrier = threading.Barrier(2, timeout=30)
    outcomes = []

    def approve_now():
        try:
            barrier.wait()
            approve(proposal, gubernur_office)
            outcomes.append("approved")
        except ValidationError as exc:
            outcomes.append("refused: " + " ".join(exc.messages))
        except Exception as exc:
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve_now) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(o.split(":")[0] for o in outcomes) == ["approved", "refused"], outcomes
    assert "sudah diputuskan" in next(o for o in outcomes if o.startswith("refused"))
    assert Decree.objects.filter(proposal=proposal).count() == 1
    person = User.objects.get(email="siti@example.invalid")
    assert Membership.objects.filter(user=person).count() == 1
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.APPROVED
