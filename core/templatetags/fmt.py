"""Indonesian dates and province-local times for templates.

{% load fmt %}
{{ day|tanggal }}                 17 Agustus 2009
{{ day|tanggal_lengkap }}         Senin, 17 Agustus 2009
{{ moment|waktu_lokal:province }} 17 Agustus 2009, 09.00 WITA
{{ moment|waktu_lokal }}          the same in Asia/Jakarta, labelled WIB

Month and day names follow the active language (English: "17 August 2009,
09:00 WITA"). A moment is always shown in a named zone: the province's own
(WIB/WITA/WIT), never the server's without a label.
"""

import datetime

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format

register = template.Library()

# The zone labels Indonesians use; the project's default zone is Asia/Jakarta.
ZONE_LABELS = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _local(value, province=None):
    """An aware moment in the province's zone (or the default zone); dates and
    naive values as they are."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value, province.tzinfo if province is not None else None)
    return value


@register.filter
def tanggal(value, province=None):
    if not value:
        return ""
    return date_format(_local(value, province), "j F Y")


@register.filter
def tanggal_lengkap(value, province=None):
    if not value:
        return ""
    return date_format(_local(value, province), "l, j F Y")


def time_separator():
    """Indonesian writes 14.05, English 14:05."""
    return ":" if (translation.get_language() or "id").startswith("en") else "."


@register.filter
def waktu_lokal(value, province=None):
    """A moment in the province's own zone, with WIB/WITA/WIT:
    "28 November 2026, 14.05 WIB"."""
    if not value:
        return ""
    if not isinstance(value, datetime.datetime):
        return tanggal(value)
    local = _local(value, province)
    if province is not None:
        label = province.zone_label
    else:
        label = ZONE_LABELS.get(str(timezone.get_current_timezone()), "WIB")
    return f"{date_format(local, 'j F Y')}, {local:%H}{time_separator()}{local:%M} {label}"


@register.filter
def persen(value):
    """A percentage with its unit ("75%"), or a dash when there is none:
    never a bare number, never "—%"."""
    return "—" if value is None or value == "" else f"{value}%"
