from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from letters.sitemaps import SITEMAPS
from letters.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("api/", include("api.urls")),
    path("organizations/", include("organizations.urls")),
    path("", include("letters.urls")),
]
