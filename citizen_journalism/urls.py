"""Garut Citizen Journalism: the public site under /berita/, the newsroom under /berita/redaksi/."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_GET

from .sitemaps import ArticleSitemap
from .views import newsroom, public, sales

app_name = "citizen_journalism"

urlpatterns = [
    # --- the public site ---
    path("", public.front, name="front"),
    path("<int:pk>/<slug:slug>/", public.article, name="article"),
    path("kategori/<slug:slug>/", public.category, name="category"),
    path("kecamatan/<str:code>/", public.kecamatan, name="kecamatan"),
    path("penulis/<int:pk>/", public.author, name="author"),
    path("cari/", public.search, name="search"),
    path("foto/<int:pk>/<str:size>/", public.photo, name="photo"),
    # Feeds and the sitemap are read-only: GET (and HEAD) only, like every public page.
    path("rss/", require_GET(public.LatestArticlesFeed()), name="feed_rss"),
    path("atom/", require_GET(public.LatestArticlesAtom()), name="feed_atom"),
    path("sitemap.xml", require_GET(sitemap), {"sitemaps": {"berita": ArticleSitemap}}, name="sitemap"),
    # --- the newsroom ---
    path("redaksi/tulis/", newsroom.article_create, name="article_create"),
    path("redaksi/tulisan-saya/", newsroom.my_articles, name="my_articles"),
    path("redaksi/antrean/", newsroom.editor_queue, name="queue"),
    path("redaksi/tulisan/<int:pk>/", newsroom.article_manage, name="article_manage"),
    path("redaksi/tulisan/<int:pk>/ubah/", newsroom.article_edit, name="article_edit"),
    path("redaksi/tulisan/<int:pk>/minta-perbaikan/", newsroom.article_request_changes, name="request_changes"),
    path("redaksi/tulisan/<int:pk>/setujui/", newsroom.article_approve, name="approve"),
    path("redaksi/tulisan/<int:pk>/tolak/", newsroom.article_reject, name="reject"),
    path("redaksi/tulisan/<int:pk>/koreksi/setujui/", newsroom.correction_approve, name="correction_approve"),
    path("redaksi/tulisan/<int:pk>/koreksi/tolak/", newsroom.correction_decline, name="correction_decline"),
    path("redaksi/tulisan/<int:pk>/tautkan-kegiatan/", newsroom.article_link_activity, name="link_activity"),
    # --- the content market (#13: sales, shares, statements, payouts) ---
    path("penjualan/", sales.sale_list, name="sale_list"),
    path("penjualan/baru/", sales.sale_create, name="sale_create"),
    path("penjualan/<int:pk>/batal/", sales.sale_cancel, name="sale_cancel"),
    path("penjualan/pembeli/", sales.buyer_list, name="buyer_list"),
    path("penjualan/pembeli/baru/", sales.buyer_create, name="buyer_create"),
    path("penjualan/pembeli/<int:pk>/ubah/", sales.buyer_edit, name="buyer_edit"),
    path("penjualan/bagi-hasil/", sales.shares, name="shares"),
    path("penjualan/bagi-hasil/<int:pk>/hapus/", sales.share_remove, name="share_remove"),
    # --- the buyers' API tokens (#13) ---
    path("penjualan/pembeli/<int:pk>/token/", sales.buyer_tokens, name="buyer_tokens"),
    path("penjualan/pembeli/<int:pk>/token/<int:token_pk>/cabut/", sales.buyer_token_revoke, name="buyer_token_revoke"),
    path("pendapatan/<int:pk>/", sales.statement, name="statement"),
    path("pendapatan/<int:pk>/laporan.pdf", sales.statement_pdf, name="statement_pdf"),
    path("pendapatan/<int:pk>/laporan.xlsx", sales.statement_xlsx, name="statement_xlsx"),
    path("pendapatan/<int:pk>/bayar/", sales.payout_create, name="payout_create"),
]
