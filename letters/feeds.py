"""The Atom feed of newly published letters."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from letters.models import Letter


class LatestLettersFeed(Feed):
    feed_type = Atom1Feed
    title = "Letters archive: new letters"
    subtitle = "Open letters and joint statements by civil society, newest first."

    def link(self):
        return reverse("letters:home")

    def items(self):
        return Letter.objects.published().only("title", "slug", "date", "subject", "kind", "updated_at")[:30]

    def item_title(self, letter: Letter) -> str:
        return letter.title

    def item_description(self, letter: Letter) -> str:
        return " · ".join(part for part in [letter.get_kind_display(), letter.subject] if part)

    def item_pubdate(self, letter: Letter) -> datetime.datetime:
        return datetime.datetime.combine(letter.date, datetime.time(), tzinfo=datetime.UTC)

    def item_updateddate(self, letter: Letter) -> datetime.datetime:
        return letter.updated_at
