"""The API's story filters: the site's ArticleFilter, plus `status` for editors and documented slug types."""

import copy

import django_filters
from drf_spectacular.utils import extend_schema_field

from ..filters import ArticleFilter, SlugsFilter
from ..models import Status


class ApiArticleFilter(ArticleFilter):
    status = django_filters.ChoiceFilter(
        choices=Status.choices,
        empty_label=None,
        label="Stories with this status (default: published). Drafts are listed only to editors.",
    )
    entries_for_editors = True

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # An empty parameter (as a form sends for a field left blank) counts as absent.
            data = data.copy()
            for key in list(data):
                data.setlist(key, [value for value in data.getlist(key) if value.strip()])
            # Without ?status= the list is the public one, for editors too; drafts are asked for explicitly.
            if not data.get("status"):
                data["status"] = Status.PUBLISHED
            # Only the filters the request gives a value (each reads the parameter of its name): the others
            # change nothing, yet copying them, building their form fields and cleaning them cost more than
            # the rest of a list request's filtering.
            self.base_filters = {name: f for name, f in self.base_filters.items() if data.getlist(name)}
        super().__init__(data, *args, **kwargs)

    @classmethod
    def get_filters(cls):
        """Type the slug filters for the OpenAPI schema, on copies: the site's filters stay as they are."""
        filters = super().get_filters()
        for name, slug_filter in filters.items():
            if isinstance(slug_filter, SlugsFilter):
                documented = copy.deepcopy(slug_filter)
                vocabulary = slug_filter.queryset.model._meta.verbose_name.capitalize()
                schema = {
                    "type": "string",
                    "pattern": "^[-a-zA-Z0-9_]+$",
                    "description": f"{vocabulary} slug; repeat the parameter for stories tagged with all of them.",
                }
                filters[name] = extend_schema_field(schema)(documented)
        return filters
