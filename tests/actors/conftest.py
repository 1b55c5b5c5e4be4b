"""Builders for the appointment tests: proposals at each step, uploads that
really are PDFs and images, and the Governor's office of another province."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actors.models import Membership, Position, User
from appointments import services
from appointments.models import Decree, Proposal, ProposalVersion
from core.models import AuditEvent, Notification
from tests import personas
from tests.factories import actor, member

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40


def pdf(name="sk.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def png(name="sk.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def text_file(name="sk.pdf"):
    return SimpleUploadedFile(name, b"just some text, not a scan", content_type="application/pdf")


def today():
    return actor("tk-provinsi").province.today()


def proposal_data(**overrides):
    data = {
        "position": Position.objects.get(code="anggota"),
        "user": None,
        "full_name": "Siti Rahmawati",
        "nip": "198001012005012001",
        "email": "siti@example.invalid",
        "phone": "0812",
        "agency": "Bappeda Jawa Tengah",
        "mode": "definitif",
        "acting_for": None,
        "replaces": None,
        "start_date": today(),
        "end_date": today() + datetime.timedelta(days=365),
        "reason": "Mengisi keanggotaan TK bidang perencanaan.",
    }
    data.update(overrides)
    return data


def decree_data(**overrides):
    data = {
        "number": "188/379/KPTS/013/2026",
        "date": today(),
        "subject": "Pembentukan Tim Koordinasi PNPM-MP Provinsi Jawa Tengah",
        "signed_by": "Gubernur Jawa Tengah",
    }
    data.update(overrides)
    return data


def draft(by, target="tk-provinsi", province="33", files=(), **overrides):
    return services.do_create_proposal(
        user=by, actor=actor(target, province), data=proposal_data(**overrides), files=files
    )


def submitted(by, **overrides):
    return services.do_submit_proposal(user=by, proposal=draft(by, **overrides))


def approve(proposal, by, scan=None, start=None, end="same", **decree_overrides):
    proposal = Proposal.objects.get(pk=proposal.pk)
    return services.do_approve_proposal(
        user=by,
        proposal=proposal,
        start_date=start or proposal.start_date,
        end_date=proposal.end_date if end == "same" else end,
        decree=decree_data(**decree_overrides) if proposal.requires_decree else None,
        scan=(scan or pdf()) if proposal.requires_decree else None,
    )


@pytest.fixture
def gubernur_other(db):
    return personas.make("gubernur_other")


@pytest.fixture
def tk_secretary(db):
    return member("tk-provinsi", "33", position="sekretaris", username="tk-sekretaris")


@pytest.fixture
def kmw_coordinator(db):
    return member("kmw", "33", position="koordinator", username="kmw-koordinator")


@pytest.fixture
def tk_chair(db):
    """The chair of TK Jawa Tengah since 2020, without an end date."""
    return member("tk-provinsi", "33", position="ketua", start=datetime.date(2020, 1, 1), username="tk-ketua")


def state():
    """Everything an appointment step may write (a refusal leaves it as it was)."""
    return (
        Proposal.objects.count(),
        ProposalVersion.objects.count(),
        Decree.objects.count(),
        Membership.objects.count(),
        User.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
        list(Proposal.objects.order_by("pk").values_list("status", "version", "user_id")),
    )
