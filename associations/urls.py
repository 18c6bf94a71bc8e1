from django.urls import path

from . import views

app_name = "associations"
urlpatterns = [
    path("<slug:code>/", views.association_home, name="home"),
]
