"""The one FilterSet behind the public story list and the API list."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F
from django_filters.constants import EMPTY_VALUES
from django_filters.fields import ModelMultipleChoiceField
from drf_spectacular.utils import extend_schema_field

from . import caching, pairs
from .models import VOCABULARIES, Agreement, AgreementKind, Article, Country, EventKind, Official


class EntriesField(ModelMultipleChoiceField):
    """Entries by slug, looked up once until the next write rather than on every request.

    With `public_only` (readers), an entry that is not public is refused exactly as a slug that does not exist,
    so that the filter does not tell readers it is there.
    """

    public_only = True

    def clean(self, value):
        if not value or not isinstance(value, list | tuple):
            return super().clean(value)  # nothing chosen, or not a list: Django's answer
        slugs = sorted({str(slug) for slug in value})
        entries = caching.remember(
            "entries by slug",
            lambda: list(super(EntriesField, self).clean(value)),
            self.queryset.model._meta.label,
            slugs,
        )
        hidden = [entry.slug for entry in entries if self.public_only and not entry.is_public]
        if hidden:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": hidden[0]}
            )
        return entries


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """Entries by slug; a repeated parameter means the story must have all of them."""

    field_class = EntriesField

    def __init__(self, *, model, label: str):
        super().__init__(
            field_name=f"{model.article_field}__slug",
            to_field_name="slug",
            queryset=model.objects.all(),
            conjoined=True,
            # No join (below), so each story comes once: no DISTINCT over the list's rows.
            distinct=False,
            label=label,
        )

    def filter(self, qs, value):
        return qs.tagged_with(*(value or ()))


class PairField(forms.CharField):
    """Two public countries by a pair address (india-morocco, either order); the pair (a pairs.Pair)."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        found = pairs.find(value)
        if found is None:
            raise ValidationError(
                f"“{value}” is not a pair of countries, e.g. india-morocco.", code="invalid_pair"
            )
        return pairs.Pair(found[0], found[1])


@extend_schema_field(
    {
        "type": "string",
        "pattern": "^[-a-z0-9]+$",
        "description": "Two country slugs, e.g. india-morocco (either order).",
    }
)
class PairFilter(django_filters.Filter):
    """Stories on both countries of a pair, or (on agreements) those both are parties to."""

    field_class = PairField

    def filter(self, qs, value):
        if value is None:
            return qs
        if qs.model is Agreement:
            return qs.between(value.first, value.second)
        return qs.tagged_with(value.first, value.second)


def date_bound(field_name: str, lookup_expr: str, label: str) -> django_filters.DateFilter:
    """A date on or after (gte) or on or before (lte), picked with the browser's date input."""
    return django_filters.DateFilter(
        field_name=field_name, lookup_expr=lookup_expr, label=label, widget=forms.DateInput(attrs={"type": "date"})
    )


class ArticleFilter(django_filters.FilterSet):
    country = SlugsFilter(model=Country, label="Country")
    official = SlugsFilter(model=Official, label="Official")
    agreement = SlugsFilter(model=Agreement, label="Agreement")
    pair = PairFilter(label="Pair of countries", max_length=200, help_text="Two countries, e.g. india-morocco.")
    published_after = date_bound("published_on", "gte", "Published on or after")
    published_before = date_bound("published_on", "lte", "Published on or before")
    q = django_filters.CharFilter(method="filter_search", label="Search", max_length=200)
    ordering = django_filters.OrderingFilter(
        fields=(("published_on", "published_on"), ("headline", "headline")),
        field_labels={"published_on": "Date", "headline": "Headline"},
        label="Order by",
        empty_label="Best match, then newest",
    )

    class Meta:
        model = Article
        fields = ["country", "official", "agreement", "pair", "published_after", "published_before", "q"]

    # Readers filter by public entries only; the API lets editors who see drafts use any entry.
    entries_for_editors = False

    @property
    def form(self):
        form = super().form
        sees_all = (
            self.entries_for_editors
            and self.request is not None
            and self.request.user.has_perm("articles.view_article")
        )
        for vocabulary in VOCABULARIES:
            if vocabulary.parameter in form.fields:
                form.fields[vocabulary.parameter].public_only = not sees_all
        return form

    def filter_search(self, queryset, name, value):
        return queryset.search(value) if value.strip() else queryset


class YearFilter(django_filters.NumberFilter):
    def filter(self, qs, value):
        return qs if value is None else qs.filter(signed_on__year=int(value))


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Orders with empty values last either way (SQLite puts them first going up, PostgreSQL last)."""

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        descending = value.startswith("-")
        expression = F(value.lstrip("-"))
        return expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), "name", "pk")


class AgreementFilter(django_filters.FilterSet):
    """The one FilterSet behind the agreement ledger (/agreements/) and the API's agreement list.

    Its queryset carries each agreement's status (AgreementQuerySet.with_status), which `status` filters.
    """

    country = django_filters.ModelChoiceFilter(
        field_name="parties",
        to_field_name="slug",
        queryset=Country.objects.filter(agreements__isnull=False).distinct().order_by("name"),
        label="Party",
        empty_label="Any country",
    )
    pair = PairFilter(label="Pair of countries", max_length=200, help_text="Two countries, e.g. india-morocco.")
    kind = django_filters.ChoiceFilter(choices=AgreementKind.choices, label="Kind", empty_label="Any kind")
    status = django_filters.ChoiceFilter(
        choices=EventKind.choices, label="Status (latest event)", empty_label="Any status"
    )
    year = YearFilter(label="Signed in (year)", min_value=1900, max_value=2100)
    signed_after = date_bound("signed_on", "gte", "Signed on or after")
    signed_before = date_bound("signed_on", "lte", "Signed on or before")
    ordering = NullsLastOrderingFilter(
        fields=(
            ("name", "name"),
            ("kind", "kind"),
            ("signed_on", "signed_on"),
            ("status", "status"),
            ("story_count", "stories"),
        ),
        field_labels={
            "name": "Name",
            "kind": "Kind",
            "signed_on": "Signing date",
            "status": "Status",
            "story_count": "Stories",
        },
        label="Order by",
        empty_label="Newest signing first",
    )

    class Meta:
        model = Agreement
        fields = ["country", "pair", "kind", "status", "year", "signed_after", "signed_before"]
