from django.urls import path

from letters import views
from letters.feeds import LatestLettersFeed

app_name = "letters"

LETTER = "letters/<int:year>/<str:month>/<str:day>/<str:slug>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("letters/", views.letter_list, name="list"),
    path("letters/feed/", LatestLettersFeed(), name="feed"),
    path(LETTER, views.letter_detail, name="detail"),
    path(LETTER + "signatories.csv", views.letter_csv, name="detail_csv"),
    path(LETTER + "letter.json", views.letter_json, name="detail_json"),
]
