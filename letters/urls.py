from django.urls import path

from letters import views

app_name = "letters"

urlpatterns = [
    path("", views.home, name="home"),
    path("letters/", views.letter_list, name="list"),
    path("letters/<int:year>/<str:month>/<str:day>/<str:slug>/", views.letter_detail, name="detail"),
]
