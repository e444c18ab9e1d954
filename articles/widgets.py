"""Form widgets for the reader site."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

SELECTED = " selected"


class QuickSelectMultiple(forms.SelectMultiple):
    """SelectMultiple's markup for flat choices, drawn in Python rather than through a template per option.

    The story list's filter form offers about a hundred entries; rendering each option with the form renderer
    cost as much as the twenty stories on the page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = "".join(
            f'<option value="{escape(choice)}"{SELECTED if str(choice) in chosen else ""}>{escape(label)}</option>'
            for choice, label in self.choices
        )
        attrs = self.build_attrs(self.attrs, attrs) | {"multiple": True}
        return mark_safe(f'<select name="{escape(name)}"{flatatt(attrs)}>{options}</select>')
