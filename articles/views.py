"""Public pages. Every query starts from Article.objects.published()."""

import datetime

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from .feeds import feed_url
from .filters import ArticleFilter
from .models import Agreement, Article, Country, Entry, Official

VOCABULARIES = (Country, Official, Agreement)
# The list's filter parameter for each vocabulary (see ArticleFilter).
FILTER_PARAMETERS = {Country: "country", Official: "official", Agreement: "agreement"}
TIMELINE_MONTHS = 36


def covered(model: type[Entry], stories: QuerySet | None = None) -> QuerySet:
    """Entries of `model` with `story_count`, their number of published stories (among `stories`), most first."""
    stories = Article.objects.published() if stories is None else stories.published()
    # Filtering the through rows and counting them in one query: the count uses the filtered join.
    return (
        model.objects.filter(tagged_articles__content_object__in=stories)
        .annotate(story_count=Count("tagged_articles"))
        .order_by("-story_count", "name")
    )


def related_stories(article: Article, limit: int = 5) -> QuerySet:
    """Published stories sharing the most entries with `article`, newest first among equals."""
    shared = Value(0)
    candidates = Q()
    for model in VOCABULARIES:
        field = model.article_field
        ids = [tag.pk for tag in getattr(article, field).all()]
        if not ids:
            continue
        through = getattr(Article, field).through
        # Candidates through subqueries, so the count joins only the stories that share something.
        candidates |= Q(pk__in=through.objects.filter(tag__in=ids).values("content_object"))
        shared += Count(field, filter=Q(**{f"{field}__in": ids}), distinct=True)
    if not candidates:
        return Article.objects.none()
    return (
        Article.objects.published()
        .filter(candidates)
        .exclude(pk=article.pk)
        .annotate(shared=shared)
        .order_by("-shared", *Article._meta.ordering)
        .with_vocabularies()[:limit]
    )


def stories_per_month(stories: QuerySet) -> list[tuple[datetime.date, int]]:
    """(first day of month, published stories) for each month up to the latest story, gaps included."""
    rows = (
        stories.published()
        .exclude(published_on=None)
        .annotate(month=TruncMonth("published_on"))
        .values("month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {row["month"]: row["count"] for row in rows}
    if not counts:
        return []
    months = [max(counts)]
    while months[-1] > min(counts) and len(months) < TIMELINE_MONTHS:
        previous = (months[-1] - datetime.timedelta(days=1)).replace(day=1)
        months.append(previous)
    return [(month, counts.get(month, 0)) for month in reversed(months)]


def home(request):
    """The latest stories and the most-covered entries of each vocabulary."""
    return render(
        request,
        "articles/home.html",
        {
            "latest": Article.objects.published().with_vocabularies()[:10],
            "most_covered": [(model._meta.verbose_name_plural, covered(model)[:8]) for model in VOCABULARIES],
        },
    )


class PublishedArticlesMixin:
    def get_queryset(self):
        return Article.objects.published().with_vocabularies()


class ArticleListView(PublishedArticlesMixin, FilterView):
    """The story list behind the same FilterSet as the API; invalid filters show their errors and no stories."""

    filterset_class = ArticleFilter
    paginate_by = 20

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        filterset.form.label_suffix = ""
        filterset.form.order_fields(["q"])
        # Offer the entries readers can find stories for; any slug still validates against the whole vocabulary.
        for model, name in FILTER_PARAMETERS.items():
            field = filterset.form.fields[name]
            field.widget.choices = [
                (entry.slug, f"{entry.name} ({entry.story_count})") for entry in covered(model).order_by("name")
            ]
            field.widget.attrs["size"] = 6
            field.help_text = "Choose several (Ctrl or ⌘ and click) for stories that mention them all."
        return filterset


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(related=related_stories(self.object), **kwargs)


class EntryListView(ListView):
    """The entries of one vocabulary that have published stories, by name."""

    model = None
    paginate_by = 100
    template_name = "articles/entry_list.html"

    def get_queryset(self):
        entries = covered(self.model).order_by("name")
        return entries.select_related("country") if self.model is Official else entries

    def get_context_data(self, **kwargs):
        return super().get_context_data(vocabulary=self.model._meta, **kwargs)


class EntryDetailView(ListView):
    """One entry: what it is, its published stories, what they mention with it, and a timeline."""

    model = None
    paginate_by = 20
    template_name = "articles/entry_detail.html"

    def get(self, request, *args, **kwargs):
        try:
            self.entry, moved = self.model.by_slug_or_former_slug(kwargs["slug"])
        except self.model.DoesNotExist:
            raise Http404(f"No {self.model._meta.verbose_name} {kwargs['slug']!r}") from None
        if moved:
            query = request.META.get("QUERY_STRING")
            return redirect(self.entry.get_absolute_url() + (f"?{query}" if query else ""), permanent=True)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.entry.articles.published().with_vocabularies()

    def get_context_data(self, **kwargs):
        stories = self.entry.articles
        mentioned_with = []
        for model in VOCABULARIES:
            entries = covered(model, stories)
            if model is self.model:
                entries = entries.exclude(pk=self.entry.pk)
            mentioned_with.append((model._meta.verbose_name_plural, entries[:8]))
        return super().get_context_data(
            entry=self.entry,
            vocabulary=self.model._meta,
            kind=self.model._meta.model_name,
            feed_url=feed_url(self.entry),
            list_parameter=FILTER_PARAMETERS[self.model],
            mentioned_with=mentioned_with,
            months=stories_per_month(stories),
            parties=self.parties(),
            **kwargs,
        )

    def parties(self) -> list[tuple[str, Country | None]]:
        """An agreement's parties, each with its country page when the name is a country's."""
        if self.model is not Agreement:
            return []
        names = self.entry.party_list
        countries = {country.name: country for country in Country.objects.filter(name__in=names)}
        return [(name, countries.get(name)) for name in names]


class CountryListView(EntryListView):
    model = Country


class OfficialListView(EntryListView):
    model = Official


class AgreementListView(EntryListView):
    model = Agreement


class CountryDetailView(EntryDetailView):
    model = Country


class OfficialDetailView(EntryDetailView):
    model = Official


class AgreementDetailView(EntryDetailView):
    model = Agreement
