"""Form widgets for the reader site."""

from django import forms
from django.utils.html import escape
from django.utils.safestring import mark_safe

CHECKED = " checked"


class FacetCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes for a vocabulary, each entry with the number of shown stories that mention it.

    Drawn in Python rather than through a template per option: the form offers three dozen entries, and
    rendering each with the form renderer cost as much as the twenty stories on the page. `facets` holds
    (slug, name, count) for each box.
    """

    def __init__(self, *args, facets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.facets = list(facets)

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        attrs = self.build_attrs(self.attrs, attrs)
        base = escape(attrs.get("id", f"id_{name}"))
        boxes = []
        for index, (slug, label, count) in enumerate(self.facets):
            checked = CHECKED if slug in chosen else ""
            boxes.append(
                f'<li><label for="{base}_{index}"><input type="checkbox" name="{escape(name)}" '
                f'value="{escape(slug)}" id="{base}_{index}"{checked}> <span class="facet__name">{escape(label)}'
                f'</span> <span class="facet__count">{count}<span class="visually-hidden"> '
                f"{'story' if count == 1 else 'stories'}</span></span></label></li>"
            )
        if not boxes:
            return mark_safe('<p class="facet__none">None in these stories.</p>')
        return mark_safe(f'<ul class="facet" id="{base}">{"".join(boxes)}</ul>')
