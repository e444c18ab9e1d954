"""Public pages. Every query starts from Article.objects.published()."""

import csv

from django.db.models import Prefetch
from django.forms.renderers import Jinja2
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from . import caching, facets, pairs
from .caching import ArchivePaginator, cache_page
from .filters import AgreementFilter, ArticleFilter
from .models import VOCABULARIES, Agreement, AgreementEvent, Article, Country, Entry, Official
from .widgets import FacetCheckboxes

# The list's filter form is drawn on every request; Django's Jinja2 form renderer draws it several times faster
# than the template language (same markup; the admin keeps the default renderer).
FORM_RENDERER = Jinja2()
# A country page lists at most this many of its officials and of its agreements.
KNOWN_ROWS = 12
# An entry page counts what its latest this many stories mention with it (see mentioned_with).
MENTIONED_WINDOW = 1000
# A country page lists at most this many of its pairs, most covered first.
PAIR_ROWS = 30
# A pair page lists at most this many of its agreements, newest signing first; the ledger has the rest.
PAIR_AGREEMENTS = 20


def most_covered(model: type[Entry], limit: int) -> list[tuple[Entry, int]]:
    """(entry, its published stories) for the `limit` most covered entries of `model`, kept until a write."""
    return caching.remember(
        "most covered",
        lambda: [(entry, entry.story_count) for entry in model.objects.covered()[:limit]],
        model._meta.label,
        limit,
    )


def mentioned_with(model: type[Entry], entry: Entry, limit: int) -> list[tuple[Entry, int]]:
    """(other, stories) for the `limit` entries of `model` most often on `entry`'s latest MENTIONED_WINDOW stories.

    The window bounds the work: over every story of the home country, the counts took seconds at 100,000 stories,
    and the first request after each write paid them. The window's ids are kept until a write too.
    """

    def compute():
        latest = caching.remember(
            "latest stories",
            lambda: Article.objects.published().tagged_with(entry).newest_ids(MENTIONED_WINDOW),
            entry._meta.label,
            entry.pk,
            MENTIONED_WINDOW,
        )
        others = model.objects.mentioned_on(latest)
        if type(entry) is model:
            others = others.exclude(pk=entry.pk)
        return [(other, other.shared) for other in others[:limit]]

    return caching.remember("mentioned with", compute, model._meta.label, limit, entry._meta.label, entry.pk)


def find_entry(model: type[Entry], slug: str) -> tuple[Entry, bool]:
    """Entry.public_by_slug, kept until a write; an official with their country."""

    def compute():
        entry, moved = model.public_by_slug(slug)
        if isinstance(entry, Official):
            entry.country  # noqa: B018 - loaded now, so that the kept copy has it
        return entry, moved

    return caching.remember("entry", compute, model._meta.label, slug)


@cache_page
def home(request):
    """The latest stories and the most-covered entries of each vocabulary."""
    return render(
        request,
        "articles/home.html",
        {
            "latest": Article.objects.published().for_lists()[:10],
            "most_covered": [
                (vocabulary.entry._meta.verbose_name_plural, most_covered(vocabulary.entry, 8))
                for vocabulary in VOCABULARIES
            ],
        },
    )


@method_decorator(cache_page, name="dispatch")
class ArticleListView(FilterView):
    """The story list behind the same FilterSet as the API; invalid filters show their errors and no stories."""

    filterset_class = ArticleFilter
    paginate_by = 20
    paginator_class = ArchivePaginator

    def get_queryset(self):
        return Article.objects.published().for_lists()

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.form.label_suffix = ""
        filterset.form.renderer = FORM_RENDERER
        filterset.form.order_fields(["q"])
        for vocabulary in VOCABULARIES:
            filterset.form.fields[vocabulary.parameter].widget = FacetCheckboxes()
        return filterset

    def narrowing(self) -> dict:
        """The filters the request chose (not the order), when they are valid."""
        chosen = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        return {name: value for name, value in chosen.items() if value and name != "ordering"}

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        narrowing = self.narrowing()
        entries = [entry for vocabulary in VOCABULARIES for entry in narrowing.get(vocabulary.parameter, ())]
        if len(entries) == 1 and len(narrowing) == 1:
            # Filtered by one entry alone: the database keeps the number (articles/counting.py).
            paginator.count = entries[0].story_count
        elif list(narrowing) == ["pair"]:
            paginator.count = pairs.story_count(narrowing["pair"].first, narrowing["pair"].second)
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        narrowing = self.narrowing()
        filtered = self.filterset.is_valid() and bool(narrowing)
        total = context["paginator"].count if context.get("paginator") else 0
        # Each vocabulary's boxes count the stories shown: they narrow as the filters do.
        parameters = [vocabulary.parameter for vocabulary in VOCABULARIES]
        for vocabulary in VOCABULARIES:
            name = vocabulary.parameter
            offered = facets.facets(
                vocabulary.entry, self.object_list if filtered else None, narrowing.get(name, []), total
            )
            self.filterset.form.fields[name].widget.facets = [(f.slug, f.name, f.count) for f in offered]
        context["heading"] = facets.describe(narrowing)
        context["filters_chosen"] = sum(len(narrowing[name]) if name in parameters else 1 for name in narrowing)
        return context


@method_decorator(cache_page, name="dispatch")
class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.published().with_vocabularies()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            related=Article.objects.published().related_to(self.object).for_lists()[:5],
            pairs=pairs.story_pairs(self.object),
            **kwargs,
        )


@method_decorator(cache_page, name="dispatch")
class EntryListView(ListView):
    """The entries of one vocabulary that have published stories, by name."""

    model = None
    paginate_by = 100
    paginator_class = ArchivePaginator
    template_name = "articles/entry_list.html"

    def get_queryset(self):
        entries = self.model.objects.covered().order_by("name")
        return entries.select_related("country") if self.model is Official else entries

    def get_context_data(self, **kwargs):
        return super().get_context_data(vocabulary=self.model._meta, **kwargs)


@method_decorator(cache_page, name="dispatch")
class EntryDetailView(ListView):
    """One entry: what it is, its published stories, what they mention with it, and a timeline."""

    model = None
    paginate_by = 20
    paginator_class = ArchivePaginator
    template_name = "articles/entry_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            self.entry, moved = find_entry(self.model, kwargs["slug"])
        except self.model.DoesNotExist:
            raise Http404(f"No {self.model._meta.verbose_name} {kwargs['slug']!r}") from None
        if moved:
            query = request.META.get("QUERY_STRING")
            return redirect(self.entry.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().tagged_with(self.entry).for_lists()

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # Kept by the database (articles/counting.py); counting the home country's stories took half a second.
        paginator.count = self.entry.story_count
        return paginator

    def get_context_data(self, **kwargs):
        entry = self.entry
        mentioned = [
            (vocabulary.entry._meta.verbose_name_plural, mentioned_with(vocabulary.entry, entry, 8))
            for vocabulary in VOCABULARIES
        ]
        return super().get_context_data(
            entry=self.entry,
            vocabulary=self.model._meta,
            kind=self.model._meta.model_name,
            feed_url=self.entry.get_feed_url(),
            list_parameter=self.model.vocabulary().parameter,
            mentioned_with=mentioned,
            mentioned_window=MENTIONED_WINDOW if entry.story_count > MENTIONED_WINDOW else None,
            months=caching.remember(
                "months",
                lambda: Article.objects.published().tagged_with(entry).per_month(),
                entry._meta.label,
                entry.pk,
            ),
            parties=caching.remember("parties", self.parties, entry._meta.label, entry.pk),
            life=caching.remember("life", self.life, entry._meta.label, entry.pk),
            known=caching.remember("known", self.known, entry._meta.label, entry.pk),
            pairs=pairs.pairs(entry)[:PAIR_ROWS] if self.model is Country else [],
            **kwargs,
        )

    def known(self) -> dict[str, list[Entry]]:
        """What the desk knows of a country besides its stories: its officials and the agreements it signed."""
        if self.model is not Country:
            return {}
        officials = Official.objects.covered().filter(country=self.entry)[:KNOWN_ROWS]
        agreements = Agreement.objects.covered().filter(parties=self.entry).newest_signing_first()
        return {"officials": list(officials), "agreements": list(agreements[:KNOWN_ROWS])}

    def life(self) -> dict:
        """An agreement's signatories and the events readers see, with their published sources, oldest first."""
        if self.model is not Agreement:
            return {}
        events = (
            AgreementEvent.objects.public()
            .filter(agreement=self.entry)
            .select_related("party")
            .prefetch_related(Prefetch("sources", queryset=Article.objects.published().only("headline", "slug")))
            .order_by("date", "pk")
        )
        status = Agreement.objects.with_status().get(pk=self.entry.pk)
        return {
            "signatories": list(self.entry.signatories.public().select_related("country")),
            "events": list(events),
            "status": status.status_label,
        }

    def parties(self) -> list[tuple[str, Country | None]]:
        """An agreement's parties, each with its country page when the name is a country's."""
        if self.model is not Agreement:
            return []
        countries = [(country.name, country) for country in self.entry.parties.public()]
        others = [(name, None) for name in self.entry.other_party_names]
        return countries + others


# The ledger's columns, as (ordering parameter, heading).
LEDGER_COLUMNS = [
    ("name", "Agreement"),
    ("kind", "Kind"),
    (None, "Parties"),
    ("signed_on", "Signed"),
    ("status", "Status"),
    ("stories", "Stories"),
]
CSV_HEADER = ["name", "url", "kind", "parties", "signed_on", "status", "status_on", "stories"]


@method_decorator(cache_page, name="dispatch")
class AgreementListView(FilterView):
    """The agreement ledger: every agreement readers may see, filtered, sorted and paged, or as CSV."""

    filterset_class = AgreementFilter
    paginate_by = 25
    # The number of rows from the cache until a write, as on the story list.
    paginator_class = ArchivePaginator
    template_name = "articles/agreement_ledger.html"

    def get_queryset(self):
        """The agreements readers may see, with their status and parties, newest signing first."""
        return Agreement.objects.public().with_status().prefetch_related("parties").newest_signing_first()

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.form.label_suffix = ""
        filterset.form.renderer = FORM_RENDERER
        return filterset

    def render_to_response(self, context, **kwargs):
        if self.kwargs.get("csv"):
            # FilterView left no rows for invalid filters, every row for none.
            return self.csv(self.object_list)
        return super().render_to_response(context, **kwargs)

    def get_paginate_by(self, queryset):
        return None if self.kwargs.get("csv") else self.paginate_by

    def csv(self, agreements) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="agreements.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_HEADER)
        for agreement in agreements:
            writer.writerow(
                [
                    agreement.name,
                    self.request.build_absolute_uri(agreement.get_absolute_url()),
                    agreement.kind,
                    "; ".join(agreement.party_list),
                    agreement.signed_on.isoformat() if agreement.signed_on else "",
                    agreement.status or "",
                    agreement.status_on.isoformat() if agreement.status_on else "",
                    agreement.story_count,
                ]
            )
        return response

    def get_context_data(self, **kwargs):
        chosen = self.request.GET.get("ordering", "")
        columns = []
        for key, heading in LEDGER_COLUMNS:
            if key is None:
                columns.append((heading, None, None))
                continue
            sort = "ascending" if chosen == key else "descending" if chosen == f"-{key}" else None
            columns.append((heading, f"-{key}" if chosen == key else key, sort))
        chosen = sum(
            1 for name, values in self.request.GET.lists() if name not in {"ordering", "page"} and any(values)
        )
        # The form depends on the parameters and the data alone: drawn once until the next write (it cost as
        # much as the table's 25 rows). On a phone it folds away, as the story list's does.
        form = (
            ""
            if self.kwargs.get("csv")
            else caching.remember(
                "ledger form",
                lambda: render_to_string(
                    "articles/_ledger_form.html", {"filter": self.filterset, "chosen": chosen}, self.request
                ),
                sorted(self.request.GET.lists()),
            )
        )
        context = super().get_context_data(columns=columns, filter_form=form, **kwargs)
        if not self.kwargs.get("csv"):
            # So are the rows (their links, dates and statuses cost more to draw than to read), and the page's
            # rows are not even read when they are drawn already.
            context["ledger_table"] = caching.remember(
                "ledger table",
                lambda: render_to_string("articles/_ledger_table.html", context, self.request),
                sorted(self.request.GET.lists()),
            )
        return context


@method_decorator(cache_page, name="dispatch")
class PairDetailView(ListView):
    """Two countries' ties: coverage over time, their agreements and where each stands, officials, stories."""

    paginate_by = 20
    paginator_class = ArchivePaginator
    template_name = "articles/pair_detail.html"

    def get(self, request, *args, **kwargs):
        found = pairs.find(kwargs["slug"])
        if found is None:
            raise Http404(f"No pair of countries {kwargs['slug']!r}")
        first, second, moved = found
        self.pair = pairs.Pair(first, second, pairs.story_count(first, second))
        if not self.pair.story_count:
            raise Http404(f"No published story on both {first} and {second}")
        if moved:
            query = request.META.get("QUERY_STRING")
            return redirect(self.pair.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return Article.objects.published().tagged_with(self.pair.first, self.pair.second).for_lists()

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.count = self.pair.story_count
        return paginator

    def get_context_data(self, **kwargs):
        pair = self.pair
        first, second = pair.first, pair.second
        agreements = caching.remember(
            "pair agreements",
            lambda: list(pairs.pair_agreements(first, second)[:PAIR_AGREEMENTS]),
            first.pk,
            second.pk,
        )
        return super().get_context_data(
            pair=pair,
            feed_url=pair.get_feed_url(),
            agreements=agreements,
            # The agreements and officials depend on the data alone: drawn once until the next write (their
            # dates and links cost more than the rest of the page).
            known=caching.remember("pair known", lambda: self.known(agreements), first.pk, second.pk),
            months=caching.remember(
                "pair months",
                lambda: Article.objects.published().tagged_with(first, second).per_month(),
                first.pk,
                second.pk,
            ),
            **kwargs,
        )

    def known(self, agreements) -> str:
        pair = self.pair
        officials = pairs.officials(pair.first, pair.second)
        context = {
            "pair": pair,
            "agreements": agreements,
            "agreement_count": pairs.agreement_count(pair.first, pair.second),
            "sides": [(pair.first, officials[pair.first.pk]), (pair.second, officials[pair.second.pk])],
        }
        return render_to_string("articles/_pair_known.html", context, self.request)
