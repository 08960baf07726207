from django.db import models
from django.urls import reverse


class Organization(models.Model):
    """One authority record per real organization, signer or addressee."""

    class Kind(models.TextChoices):
        ORGANIZATION = "organization", "Organization"
        COALITION = "coalition", "Coalition"
        NETWORK = "network", "Network"
        INDIVIDUAL = "individual", "Individual"
        GOVERNMENT_BODY = "government_body", "Government body"
        INTERGOVERNMENTAL_BODY = "intergovernmental_body", "Intergovernmental body"
        MEDIA = "media", "Media"

    name = models.CharField(max_length=500)
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    acronym = models.CharField(max_length=50, blank=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.ORGANIZATION)
    country = models.CharField(max_length=100, blank=True, help_text="Country or base, where known.")
    website = models.URLField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member_organizations",
        help_text="The coalition or network this organization belongs to, where known.",
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_records",
        help_text="Set when this record was merged into another: its address then redirects there.",
    )
    needs_review = models.BooleanField(
        default=False, help_text="Created by an import that could not decide between existing organizations."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            # The A-Z organization list and the admin sort by name.
            models.Index(fields=["name"], name="org_name_idx"),
            # The curator's review queue filters on records flagged by imports.
            models.Index(fields=["needs_review"], name="org_needs_review_idx"),
            # The organization list filters by kind and sorts by name (`/organizations/?kind=`).
            models.Index(fields=["kind", "name"], name="org_kind_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(merged_into=models.F("pk")), name="org_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        previous_slug = None
        if self.pk is not None:
            previous_slug = Organization.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        super().save(*args, **kwargs)
        if previous_slug and previous_slug != self.slug:
            # The old address keeps working: it answers 301 to the new one.
            OrganizationSlug.objects.update_or_create(slug=previous_slug, defaults={"organization": self})

    def get_absolute_url(self) -> str:
        return reverse("organizations:detail", kwargs={"slug": self.slug})


class OrganizationSlug(models.Model):
    """A slug an organization had before a rename: its old address redirects (301) to the organization."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=255, unique=True, allow_unicode=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.slug


class Alias(models.Model):
    """Another name of an organization: a spelling seen on a letter, an acronym, a name in another script."""

    class Source(models.TextChoices):
        LETTER = "letter", "Printed on a letter"
        CURATOR = "curator", "Added by a curator"
        ACRONYM = "acronym", "Acronym"
        MERGE = "merge", "Kept from a merged record"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(max_length=500)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.LETTER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "aliases"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="alias_unique_per_organization"),
        ]
        indexes = [
            # The matcher and the admin search look names up across all organizations.
            models.Index(fields=["name"], name="alias_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name
