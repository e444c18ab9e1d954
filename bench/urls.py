"""The site's URLs plus the floor views; only bench/settings.py points here."""

from django.urls import path

from ties_cms.urls import urlpatterns as site_urlpatterns

from . import floors

urlpatterns = [
    path("_bench/floor/bytes/", floors.page_bytes, name="floor_bytes"),
    path("_bench/floor/template/", floors.page_template, name="floor_template"),
    path("_bench/floor/json/", floors.api_json, name="floor_json"),
    *site_urlpatterns,
]
