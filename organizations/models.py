from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from simple_history.models import HistoricalRecords


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
    # Stored, kept fresh on write by letters.counts, so that no list or page computes them per request.
    # `is_public`: not merged, and a published letter shows it (a signature not withheld, an addressee or a demand's
    # target). Every public surface starts from it (organizations.filters.public_organizations).
    is_public = models.BooleanField(default=False, editable=False)
    letters_signed = models.PositiveIntegerField(
        default=0, editable=False, help_text="Published letters it signed, withheld signatures not counted."
    )
    letters_addressed = models.PositiveIntegerField(default=0, editable=False, help_text="Published letters to it.")
    # Its page's "Demands made of it": none for nearly every organization, so the page reads no demand at all.
    demand_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Demands made of it in published letters."
    )
    # Its page's timeline: [{"year": 2021, "count": 12}, ...], the published letters it signed by year.
    signed_by_year = models.JSONField(default=list, editable=False)
    # What the public name search (`/organizations/?q=`) reads, one name a line: the name, the acronym, the
    # curators' aliases, and the spellings printed on its public signatures (never one from a withheld signature or
    # a draft; every printed spelling is also kept as an alias, but only these are searched). Searched through the trigram index org_search_names_trgm_idx (organizations/0011).
    search_names = models.TextField(blank=True, editable=False)
    # Its page's "Also listed as", sorted: the curators' aliases and the spellings its public signatures print, other
    # than its name (kept with search_names, by letters.counts.refresh_names).
    other_names = models.JSONField(default=list, editable=False)
    # Its page's "Signs most often with", stored by that page (organizations.cosigners) with the letters
    # it was counted over: {"window": [[letter id, signatures_revision], ...], "counts": [[organization id,
    # letters together], ...]}. Null until first shown.
    cosigners = models.JSONField(null=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "is_public",
            "letters_signed",
            "letters_addressed",
            "demand_count",
            "signed_by_year",
            "search_names",
            "other_names",
            "cosigners",
        ]
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            # The admin sorts by name.
            models.Index(fields=["name"], name="org_name_idx"),
            # The public A-Z list and name search (`/organizations/`, `?q=`, `?initial=`), newest-first never needed.
            models.Index(fields=["is_public", "name"], name="org_public_name_idx"),
            # The public list sorted by letters signed (`?sort=-letters`).
            models.Index(fields=["is_public", "letters_signed"], name="org_public_signed_idx"),
            # The browse page's most frequent addressees.
            models.Index(fields=["is_public", "letters_addressed"], name="org_public_addressed_idx"),
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
        # One transaction with its old address and the recount its post_save signal runs (letters.counts), which
        # renews the signatory lists that link to it.
        with transaction.atomic():
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

    history = HistoricalRecords()

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


class DistinctPair(models.Model):
    """A curator's "not the same": two organizations the duplicate finder and the import never offer as one.

    Stored once per pair, the lower id first, so (a, b) and (b, a) cannot both exist.
    """

    organization_a = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    organization_b = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(organization_a__lt=models.F("organization_b")), name="distinct_pair_ordered"
            ),
            models.UniqueConstraint(fields=["organization_a", "organization_b"], name="distinct_pair_unique"),
        ]
        indexes = [
            # The import looks up the pairs of the organizations its candidates name, from either side.
            models.Index(fields=["organization_b"], name="distinct_pair_b_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_a_id} ≠ {self.organization_b_id}"

    @staticmethod
    def ordered(first_id: int, second_id: int) -> tuple[int, int]:
        if first_id == second_id:
            raise ValueError("An organization cannot be distinct from itself.")
        return (first_id, second_id) if first_id < second_id else (second_id, first_id)

    @classmethod
    def record(cls, pairs, user=None) -> int:
        """Save "not the same" for each (id, id) pair, in either order; pairs already recorded are kept. Returns the count new."""
        wanted = {cls.ordered(a, b) for a, b in pairs}
        if not wanted:
            return 0
        lows = {a for a, _ in wanted}
        known = set(
            cls.objects.filter(organization_a_id__in=lows).values_list("organization_a_id", "organization_b_id")
        )
        new = [cls(organization_a_id=a, organization_b_id=b, decided_by=user) for a, b in sorted(wanted - known)]
        cls.objects.bulk_create(new, ignore_conflicts=True)
        return len(new)


class MergeLog(models.Model):
    """Who merged which records into which survivor, when, and what moved. Names are kept as text: they may change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    survivor = models.ForeignKey(Organization, null=True, on_delete=models.SET_NULL, related_name="merge_logs")
    survivor_name = models.CharField(max_length=500)
    merged = models.JSONField(help_text="The merged records as they were: id, name, slug and acronym of each.")
    counts = models.JSONField(help_text="What moved to the survivor, by kind of record.")

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Merge #{self.pk} into {self.survivor_name}"

    @property
    def merged_names(self) -> str:
        return "; ".join(f"{record['name']} (#{record['id']})" for record in self.merged)


# The matcher's index, stored (organizations.match_index keeps it in step with organizations and aliases).
# An import builds a matcher from the few rows its lines need instead of analysing every known name.


class MatchEntry(models.Model):
    """One searchable key of the matcher (matching._Entry): a normalized name, or one script of a bilingual
    name, shared by every known name that has it. Ids number entries as the in-memory matcher does."""

    key = models.CharField(max_length=1000)
    other = models.CharField(max_length=1000, blank=True)
    acronym = models.CharField(max_length=50, blank=True, help_text="The acronym of its first name.")
    tokens = models.CharField(max_length=1000, help_text="Content words, space-separated, in printed order.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "other"], name="match_entry_unique")]
        indexes = [
            # A line's normalized keys are looked up here (exact, normalized and bilingual rules).
            models.Index(fields=["key"], name="match_entry_key_idx"),
            # Fuzzy matching scores the first entries printed with the line's acronym.
            models.Index(fields=["acronym", "id"], name="match_entry_acronym_idx"),
        ]

    def __str__(self) -> str:
        return self.key


class MatchName(models.Model):
    """A name the matcher knows (matching.KnownName) with the keys it is looked up by."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)
    is_canonical = models.BooleanField()
    lookup = models.CharField(max_length=500, help_text="The text without surrounding spaces.")
    acronym = models.CharField(max_length=50, blank=True, help_text="The acronym printed with the name.")
    acronym_key = models.CharField(max_length=50, blank=True, help_text="The acronym an acronym-only line finds.")
    country_base = models.CharField(max_length=1000, blank=True, help_text="The name without its country.")
    in_parentheses = models.BooleanField(default=False, help_text="That country is printed in parentheses.")
    entries = models.ManyToManyField(MatchEntry, related_name="names")

    class Meta:
        indexes = [
            # Each of a line's lookups (exact text, acronym alone, name without its country) is one index scan.
            models.Index(fields=["lookup"], name="match_name_lookup_idx"),
            models.Index(fields=["acronym_key"], name="match_name_acronym_idx"),
            models.Index(fields=["country_base"], name="match_name_country_idx"),
        ]

    def __str__(self) -> str:
        return self.text


class MatchPosting(models.Model):
    """The entries that carry a word, for entries of one number of words: ids packed as 4-byte integers."""

    token = models.CharField(max_length=500)
    length = models.PositiveSmallIntegerField()
    entry_ids = models.BinaryField()
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "length"], name="match_posting_unique")]

    def __str__(self) -> str:
        return f"{self.token} ({self.length} words)"


class MatchVariant(models.Model):
    """A known word, or that word minus one letter, -> the word: the deletion index of OCR slips."""

    variant = models.CharField(max_length=500)
    token = models.CharField(max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["variant", "token"], name="match_variant_unique")]

    def __str__(self) -> str:
        return f"{self.variant} -> {self.token}"
