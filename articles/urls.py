from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="home"),
    path("articles/", views.ArticleListView.as_view(), name="list"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    path("countries/<slug:slug>/", views.CountryDetailView.as_view(), name="country"),
    path("officials/<slug:slug>/", views.OfficialDetailView.as_view(), name="official"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement"),
]
