"""The read-mostly JSON API; see issue "The API" and the README's API section."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter()
# No format suffixes (".json"): the API speaks JSON only, and every detail path reaches its view.
router.include_format_suffixes = False
router.register("articles", views.ArticleViewSet, basename="article")
router.register("countries", views.CountryViewSet, basename="country")
router.register("officials", views.OfficialViewSet, basename="official")
router.register("agreements", views.AgreementViewSet, basename="agreement")
router.register("agreement-events", views.AgreementEventViewSet, basename="agreement-event")
router.register("ties", views.PairViewSet, basename="pair")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start script as a file (docs/?script), not inline (the CSP in settings).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
]
