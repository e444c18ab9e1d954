from django.contrib.sitemaps import views as sitemap_views
from django.urls import path
from django.views.generic import TemplateView

from . import feeds, views
from .caching import cache_page
from .models import Agreement, Country, Official
from .sitemaps import SITEMAPS

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("feed/", feeds.LatestStoriesFeed(), name="feed"),
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("countries/", views.EntryListView.as_view(model=Country), name="countries"),
    path("countries/<slug:slug>/", views.EntryDetailView.as_view(model=Country), name="country"),
    path("countries/<slug:slug>/feed/", feeds.EntryFeed(Country), name="country_feed"),
    path("officials/", views.EntryListView.as_view(model=Official), name="officials"),
    path("officials/<slug:slug>/", views.EntryDetailView.as_view(model=Official), name="official"),
    path("officials/<slug:slug>/feed/", feeds.EntryFeed(Official), name="official_feed"),
    path("agreements/", views.AgreementListView.as_view(), name="agreements"),
    path("agreements.csv", views.AgreementListView.as_view(), {"csv": True}, name="agreements_csv"),
    path("agreements/<slug:slug>/", views.EntryDetailView.as_view(model=Agreement), name="agreement"),
    path("agreements/<slug:slug>/feed/", feeds.EntryFeed(Agreement), name="agreement_feed"),
    path("ties/<slug:slug>/", views.PairDetailView.as_view(), name="pair"),
    path("ties/<slug:slug>/feed/", feeds.PairFeed(), name="pair_feed"),
    path(
        "sitemap.xml",
        cache_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        cache_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", TemplateView.as_view(template_name="robots.txt", content_type="text/plain"), name="robots"),
]
