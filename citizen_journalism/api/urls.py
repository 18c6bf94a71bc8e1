"""The buyers' API under /api/v1/: the articles, and the OpenAPI schema (JSON or YAML). No docs page:
drf-spectacular's Swagger UI and Redoc load their scripts from a CDN, which the site's CSP forbids."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "buyers_api"

urlpatterns = [
    path("articles/", views.ArticleList.as_view(), name="article_list"),
    path("articles/<int:pk>/", views.ArticleDetail.as_view(), name="article"),
    # The schema is public (it holds no data) so a buyer's developer can read it before having a key.
    path("schema/", SpectacularAPIView.as_view(authentication_classes=[], throttle_classes=[]), name="schema"),
]
