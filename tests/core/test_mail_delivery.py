"""Delivery of notification emails against real SMTP servers (issue 19).

- A server that accepts and never answers: the run gives up after
  EMAIL_TIMEOUT, and no row is locked while it waits (finding 3).
- A delivery process killed with SIGKILL mid-batch: the messages sent before
  the kill stay sent, and the one in flight is sent again at most once, with
  the same Message-ID (finding 4). We chose "at most once more" over "exactly
  once": the SMTP server may have taken the message before the process died,
  and nothing tells whether it did; not sending it again could lose it.
- A subject with CR LF goes out on one line (finding 7).
"""

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction
from django.db.models import F

from core.models import Notification
from core.notifications import CLAIM_LEASE, deliver_pending, notify
from tests.celery_fixtures import wait_until
from tests.factories import UserFactory
from tests.security import faults

REAL_DATABASE = pytest.mark.django_db(transaction=True, serialized_rollback=True)
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (set DATABASE_URL): row locks, and a second process on the same database",
)


def _smtp(settings, port, timeout=30):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = timeout
    settings.SITE_URL = "https://pnpm.example.go.id"


def _notifications(count):
    users = UserFactory.create_batch(count)
    for i, user in enumerate(users):
        notify([user], key=f"mail-test:{i}", subject=f"Pemberitahuan {i}", body="Isi.", url="/tugas/")
    return list(Notification.objects.order_by("created_at", "pk"))


class SilentServer:
    """Accepts TCP connections on 127.0.0.1 and never sends a byte."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _address = self.listener.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        # Hanging up frees a client that has no timeout (the code before the fix).
        self.listener.close()
        for conn in self.accepted:
            conn.close()
        self.thread.join(5)


@needs_postgres
@REAL_DATABASE
def test_a_silent_mail_server_times_out_and_no_row_stays_locked_meanwhile(settings):
    rows = _notifications(3)
    server = SilentServer()
    _smtp(settings, server.port, timeout=2)
    outcome = {}

    def run():
        started = time.monotonic()
        try:
            outcome["sent"] = deliver_pending()
        finally:
            outcome["seconds"] = time.monotonic() - started
            connection.close()

    worker = threading.Thread(target=run, daemon=True)
    try:
        worker.start()
        wait_until(lambda: server.accepted, timeout=10)
        # The run is waiting for the server's greeting. Another process (the
        # reconcile, a second worker) can take and lock every row now.
        with transaction.atomic():
            locked = list(Notification.objects.select_for_update(nowait=True).values_list("pk", flat=True))
        assert sorted(locked) == sorted(n.pk for n in rows)
        worker.join(15)
        assert not worker.is_alive(), "the delivery still waits for a server that never answers"
    finally:
        server.close()
        worker.join(10)
    assert outcome["sent"] == 0
    assert outcome["seconds"] < 10
    # It stopped at the unreachable server instead of waiting again for each
    # message; the attempt is counted and nothing is left claimed.
    rows = list(Notification.objects.order_by("created_at", "pk"))
    assert [n.email_attempts for n in rows] == [1, 0, 0]
    assert all(n.email_sent_at is None and not n.email_failed and n.email_claimed_at is None for n in rows)


class Sink:
    """aiosmtpd handler: records the Message-ID of each message it receives.
    The message after the first `hold_after` is recorded (the server has it),
    then its answer is held until `release` is set."""

    def __init__(self, hold_after):
        self.hold_after = hold_after
        self.received = []
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.received.append(email.message_from_bytes(envelope.content)["Message-ID"])
        while len(self.received) > self.hold_after and not self.release.is_set():
            await asyncio.sleep(0.05)
        return "250 Message accepted for delivery"


@pytest.fixture
def sink():
    from aiosmtpd.controller import Controller

    handler = Sink(hold_after=4)
    controller = Controller(handler, hostname="127.0.0.1", port=faults.free_port())
    controller.start()
    yield handler, controller.port
    handler.release.set()
    controller.stop()


CHILD = """
import os, django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", int(os.environ["SINK_PORT"])
settings.EMAIL_TIMEOUT, settings.SITE_URL = 30, "https://pnpm.example.go.id"
from core.notifications import deliver_pending
deliver_pending()
"""


@needs_postgres
@REAL_DATABASE
def test_a_delivery_killed_mid_batch_sends_only_the_message_in_flight_again_with_its_message_id(settings, sink):
    handler, port = sink
    rows = _notifications(12)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        cwd=faults.ROOT,
        env=faults.child_env(SINK_PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Four messages accepted; the fifth is at the server, its answer pending.
        faults.wait_for(lambda: len(handler.received) == 5 or child.poll() is not None, 60, "five messages")
        assert child.poll() is None, child.stderr.read().decode()[-3000:]
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        faults.stop(child)
        child.stderr.close()
        handler.release.set()

    # What the killed process had sent is stamped, one row by one.
    assert Notification.objects.filter(email_sent_at__isnull=False).count() == 4
    in_flight = Notification.objects.get(email_claimed_at__isnull=False)
    assert in_flight.email_sent_at is None and in_flight.pk == rows[4].pk

    _smtp(settings, port)
    # The next run sends the rest, and leaves the claimed row to its lease.
    assert deliver_pending() == 7
    assert Notification.objects.email_pending().get() == in_flight
    # Once the lease is over (moved back here instead of waiting 15 minutes),
    # the message in flight is sent again.
    Notification.objects.filter(pk=in_flight.pk).update(email_claimed_at=F("email_claimed_at") - CLAIM_LEASE)
    assert deliver_pending() == 1
    assert not Notification.objects.email_pending().exists()

    expected = [f"<notification-{n.pk}@pnpm.example.go.id>" for n in rows]
    assert sorted(set(handler.received)) == sorted(expected)
    assert len(handler.received) == len(rows) + 1
    repeated = [mid for mid in expected if handler.received.count(mid) > 1]
    assert repeated == [f"<notification-{in_flight.pk}@pnpm.example.go.id>"]


@pytest.mark.django_db
def test_a_subject_with_line_breaks_is_sent_on_one_line_with_a_message_id(settings):
    settings.SITE_URL = "https://pnpm.example.go.id"
    user = UserFactory()
    notify([user], key="meeting:crlf", subject="Rapat koordinasi\r\nBcc: orang@example.invalid\nJuli")
    mail.outbox.clear()

    assert deliver_pending() == 1

    [sent] = mail.outbox
    assert sent.subject == "[PNPM-MP] Rapat koordinasi Bcc: orang@example.invalid Juli"
    message = sent.message()  # what goes on the wire; raised BadHeaderError before
    assert message["Subject"] == sent.subject and message["Bcc"] is None
    notification = Notification.objects.get()
    assert message["Message-ID"] == f"<notification-{notification.pk}@pnpm.example.go.id>"
    assert notification.email_sent_at is not None and notification.email_claimed_at is None


@pytest.mark.django_db
def test_the_plain_text_mail_says_what_was_typed_not_html_entities():
    user = UserFactory()
    notify([user], key="meeting:amp", subject="Rapat TK & PjOProv", body='Agenda: "BLM" & <RKTL>')
    mail.outbox.clear()

    assert deliver_pending() == 1

    [sent] = mail.outbox
    assert sent.subject == "[PNPM-MP] Rapat TK & PjOProv"
    assert 'Agenda: "BLM" & <RKTL>' in sent.body
    html = sent.alternatives[0][0]
    assert "Rapat TK &amp; PjOProv" in html and "&lt;RKTL&gt;" in html  # the HTML part stays escaped


def test_the_mail_server_has_a_timeout_unless_the_environment_sets_another():
    from pnpm_prov.settings import base

    assert base.EMAIL_TIMEOUT == 20 or "EMAIL_TIMEOUT" in os.environ
    assert base.EMAIL_TIMEOUT > 0
