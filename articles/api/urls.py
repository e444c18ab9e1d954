"""The read-mostly JSON API; see issue "The API"."""

app_name = "api"

urlpatterns = []
