"""quick_format_html gives exactly what django.utils.html.format_html gives."""

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from core.html import quick_format_html


class Html:
    def __repr__(self):  # a stable test id for pytest-xdist
        return "Html()"

    def __html__(self):
        return "<i>ok</i>"


VALUES = [
    "plain",
    "",
    "<script>alert('x')</script>",
    'a "quoted" & <b>bold</b>',
    "Sulawesi Selatan · 28 November 2026 — ✓",
    "{braces} and {0}",
    42,
    None,
    mark_safe("<b>safe</b>"),
    Html(),
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_same_output_as_format_html(value):
    template = '<td title="{}">{}</td>'
    got = quick_format_html(template, value, value)
    assert got == format_html(template, value, value)
    assert isinstance(got, SafeString)


def test_lazy_translations_are_escaped_in_the_active_language():
    label = gettext_lazy("Terlambat")
    with override("en"):
        assert quick_format_html("<span>{}</span>", label) == format_html("<span>{}</span>", label)
