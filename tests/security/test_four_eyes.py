"""Four eyes (issue 19, finding 2), walked through the URLs.

- Nobody approves, returns or rejects an appointment proposal that concerns
  them: the person proposed, or the head whose term it ends.
- Nobody proposes themselves.
- Someone in both the writer's and the reviewer's group does not acknowledge
  or return a report version they sent.

Each refusal is a 400 with the reason on the page (in Indonesian), the
decision controls are not offered, and no row of any table changes; another
member of the deciding actor still decides.
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from actors.models import Position
from appointments.forms import ProposalForm
from appointments.models import Proposal
from appointments.permissions import proposal_targets_for_user
from reports import services as report_services
from reports.models import Report, ReportReview
from reports.scheduler import create_report_slots
from tests.actors.conftest import decree_data, pdf, submitted
from tests.factories import member
from tests.reports.conftest import content, report_of
from tests.security.rowcounts import changed, row_counts
from tests.security.world import DAY, frozen_clock

pytestmark = pytest.mark.django_db

NAMES_ME = "Usulan ini menyangkut diri Anda sendiri"
SENT_IT = "Versi ini Anda kirim sendiri"


@pytest.fixture(autouse=True)
def _frozen():
    with frozen_clock():
        yield


def client_of(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def decision_posts(proposal):
    """(url name, data, files) of the three decisions, each valid as a form."""
    decree = decree_data()
    approve = {
        "number": decree["number"],
        "date": decree["date"].isoformat(),
        "subject": decree["subject"],
        "signed_by": decree["signed_by"],
        "start_date": proposal.start_date.isoformat(),
        "end_date": proposal.end_date.isoformat() if proposal.end_date else "",
    }
    return [
        ("appointments:proposal_approve", approve, True),
        ("appointments:proposal_return", {"return-reason": "Lengkapi riwayat hidup."}, False),
        ("appointments:proposal_reject", {"reject-reason": "Tidak memenuhi syarat."}, False),
    ]


def assert_refused_decisions(client, proposal):
    detail = client.get(reverse("appointments:proposal_detail", args=[proposal.pk]))
    assert detail.status_code == 200
    page = detail.content.decode()
    assert NAMES_ME in page
    for name in ("appointments:proposal_approve", "appointments:proposal_return", "appointments:proposal_reject"):
        assert reverse(name, args=[proposal.pk]) not in page, name
    for name, data, with_scan in decision_posts(proposal):
        if with_scan:
            data = {**data, "scan": pdf()}
        before = row_counts()
        response = client.post(reverse(name, args=[proposal.pk]), data)
        assert response.status_code == 400, (name, response.status_code)
        assert NAMES_ME in response.content.decode(), name
        assert changed(before, row_counts()) == {}, name
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.decided_by_id is None


def test_the_approver_named_in_the_proposal_cannot_decide_it_but_a_colleague_can():
    proposer = member("pjoprov", "33", username="pjo-jateng")
    named = member("gubernur", "33", username="gub-jateng", full_name="Ganjar Wibowo")
    other = member("gubernur", "33", username="gub-lain")
    proposal = submitted(proposer, user=named, full_name="", nip="", email="")

    assert_refused_decisions(client_of(named), proposal)

    # Another member of the Governor's office decides it as before.
    _name, data, _scan = decision_posts(proposal)[0]
    response = client_of(other).post(
        reverse("appointments:proposal_approve", args=[proposal.pk]), {**data, "scan": pdf()}
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.APPROVED
    assert proposal.membership.user == named


def test_the_head_whose_term_the_proposal_ends_cannot_decide_it():
    """The approver who chairs TK Provinsi does not decide on the new chair."""
    proposer = member("pjoprov", "33", username="pjo-jateng")
    chair = member("gubernur", "33", username="gub-jateng")
    member("tk-provinsi", "33", user=chair, position="ketua", start=datetime.date(2020, 1, 1))
    proposal = submitted(
        proposer,
        position=Position.objects.get(code="ketua"),
        start_date=DAY + datetime.timedelta(days=1),
        end_date=None,
    )
    assert_refused_decisions(client_of(chair), proposal)


def test_nobody_proposes_themselves():
    proposer = member("pjoprov", "33", username="pjo-jateng")
    other = member("kmw", "33", username="kmw-jateng")
    targets = proposal_targets_for_user(proposer)

    choices = ProposalForm(targets=targets, user=proposer).fields["user"].queryset
    assert proposer not in choices
    assert other in choices

    client = client_of(proposer)
    target = targets[0][0]
    before = row_counts()
    response = client.post(
        reverse("appointments:proposal_create"),
        {
            "actor": target.pk,
            "position": Position.objects.get(code="anggota").pk,
            "user": proposer.pk,
            "mode": "definitif",
            "start_date": DAY.isoformat(),
            "reason": "Mengisi keanggotaan.",
        },
    )
    assert response.status_code == 400
    assert changed(before, row_counts()) == {}


def test_a_writer_who_also_reviews_cannot_review_the_version_they_sent():
    writer = member("pjoprov", "33", username="pjo-jateng")
    member("tk-provinsi", "33", user=writer)  # also in the reviewing group
    reviewer = member("tk-provinsi", "33", username="tk-jateng")
    create_report_slots(on=DAY)
    report = report_of("pjoprov-bulanan", "33", "2026-09")
    report_services.do_save_draft(user=writer, report=report, **content(report))
    version = report_services.do_submit_report(user=writer, report=report)

    client = client_of(writer)
    page = client.get(reverse("reports:version_detail", args=[version.pk]))
    assert page.status_code == 200
    assert SENT_IT in page.content.decode()
    assert reverse("reports:report_review", args=[report.pk]) not in page.content.decode()
    sections = list(report.report_type.sections.values_list("code", flat=True))
    for data in (
        {"decision": ReportReview.Decision.ACKNOWLEDGE, "version": "1"},
        {"decision": ReportReview.Decision.RETURN, "version": "1", f"reason_{sections[0]}": "Lengkapi data."},
    ):
        before = row_counts()
        response = client.post(reverse("reports:report_review", args=[report.pk]), data)
        assert response.status_code == 400, response.status_code
        assert SENT_IT in response.content.decode()
        assert changed(before, row_counts()) == {}
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    response = client_of(reviewer).post(
        reverse("reports:report_review", args=[report.pk]),
        {"decision": ReportReview.Decision.ACKNOWLEDGE, "version": "1"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.ACKNOWLEDGED
