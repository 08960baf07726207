from django.urls import path

from api import views
from api.endpoints import api

app_name = "api"

urlpatterns = [
    path("docs", views.docs, name="docs"),
    *api.urls[0],
]
