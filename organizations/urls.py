from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("", views.organization_list, name="list"),
    path("organizations.csv", views.organization_list, {"format": "csv"}, name="list_csv"),
    path("organizations.json", views.organization_list, {"format": "json"}, name="list_json"),
    path("<str:slug>/", views.organization_detail, name="detail"),
    path("<str:slug>/letters.csv", views.organization_detail, {"format": "csv"}, name="detail_csv"),
    path("<str:slug>/organization.json", views.organization_detail, {"format": "json"}, name="detail_json"),
]
