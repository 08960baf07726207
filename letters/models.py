from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import connection, models, transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from simple_history.models import HistoricalRecords

from organizations.models import Organization


class LetterQuerySet(models.QuerySet):
    def published(self) -> "LetterQuerySet":
        """The only letters any public surface may show."""
        return self.filter(status=Letter.Status.PUBLISHED)


class Letter(models.Model):
    class Kind(models.TextChoices):
        OPEN_LETTER = "open_letter", "Open letter"
        JOINT_STATEMENT = "joint_statement", "Joint statement"
        PRESS_RELEASE = "press_release", "Press release"
        STATEMENT = "statement", "Statement"
        PETITION = "petition", "Petition"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=500)
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    date = models.DateField(null=True, blank=True, help_text="The date printed on the letter.")
    kind = models.CharField(max_length=32, choices=Kind.choices, default=Kind.OPEN_LETTER)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    addressees = models.ManyToManyField(Organization, blank=True, related_name="letters_received")
    subject = models.CharField(max_length=1000, blank=True)
    body = models.TextField(blank=True, help_text="Markdown.")
    language = models.CharField(max_length=16, default="en")
    source_url = models.URLField(max_length=1000, blank=True)
    source_text = models.TextField(blank=True, help_text="The text the letter was imported from, as pasted.")
    source_sha256 = models.CharField(
        max_length=64,
        blank=True,
        help_text="Fingerprint of the imported text: a re-import of the same text is a no-op.",
    )
    declared_signatory_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="The total the letter itself states, named and undisclosed."
    )
    undisclosed_signatory_count = models.PositiveIntegerField(
        null=True, blank=True, help_text="Signatories the letter counts but does not name. Only the count is stored."
    )
    totals_note = models.TextField(
        blank=True,
        help_text="Why the stated total and the archive's figures differ (e.g. one organization printed twice). Public.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    body_html = models.TextField(blank=True, editable=False, help_text="The body rendered and sanitised on save.")
    # Full-text search of title, subject and body on PostgreSQL, kept fresh on save; the browse page's `q`
    # uses it through the GIN index `letter_search_idx` (created by a PostgreSQL-only migration step).
    # Stays empty on SQLite, where search falls back to icontains.
    search_vector = SearchVectorField(null=True, editable=False)
    # Public counts, stored so that no page counts signatures per request (letters.counts keeps them fresh on
    # write). `withheld_count` is never shown: it only decides `signatory_total`.
    named_count = models.PositiveIntegerField(default=0, editable=False, help_text="Signatures not withheld.")
    withheld_count = models.PositiveIntegerField(default=0, editable=False)
    # Set by letters.counts with every recount of this letter (a signature added, withheld, moved or deleted; the
    # letter saved; an organization it lists renamed) to a new value of the archive-wide counter
    # PublicTotals.revision, never a value used before, even when a save writes back an older copy of the letter:
    # an organization's stored co-signers (Organization.cosigners) name the revisions they were counted from, the
    # stored signatory list below the one it was rendered at, and each is computed again when one differs.
    signatures_revision = models.PositiveBigIntegerField(default=0, editable=False)
    # The letter page's signatory list, rendered and stored by that page (letters.signatory_list) with the
    # revision above it was rendered at: {"revision", "items", "retracted"}. Rendered again when they differ.
    signatory_list = models.JSONField(null=True, editable=False)
    # Its addressees' names, sorted, as a row of a letter list shows them ("To ..."), kept by letters.counts: a list
    # page reads them with its letters.
    addressee_names = models.JSONField(default=list, editable=False)
    # The total the public sees: the letter's stated total, as it states it; but where a curator withheld a name,
    # the stated total minus the public counts would reveal how many, so it is then named + undisclosed.
    signatory_total = models.GeneratedField(
        expression=models.Case(
            models.When(
                withheld_count=0,
                declared_signatory_count__isnull=False,
                then=models.F("declared_signatory_count"),
            ),
            default=models.F("named_count") + Coalesce("undisclosed_signatory_count", models.Value(0)),
        ),
        output_field=models.PositiveIntegerField(),
        db_persist=True,
    )

    objects = LetterQuerySet.as_manager()
    # Every change, with who and when (admin "History"). Derived fields and the imported text are not copied into
    # each version; reverting keeps their current values.
    history = HistoricalRecords(
        excluded_fields=[
            "body_html",
            "search_vector",
            "source_text",
            "named_count",
            "withheld_count",
            "signatory_total",
            "signatures_revision",
            "signatory_list",
            "addressee_names",
        ]
    )

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # Public lists show published letters newest first.
            models.Index(fields=["status", "-date"], name="letter_status_date_idx"),
            # The home page and /letters/ (newest first, ties by id): LIMIT 20 reads 20 entries of this index
            # instead of sorting every published letter with its counts (230 ms at 20,000 letters).
            models.Index(fields=["status", "-date", "-id"], name="letter_status_date_id_idx"),
            # Import finds an already imported text by its fingerprint.
            models.Index(fields=["source_sha256"], name="letter_source_sha256_idx"),
            # The browse page filters published letters by kind (`?kind=`).
            models.Index(fields=["status", "kind"], name="letter_status_kind_idx"),
            # The browse page sorted by number of signatories (`?sort=-signatories`).
            models.Index(fields=["status", "signatory_total"], name="letter_status_total_idx"),
        ]
        constraints = [
            # A public letter lives at a dated address, so it cannot be published without a date.
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(date__isnull=False),
                name="letter_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date or 'undated'})"

    def save(self, *args, **kwargs) -> None:
        # One transaction with the recount its post_save signal runs, as Signature.save: a save of an older copy
        # writes back its older signatory list and revision, which only that recount replaces.
        from letters.rendering import render_markdown

        with transaction.atomic():
            self.body_html = render_markdown(self.body)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "body_html"}
            previous_slug = None
            if self.pk is not None:
                previous_slug = Letter.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            super().save(*args, **kwargs)
            if previous_slug and previous_slug != self.slug:
                # The old address keeps working: it answers 301 to the new one.
                LetterSlug.objects.update_or_create(slug=previous_slug, defaults={"letter": self})
            if connection.vendor == "postgresql":
                Letter.objects.filter(pk=self.pk).update(
                    search_vector=SearchVector("title", weight="A", config="english")
                    + SearchVector("subject", weight="B", config="english")
                    + SearchVector("body", weight="C", config="english")
                )

    def get_absolute_url(self) -> str:
        return reverse(
            "letters:detail",
            kwargs={
                "year": self.date.year,
                "month": f"{self.date.month:02d}",
                "day": f"{self.date.day:02d}",
                "slug": self.slug,
            },
        )


class LetterSlug(models.Model):
    """A slug a letter had before a rename: its old address redirects (301) to the letter."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="old_slugs")
    slug = models.SlugField(max_length=120, unique=True, allow_unicode=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.slug


class Signature(models.Model):
    """One line of a letter's printed signatory list."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="signatures")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="signatures")
    position = models.PositiveIntegerField(help_text="1-based order on the printed list.")
    listed_as = models.CharField(max_length=500, help_text="The name exactly as printed on this letter.")
    member_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="members",
        help_text="The coalition signature this line is listed under.",
    )
    section = models.CharField(
        max_length=300, blank=True, help_text="The heading this line is printed under (a country, 'Individuals')."
    )
    note = models.CharField(max_length=500, blank=True)
    withheld = models.BooleanField(default=False, help_text="Curator-only: never shown on any public surface.")
    added_on = models.DateField(
        null=True, blank=True, help_text="Set when the signature was added after the letter was published."
    )
    retracted_on = models.DateField(
        null=True,
        blank=True,
        help_text="Set when the signatory withdrew: the line stays on the letter, struck through, never deleted.",
    )
    retraction_reason = models.TextField(blank=True, help_text="Shown with the retraction. Needs a retraction date.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["letter", "position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retraction_reason="") | models.Q(retracted_on__isnull=False),
                name="signature_retraction_reason_needs_date",
            ),
            models.UniqueConstraint(fields=["letter", "organization"], name="signature_unique_per_letter"),
            models.UniqueConstraint(fields=["letter", "position"], name="signature_position_unique_per_letter"),
            models.CheckConstraint(condition=models.Q(position__gte=1), name="signature_position_from_one"),
        ]
        indexes = [
            # An organization page lists the letters it signed.
            models.Index(fields=["organization", "letter"], name="signature_org_letter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.listed_as}"

    def save(self, *args, **kwargs) -> None:
        # One transaction with the recount its post_save signal runs (letters.counts), which gives the letter a new
        # revision: committed apart, a line withheld would be public under the letter's old revision, whose stored
        # signatory list (Letter.signatory_list) still shows it, for as long as the recount waited for its lock, or
        # for good if it failed. (A delete is one transaction with its signals already.)
        with transaction.atomic():
            super().save(*args, **kwargs)


class Theme(models.Model):
    """What a demand is about, so demands can be browsed across letters."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Demand(models.Model):
    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="demands")
    position = models.PositiveIntegerField()
    text = models.TextField()
    target = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="demands_received"
    )
    themes = models.ManyToManyField(Theme, blank=True, related_name="demands")

    history = HistoricalRecords()

    class Meta:
        ordering = ["letter", "position"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "position"], name="demand_position_unique_per_letter"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:80]}"


class PublicTotals(models.Model):
    """The archive's public figures for the home and browse pages, in one row (pk 1), recounted by letters.counts
    on every write that can change them, so a page reads them instead of counting 20,000 letters and 200,000
    organizations per request."""

    organizations = models.PositiveIntegerField(default=0)
    # Published letters by year, oldest first: [{"year": 2021, "letters": 12, "signatures": 2400}, ...].
    timeline = models.JSONField(default=list)
    # The browse page's "To:" facet: the public organizations most written to, most first, [{"name", "slug"}, ...].
    addressees = models.JSONField(default=list)
    # The last value handed out to a Letter.signatures_revision; only ever goes up (letters.counts).
    revision = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name_plural = "public totals"

    def __str__(self) -> str:
        return f"{self.organizations} organizations, {len(self.timeline)} years"
