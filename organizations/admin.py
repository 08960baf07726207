from django.contrib import admin
from django.db.models import Count

from organizations.models import Alias, Organization


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1
    fields = ["name", "source"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "country", "signature_count", "needs_review", "merged_into"]
    list_filter = ["kind", "needs_review", ("merged_into", admin.EmptyFieldListFilter)]
    search_fields = ["name", "acronym", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent", "merged_into"]
    list_select_related = ["merged_into"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [AliasInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(signature_total=Count("signatures", distinct=True))

    @admin.display(description="Signatures", ordering="signature_total")
    def signature_count(self, organization: Organization) -> int:
        return organization.signature_total


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "source", "created_at"]
    list_filter = ["source"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
