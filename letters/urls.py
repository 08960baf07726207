from django.urls import path

from letters import views
from letters.feeds import LatestLettersFeed

app_name = "letters"

LETTER = "letters/<int:year>/<str:month>/<str:day>/<str:slug>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("letters/", views.letter_list, name="list"),
    path("letters/letters.csv", views.letter_list, {"format": "csv"}, name="list_csv"),
    path("letters/letters.json", views.letter_list, {"format": "json"}, name="list_json"),
    path("letters/feed/", LatestLettersFeed(), name="feed"),
    path("letters/preview/<int:pk>/", views.letter_preview, name="preview"),
    path(LETTER, views.letter_detail, name="detail"),
    path(LETTER + "signatories.csv", views.letter_csv, name="detail_csv"),
    path(LETTER + "letter.json", views.letter_json, name="detail_json"),
    path("data/", views.data_page, name="data"),
    path("data/<str:name>.csv", views.data_file, name="data_file"),
]
