"""The sitemap: published letters, public organizations and the list pages. Nothing else."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from letters.models import Letter
from organizations.filters import public_organizations


class LetterSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Letter.objects.published().only("slug", "date", "updated_at").order_by("-date", "-id")

    def lastmod(self, letter: Letter):
        return letter.updated_at


class OrganizationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return public_organizations().only("slug").order_by("name")


class PageSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["letters:home", "letters:list", "organizations:list"]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "letters": LetterSitemap, "organizations": OrganizationSitemap}
