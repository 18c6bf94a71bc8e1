"""The public articles for search engines (django.contrib.sitemaps)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap

from .models import Article, State


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return Article.objects.filter(state__in=State.PUBLIC).only("pk", "slug", "published_at").order_by("-pk")

    def lastmod(self, item: Article):
        return item.published_at
