"""What date and time it is in a province: the one place the app asks.

Every date the app decides (a deadline, a reminder, the start or end of a
term, an overdue flag, a form's default, the reconcile's period) is the
date in the province's own zone, never the server's: at 01.00 WIT in Papua
a server on UTC still says yesterday. Nothing here imports an app: a
"province" is anything with a `timezone` attribute holding a zone name.

- local_now(where) / local_today(where): the moment / date in a province, a
  zone name, or (None) the national zone, Jakarta, where seknas and TK Pusat
  sit and which settings.TIME_ZONE names.
- today_span(): the earliest and latest dates it is anywhere in Indonesia,
  for a query that must catch every province's "today" before each row is
  judged in its own zone.
- request_zone(request) / request_today(request): the zone and date of the
  person asking: their province's (kept in the session at login by
  security.sessions from User.home_zone), else Jakarta's.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

# The zones Indonesian provinces use (actors.Province.Zone offers these).
WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"
ZONES = (WIB, WITA, WIT)

# The session key under which actors keeps the zone of the person's province.
SESSION_ZONE_KEY = "pnpm_zone"


def zone_of(where=None):
    """A ZoneInfo for a province (or anything with `timezone`), a zone name or None (national)."""
    if where is None:
        return ZoneInfo(settings.TIME_ZONE)
    name = getattr(where, "timezone", where)
    return ZoneInfo(name or settings.TIME_ZONE)


def local_now(where=None):
    """The aware moment it is now, in the province's (or the national) zone."""
    return timezone.localtime(timezone.now(), zone_of(where))


def local_today(where=None, on=None):
    """`on` when given (back-fills, a reconcile run for a date), else the
    calendar date it is now in the province (or in Jakarta for None)."""
    if on is not None:
        return on
    return local_now(where).date()


def today_span():
    """(earliest, latest): the dates it is now across Indonesia's zones. Use it
    to select candidates, then judge each row with its province's local_today."""
    days = [local_today(zone) for zone in ZONES]
    return min(days), max(days)


def request_zone(request):
    """The zone of the person making the request: their province's, kept in
    the session at login, or None (Jakarta) when the session has none."""
    session = getattr(request, "session", None)
    zone = session.get(SESSION_ZONE_KEY) if session is not None else None
    return zone if zone in ZONES else None


def request_today(request):
    """The date it is now for the person making the request (request_zone)."""
    return local_today(request_zone(request))
