"""Public pages. Every query starts from Article.objects.published()."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, ListView

from .models import Agreement, Article, Country, Official


class PublishedArticlesMixin:
    def get_queryset(self):
        return Article.objects.published().with_vocabularies()


class ArticleListView(PublishedArticlesMixin, ListView):
    paginate_by = 20


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    pass


class EntryDetailView(ListView):
    """One vocabulary entry and its published stories."""

    model = None
    paginate_by = 20
    template_name = "articles/entry_detail.html"

    def get_queryset(self):
        self.entry = get_object_or_404(self.model, slug=self.kwargs["slug"])
        return self.entry.articles.published().with_vocabularies()

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)


class CountryDetailView(EntryDetailView):
    model = Country


class OfficialDetailView(EntryDetailView):
    model = Official


class AgreementDetailView(EntryDetailView):
    model = Agreement
