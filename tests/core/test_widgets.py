"""QuickSelect renders what django.forms.Select renders, option for option."""

import pytest
from django import forms
from django.test.html import parse_html

from core.widgets import QuickSelect

CASES = [
    ([("", "Semua"), ("a", "Satu"), ("b", "Dua")], None, {}),
    ([("", "Semua"), ("a", "Satu"), ("b", "Dua")], "b", {"id": "id_x", "aria-invalid": "true"}),
    ([(1, "Satu & <dua>"), (2, 'Tiga "empat"')], 2, {"required": True, "disabled": False}),
    ([("Grup A", [("a", "Satu"), ("b", "Dua")]), ("c", "Tiga")], "a", {"class": "wide"}),
    ([], None, {}),
]


@pytest.mark.parametrize(("choices", "value", "attrs"), CASES)
def test_quick_select_renders_the_same_html_as_select(choices, value, attrs):
    expected = forms.Select(choices=choices).render("x", value, attrs=dict(attrs))
    actual = QuickSelect(choices=choices).render("x", value, attrs=dict(attrs))
    assert parse_html(actual) == parse_html(expected)


def test_quick_select_escapes_labels_and_values():
    html = QuickSelect(choices=[('"><script>', "<b>x</b>")]).render("x<", None)
    assert "<script>" not in html and "<b>" not in html
    assert 'name="x&lt;"' in html


def test_a_form_field_with_quick_select_renders_its_bound_value():
    class F(forms.Form):
        pick = forms.ChoiceField(choices=[("", "—"), ("a", "A"), ("b", "B")], widget=QuickSelect, required=False)

    html = str(F({"pick": "b"})["pick"])
    assert parse_html(html) == parse_html(
        '<select name="pick" id="id_pick"><option value="">—</option><option value="a">A</option>'
        '<option value="b" selected>B</option></select>'
    )
