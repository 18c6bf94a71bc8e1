from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.contrib.auth import views as auth_views
from django.urls import include, path

from members.urls import directory_patterns, member_patterns
from programs.urls import intervention_patterns

from . import offline, views
from .accounts import views as account_views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("beranda/", views.home, name="home"),
    path("komtik/", views.komtik_home, name="komtik_home"),
    path("healthz", views.healthz, name="healthz"),
    # The installable app: the service worker at the root, so that its scope is the whole site.
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("akun/logout/", offline.LogoutView.as_view(), name="logout"),
    path("akun/masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("akun/password_reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    # Django's account pages (password change and reset) without its own login and logout (above: the
    # logout also clears what the phone kept for offline logging), so that
    # every "log in" link reaches the one above, and without its reset page, which has a limit above.
    path("akun/", include([p for p in auth_urls.urlpatterns if p.name not in {"login", "password_reset", "logout"}])),
    # django.conf.urls.i18n's one URL, with a visitor's switch taking no CSRF token (views.set_language).
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("kpmi/", include(directory_patterns)),
    path("", include(member_patterns)),
    path("perhimpunan/", include("associations.urls")),
    path("kegiatan/", include("programs.urls")),
    path("", include(intervention_patterns)),
    path("", include("kpmi_si.notifications.urls")),
    path("", include("kpmi_si.privacy.urls")),
    path("", include("kpmi_si.accounts.urls")),
    path("penghargaan/", include("awards.urls")),
    path("usaha/", include("entrepreneurship.urls")),
    path("berita/", include("citizen_journalism.urls")),
    path("api/v1/", include("citizen_journalism.api.urls")),
    path("admin/", admin.site.urls),
]
