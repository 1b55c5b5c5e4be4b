"""Form widgets.

QuickSelect renders exactly what django.forms.Select renders, but builds the
options in Python instead of rendering one template per option: a filter
with the 33 duties took 3.4 ms a page that way (most of the task list's
form). tests/core/test_widgets.py compares the two outputs.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe

from .html import quick_format_html


def _attrs(attrs):
    # Django's attrs.html: False is left out, True is a bare attribute.
    if not attrs:  # most options
        return ""
    return flatatt({name: value for name, value in attrs.items() if value is not False})


class QuickSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [quick_format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(quick_format_html('<optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    quick_format_html(
                        '<option value="{}"{}>{}</option>',
                        str(option["value"]),
                        _attrs(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("\n".join(parts))
