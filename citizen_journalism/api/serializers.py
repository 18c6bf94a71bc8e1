"""What the buyers' API shows of an article: the published version only (title, lead, body as
Markdown and as the sanitised HTML the site shows), the byline, places, dates, photos as absolute URLs
in each size, and the buyer's licence."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from members.models import Level, Member

from ..models import RENDITIONS, Article, ArticlePhoto


class PlaceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class KpmiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class AuthorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")
    kpmi = KpmiSerializer(allow_null=True)
    pioneer = serializers.SerializerMethodField()

    def get_pioneer(self, member: Member) -> bool:
        return member.level == Level.PIONEER


class CategorySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class PhotoSizeSerializer(serializers.Serializer):
    url = serializers.URLField()
    width = serializers.IntegerField()


class PhotoSerializer(serializers.Serializer):
    caption = serializers.CharField()
    credit = serializers.CharField()
    sizes = serializers.SerializerMethodField()

    @extend_schema_field(serializers.DictField(child=PhotoSizeSerializer()))
    def get_sizes(self, photo: ArticlePhoto) -> dict[str, Any]:
        request = self.context["request"]
        return {
            size: {"url": request.build_absolute_uri(photo.url(size)), "width": getattr(photo, f"width_{size}")}
            for size in RENDITIONS
        }


class LicenceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["licence", "exclusive"], source="sale_kind")
    date = serializers.DateField(source="sale_date")


class ArticleSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    lead = serializers.CharField()
    published_at = serializers.DateTimeField(source="first_published_at")
    updated_at = serializers.DateTimeField(source="published_at")
    licence = LicenceSerializer(source="*")
    url = serializers.SerializerMethodField(help_text="This article in the API.")
    public_url = serializers.SerializerMethodField(help_text="The article on the public news site.")

    def get_url(self, article: Article) -> str:
        return self.context["request"].build_absolute_uri(reverse("buyers_api:article", args=[article.pk]))

    def get_public_url(self, article: Article) -> str:
        return self.context["request"].build_absolute_uri(article.get_absolute_url())


class ArticleSerializer(ArticleSummarySerializer):
    body_markdown = serializers.CharField(source="body")
    body_html = serializers.CharField(help_text="Sanitised HTML, as the public site shows it.")
    author = AuthorSerializer()
    category = CategorySerializer()
    kecamatan = PlaceSerializer()
    desa = PlaceSerializer(allow_null=True)
    corrected_at = serializers.DateTimeField(allow_null=True)
    correction_note = serializers.CharField(allow_blank=True)
    photos = PhotoSerializer(many=True, source="public_photos")
