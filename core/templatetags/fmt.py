"""Indonesian dates and province-local times for templates.

{% load fmt %}
{{ day|tanggal }}                 17 Agustus 2009
{{ day|tanggal_lengkap }}         Senin, 17 Agustus 2009
{{ moment|waktu_lokal:province }} 17 Agustus 2009 09.00 WITA
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


@register.filter
def tanggal(value):
    if not value:
        return ""
    return date_format(value, "j F Y")


@register.filter
def tanggal_lengkap(value):
    if not value:
        return ""
    return date_format(value, "l, j F Y")


@register.filter
def waktu_lokal(value, province=None):
    """A moment in the province's own zone, with WIB/WITA/WIT."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        if province is not None:
            local = timezone.localtime(value, province.tzinfo)
            label = province.zone_label
        else:
            local = timezone.localtime(value)
            label = "WIB"
        return f"{date_format(local, 'j F Y')} {local:%H.%M} {label}"
    return tanggal(value)
