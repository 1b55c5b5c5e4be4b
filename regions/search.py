"""The unit picker's search: units of one province and one level whose name
holds what was typed (or whose code starts with it), names that start with it
first, then names with a word that starts with it, then the rest."""

import re
import unicodedata

from django.db.models import Case, IntegerField, Value, When

from .models import Region

LIMIT = 20
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_CODE = re.compile(r"^\d{2}(\.\d{0,4})*$")


def fold(text):
    """Lower case, accents and punctuation dropped, single spaces:
    "Kab.  Cilacap" -> "kab cilacap". The form Region.search_name keeps."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return _NOT_WORD.sub(" ", text.lower()).strip()


# What people type before a name, as the picker's labels print it: "Kab."
# stands for the "Kabupaten" the names hold; "Kec.", "Desa", "Kel." are in no
# name and are dropped.
_ABBREVIATED = {"kab": "kabupaten"}
_DROPPED = frozenset({"kec", "kecamatan", "desa", "kel", "kelurahan"})


def search_key(text):
    """fold(text), with a leading "kab" read as "kabupaten" and a leading
    kecamatan/desa/kelurahan word dropped: "Kab. Cilacap" finds "Kabupaten
    Cilacap", "Kec. Wanareja" finds "Wanareja"."""
    words = fold(text).split()
    if len(words) > 1 and words[0] in _ABBREVIATED:
        words[0] = _ABBREVIATED[words[0]]
    elif len(words) > 1 and words[0] in _DROPPED:
        words = words[1:]
    return " ".join(words)


def looks_like_code(text):
    return bool(_CODE.match(text.strip()))


def search(*, province_code, level, text, limit=LIMIT):
    """At most `limit` units in force, parent and grandparent loaded for
    their labels. One query."""
    units = Region.objects.in_force().filter(province_code=province_code, level=level)
    text = (text or "").strip()
    if looks_like_code(text):
        units = units.filter(code__startswith=text).order_by("code")
    else:
        key = search_key(text)
        if not key:
            return []
        units = (
            units.filter(search_name__contains=key)
            .annotate(
                rank=Case(
                    When(search_name__startswith=key, then=Value(0)),
                    When(search_name__contains=f" {key}", then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("rank", "search_name", "code")
        )
    return list(units.select_related("parent__parent")[:limit])


def prefix_lookup(*, province_code, level, text, limit=LIMIT):
    """The baseline `make bench` sets the search against: a plain indexed
    prefix lookup on the same index, no ranking, no labels."""
    return list(
        Region.objects.filter(province_code=province_code, level=level, search_name__startswith=fold(text))
        .order_by("search_name")
        .values_list("code", flat=True)[:limit]
    )
