"""What the navigation's badges count (core.attention counts and keeps
them; settings.NAV_BADGES names BADGES)."""

from appointments.views import waiting_for_decision
from core.models import Notification
from duties.models import Task
from duties.permissions import OWN
from ledger.permissions import viewer_groups as ledger_viewer_groups
from reports.navigation import overdue_for_writer
from reports.permissions import assessment_viewer_groups, national_viewer_groups


class NavBadges:
    # What `queries` counts; a kept entry without exactly these (written by
    # an earlier version of the code, say) is counted again.
    names = frozenset({"tasks", "reports", "proposals", "notifications", "national", "assessment", "ledger"})

    def queries(self, user, today):
        """{badge name: queryset} behind the navigation's badges."""
        return {
            "tasks": Task.objects.for_user(user, reach=OWN).overdue(today),
            "reports": overdue_for_writer(user, today),
            "proposals": waiting_for_decision(user),
            "notifications": Notification.objects.filter(recipient_id=user.pk).unread(),
            # Not a badge: whether to show the "Nasional" entry (counted here to
            # save a query on every page; the national pages check for themselves).
            "national": national_viewer_groups(user),
            # Nor this: whether to show "Penilaian kinerja" (the TK, the
            # Governor's office, seknas); the page checks for itself.
            "assessment": assessment_viewer_groups(user),
            # Nor this: whether to show "Buku tugas" (any provincial actor's
            # member, seknas); the pages check for themselves (ledger.permissions).
            "ledger": ledger_viewer_groups(user),
        }


BADGES = NavBadges()
