"""Public pages. Every query starts from Article.objects.published()."""

import csv
import datetime

from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Cast, Substr
from django.forms.renderers import Jinja2
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from . import caching, facets, pairs
from .caching import ArchivePaginator, cache_page
from .feeds import feed_url
from .filters import AgreementFilter, ArticleFilter
from .models import Agreement, AgreementEvent, Article, Country, Entry, Official
from .widgets import FacetCheckboxes

VOCABULARIES = (Country, Official, Agreement)
# The list's filter parameter for each vocabulary (see ArticleFilter).
FILTER_PARAMETERS = {Country: "country", Official: "official", Agreement: "agreement"}
TIMELINE_MONTHS = 36
RELATED_CANDIDATES = 100
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


def covered(model: type[Entry]) -> QuerySet:
    """Entries of `model` on published stories, most covered first (the database keeps `story_count`)."""
    return model.objects.filter(story_count__gt=0).order_by("-story_count", "name")


def most_covered(model: type[Entry], limit: int) -> list[tuple[Entry, int]]:
    """(entry, its published stories) for the `limit` most covered entries of `model`, kept until a write."""
    return caching.remember(
        "most covered",
        lambda: [(entry, entry.story_count) for entry in covered(model)[:limit]],
        model._meta.label,
        limit,
    )


def entry_stories(entry: Entry) -> QuerySet:
    """The published stories tagged with `entry`, found the way that stays fast for its number of stories."""
    through = getattr(Article, entry.article_field).through
    return Article.objects.published().filter(caching.tagged_with(through, entry.pk))


def latest_story_ids(entry: Entry) -> list[int]:
    """The ids of `entry`'s latest MENTIONED_WINDOW published stories, kept until a write."""
    stories = entry_stories(entry).order_by(*Article._meta.ordering)
    return caching.remember(
        "latest stories",
        lambda: list(stories.values_list("pk", flat=True)[:MENTIONED_WINDOW]),
        entry._meta.label,
        entry.pk,
        MENTIONED_WINDOW,
    )


def mentioned_with(model: type[Entry], entry: Entry, limit: int) -> list[tuple[Entry, int]]:
    """(other, stories) for the `limit` entries of `model` most often on `entry`'s latest MENTIONED_WINDOW stories.

    The window bounds the work: over every story of the home country, the counts took seconds at 100,000 stories,
    and the first request after each write paid them.
    """

    def compute():
        latest = latest_story_ids(entry)
        # Filtering the through rows and counting them in one query: the count uses the filtered join.
        others = (
            model.objects.filter(tagged_articles__content_object__in=latest)
            .annotate(shared=Count("tagged_articles"))
            .order_by("-shared", "name")
        )
        if type(entry) is model:
            others = others.exclude(pk=entry.pk)
        return [(other, other.shared) for other in others[:limit]]

    return caching.remember("mentioned with", compute, model._meta.label, limit, entry._meta.label, entry.pk)


def find_entry(model: type[Entry], slug: str) -> tuple[Entry, bool]:
    """Entry.by_slug_or_former_slug for public entries only, kept until a write; an official with their country."""

    def compute():
        entry, moved = model.by_slug_or_former_slug(slug)
        if not entry.is_public:
            raise model.DoesNotExist(slug)
        if isinstance(entry, Official):
            entry.country  # noqa: B018 - loaded now, so that the kept copy has it
        return entry, moved

    return caching.remember("entry", compute, model._meta.label, slug)


def related_stories(article: Article, limit: int = 5) -> QuerySet:
    """Published stories sharing the most entries with `article`, newest first among equals.

    The candidates are the stories most recently tagged with each of its entries, RELATED_CANDIDATES per
    entry: an entry on every story (the home country) would otherwise make the whole archive a candidate.
    Each entry's list is kept until the next write and serves every story page that mentions it.
    """
    shared = Value(0)
    candidates = set()
    for model in VOCABULARIES:
        field = model.article_field
        ids = [tag.pk for tag in getattr(article, field).all()]
        if not ids:
            continue
        through = getattr(Article, field).through
        for tag_id in ids:
            candidates.update(latest_tagged(through, tag_id))
        shared += Count(field, filter=Q(**{f"{field}__in": ids}), distinct=True)
    candidates.discard(article.pk)
    if not candidates:
        return Article.objects.none()
    return (
        Article.objects.published()
        # A list of ids, so that the counts join only the candidates' tags, on either database.
        .filter(pk__in=sorted(candidates))
        .annotate(shared=shared)
        .order_by("-shared", *Article._meta.ordering)
        .for_lists()[:limit]
    )


def latest_tagged(through: type, tag_id: int) -> list[int]:
    """The RELATED_CANDIDATES stories most recently tagged with an entry (from the end of its index)."""
    latest = through.objects.filter(tag_id=tag_id).order_by("-content_object_id")
    return caching.remember(
        "latest tagged",
        lambda: list(latest.values_list("content_object_id", flat=True)[:RELATED_CANDIDATES]),
        through._meta.label,
        tag_id,
    )


def stories_per_month(stories: QuerySet) -> list[tuple[datetime.date, int]]:
    """(first day of month, published stories) for each month up to the latest story, gaps included.

    At most the latest TIMELINE_MONTHS months, and only their stories are counted.
    """
    dated = stories.published().exclude(published_on=None).values_list("published_on", flat=True)
    latest = dated.order_by("-published_on").first()
    if latest is None:
        return []
    first = dated.order_by("published_on").first().replace(day=1)
    months = [latest.replace(day=1)]
    while months[-1] > first and len(months) < TIMELINE_MONTHS:
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    rows = (
        dated.filter(published_on__gte=months[-1])
        # "YYYY-MM" of the ISO date: built-in string functions on both databases, where SQLite's TruncMonth
        # calls back into Python for every row.
        .annotate(month=Substr(Cast("published_on", CharField()), 1, 7))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {datetime.date.fromisoformat(f"{row['month']}-01"): row["count"] for row in rows}
    return [(month, counts.get(month, 0)) for month in reversed(months)]


@cache_page
def home(request):
    """The latest stories and the most-covered entries of each vocabulary."""
    return render(
        request,
        "articles/home.html",
        {
            "latest": Article.objects.published().for_lists()[:10],
            "most_covered": [(model._meta.verbose_name_plural, most_covered(model, 8)) for model in VOCABULARIES],
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
        for name in FILTER_PARAMETERS.values():
            filterset.form.fields[name].widget = FacetCheckboxes()
        return filterset

    def narrowing(self) -> dict:
        """The filters the request chose (not the order), when they are valid."""
        chosen = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        return {name: value for name, value in chosen.items() if value and name != "ordering"}

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        narrowing = self.narrowing()
        entries = [entry for name in FILTER_PARAMETERS.values() for entry in narrowing.get(name, ())]
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
        for model, name in FILTER_PARAMETERS.items():
            offered = facets.facets(model, self.object_list if filtered else None, narrowing.get(name, []), total)
            self.filterset.form.fields[name].widget.facets = [(f.slug, f.name, f.count) for f in offered]
        context["heading"] = facets.describe(narrowing)
        context["filters_chosen"] = sum(
            len(narrowing[name]) if name in FILTER_PARAMETERS.values() else 1 for name in narrowing
        )
        return context


@method_decorator(cache_page, name="dispatch")
class ArticleDetailView(DetailView):
    def get_queryset(self):
        return Article.objects.published().with_vocabularies()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            related=related_stories(self.object), pairs=pairs.story_pairs(self.object), **kwargs
        )


@method_decorator(cache_page, name="dispatch")
class EntryListView(ListView):
    """The entries of one vocabulary that have published stories, by name."""

    model = None
    paginate_by = 100
    paginator_class = ArchivePaginator
    template_name = "articles/entry_list.html"

    def get_queryset(self):
        entries = covered(self.model).order_by("name")
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
        return entry_stories(self.entry).for_lists()

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # Kept by the database (articles/counting.py); counting the home country's stories took half a second.
        paginator.count = self.entry.story_count
        return paginator

    def get_context_data(self, **kwargs):
        entry = self.entry
        mentioned = [(model._meta.verbose_name_plural, mentioned_with(model, entry, 8)) for model in VOCABULARIES]
        return super().get_context_data(
            entry=self.entry,
            vocabulary=self.model._meta,
            kind=self.model._meta.model_name,
            feed_url=feed_url(self.entry),
            list_parameter=FILTER_PARAMETERS[self.model],
            mentioned_with=mentioned,
            mentioned_window=MENTIONED_WINDOW if entry.story_count > MENTIONED_WINDOW else None,
            months=caching.remember(
                "months", lambda: stories_per_month(entry_stories(entry)), entry._meta.label, entry.pk
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
        officials = covered(Official).filter(country=self.entry)[:KNOWN_ROWS]
        agreements = (
            covered(Agreement).filter(parties=self.entry).order_by(F("signed_on").desc(nulls_last=True), "name")
        )
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


def ledger_rows() -> QuerySet:
    """The agreements readers may see, with their status and parties, newest signing first."""
    return (
        Agreement.objects.public()
        .with_status()
        .prefetch_related("parties")
        .order_by(F("signed_on").desc(nulls_last=True), "name", "pk")
    )


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
        return ledger_rows()

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
        return pairs.pair_stories(self.pair.first, self.pair.second).for_lists()

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
            feed_url=reverse("articles:pair_feed", args=[pair.slug]),
            agreements=agreements,
            # The agreements and officials depend on the data alone: drawn once until the next write (their
            # dates and links cost more than the rest of the page).
            known=caching.remember("pair known", lambda: self.known(agreements), first.pk, second.pk),
            months=caching.remember(
                "pair months", lambda: stories_per_month(pairs.pair_stories(first, second)), first.pk, second.pk
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
