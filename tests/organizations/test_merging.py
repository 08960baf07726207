"""Merging duplicate organizations: everything moves to the survivor, nothing is lost, the old address redirects."""

import datetime

import pytest
from django.db import DatabaseError, connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from letters.models import Demand, Letter, Signature
from organizations import merging
from organizations.merging import (
    MergeError,
    letters_signed_by_several,
    merge_organizations,
    merge_preview,
    signatures_moving,
)
from organizations.models import Alias, DistinctPair, MergeLog, Organization, OrganizationSlug
from tests.conftest import build_letter

Addressee = Letter.addressees.through


def org(name: str, **fields) -> Organization:
    slug = fields.pop("slug", None) or name.lower().replace(" ", "-").replace("(", "").replace(")", "")
    return Organization.objects.create(name=name, slug=slug, **fields)


def sign(letter: Letter, organization: Organization, position: int, listed_as: str | None = None, **fields):
    return Signature.objects.create(
        letter=letter, organization=organization, position=position, listed_as=listed_as or organization.name, **fields
    )


@pytest.fixture
def archive(db):
    """Three records of one group, a letter signed by two of them, addressee links, demands, aliases, a chain."""
    survivor = org("Active Youth (Kalay)", acronym="AYK")
    twin = org("Active Youths (Kalay)")
    third = org("Active Youths Kalaymyo", country="Myanmar")
    other = org("Mandalay Women Strike")
    older = org("Active Youth Kalay Township", merged_into=twin)  # merged into the twin before
    member = org("Kalay Youth Cell", parent=twin)
    one = build_letter(12, slug="first", title="First letter", date=datetime.date(2022, 1, 5))
    two = build_letter(8, slug="second", title="Second letter", date=datetime.date(2022, 3, 5))
    three = build_letter(4, slug="third", title="Third letter", date=datetime.date(2023, 6, 1))
    # The first letter is signed by the survivor (line 20) and its twin (line 15, with two members under it).
    sign(one, survivor, 20, "Active Youth (Kalay)")
    under = sign(one, twin, 15, "Active Youths (Kalay)", note="Printed in bold.")
    Signature.objects.filter(letter=one, position__in=[1, 2]).update(member_of=under)
    sign(two, twin, 9, "Active Youths (Kalay)")
    sign(two, other, 10)
    sign(three, third, 5, "Active Youths Kalaymyo")
    sign(three, survivor, 6)
    one.addressees.add(survivor, twin, other)
    two.addressees.add(third)
    Demand.objects.create(letter=one, position=1, text="Stop the raids.", target=twin)
    Demand.objects.create(letter=two, position=1, text="Release them.", target=third)
    Alias.objects.create(organization=survivor, name="Active Youth Kalay")
    Alias.objects.create(organization=twin, name="Active Youth Kalay")  # the same spelling on both
    Alias.objects.create(organization=twin, name="Active Youths, Kalay")
    Alias.objects.create(organization=third, name="AYK Kalaymyo")
    OrganizationSlug.objects.create(organization=twin, slug="active-youths-kalay-old")
    DistinctPair.record([(twin.pk, other.pk)])
    return {
        "survivor": survivor,
        "twin": twin,
        "third": third,
        "other": other,
        "older": older,
        "member": member,
        "letters": (one, two, three),
    }


def snapshot() -> dict[str, list]:
    """Every row a merge may touch, as plain values."""
    return {
        "organizations": list(Organization.objects.order_by("pk").values()),
        "signatures": list(Signature.objects.order_by("pk").values()),
        "addressees": list(Addressee.objects.order_by("pk").values()),
        "demands": list(Demand.objects.order_by("pk").values()),
        "aliases": list(Alias.objects.order_by("pk").values()),
        "slugs": list(OrganizationSlug.objects.order_by("pk").values()),
        "pairs": list(DistinctPair.objects.order_by("pk").values()),
        "logs": list(MergeLog.objects.order_by("pk").values()),
    }


def names_findable(organization: Organization) -> set[str]:
    """Every name under which the organization can be found: its names, aliases, printed lines and their notes."""
    found = {organization.name, organization.acronym}
    found |= set(Alias.objects.filter(organization=organization).values_list("name", flat=True))
    for listed_as, note in Signature.objects.filter(organization=organization).values_list("listed_as", "note"):
        found.add(listed_as)
        found.add(note)
    return found


def test_merge_moves_everything_and_loses_nothing(archive, admin_user):
    survivor, twin, third = archive["survivor"], archive["twin"], archive["third"]
    group = [survivor, twin, third]
    before = {
        "signatures": Signature.objects.count(),
        "group_signatures": Signature.objects.filter(organization__in=group).count(),
        "letters_signed": Signature.objects.filter(organization__in=group).values("letter").distinct().count(),
        "letters_addressed": Addressee.objects.filter(organization__in=group).values("letter").distinct().count(),
        "addressee_links": Addressee.objects.count(),
        "demands": Demand.objects.count(),
        "demand_targets": Demand.objects.filter(target__in=group).count(),
        "aliases": set(Alias.objects.filter(organization__in=group).values_list("name", flat=True)),
        "printed": set(Signature.objects.filter(organization__in=group).values_list("listed_as", flat=True)),
        "organizations": Organization.objects.count(),
    }

    result = merge_organizations(survivor, [twin, third], user=admin_user)

    # Signatures: one per letter and organization; the two letters signed by two of them lost a line each.
    assert Signature.objects.count() == before["signatures"] - 2
    assert Signature.objects.filter(organization__in=[twin, third]).count() == 0
    assert Signature.objects.filter(organization=survivor).count() == before["group_signatures"] - 2
    assert (
        Signature.objects.filter(organization=survivor).values("letter").distinct().count()
        == (before["letters_signed"])
    )
    # Addressee links: the survivor is an addressee of every letter any of them was; no repeated rows.
    assert Addressee.objects.filter(organization=survivor).count() == before["letters_addressed"]
    assert Addressee.objects.count() == before["addressee_links"] - 1
    assert Addressee.objects.filter(organization__in=[twin, third]).count() == 0
    # Demand targets.
    assert Demand.objects.count() == before["demands"]
    assert Demand.objects.filter(target=survivor).count() == before["demand_targets"]
    # Every alias, every printed name and the duplicates' own names are still found on the survivor.
    findable = names_findable(survivor)
    assert before["aliases"] <= findable
    for printed in before["printed"]:
        assert any(printed in text for text in findable if text), printed
    assert {"Active Youths (Kalay)", "Active Youths Kalaymyo"} <= set(
        Alias.objects.filter(organization=survivor, source=Alias.Source.MERGE).values_list("name", flat=True)
    )
    # No record was deleted; the duplicates, the chain and the member point at the survivor.
    assert Organization.objects.count() == before["organizations"]
    twin.refresh_from_db()
    third.refresh_from_db()
    archive["older"].refresh_from_db()
    archive["member"].refresh_from_db()
    assert twin.merged_into == survivor
    assert third.merged_into == survivor
    assert archive["older"].merged_into == survivor
    assert archive["member"].parent == survivor
    assert OrganizationSlug.objects.get(slug="active-youths-kalay-old").organization == survivor
    assert DistinctPair.objects.filter(
        organization_a=min(survivor, archive["other"], key=lambda o: o.pk),
        organization_b=max(survivor, archive["other"], key=lambda o: o.pk),
    ).exists()
    survivor.refresh_from_db()
    assert survivor.country == "Myanmar"  # a fact only the duplicate had
    assert result.counts["signatures"] == 3
    assert result.counts["signatures_combined"] == 2
    assert result.counts["addressee_links"] == 1
    assert result.counts["addressee_links_combined"] == 1
    assert result.counts["demand_targets"] == 2
    assert result.counts["merged_records"] == 1


def test_preview_counts_what_the_merge_moves_and_writes_nothing(archive):
    survivor, twin, third = archive["survivor"], archive["twin"], archive["third"]
    before = snapshot()

    preview = {p.organization.pk: p for p in merge_preview(survivor, [twin, third])}

    assert snapshot() == before
    assert preview[twin.pk].signatures == 2
    assert preview[twin.pk].letters_signed_by_both == 1
    assert preview[twin.pk].addressee_links == 1
    assert preview[twin.pk].letters_addressed_to_both == 1
    assert preview[twin.pk].demand_targets == 1
    assert preview[twin.pk].aliases == 2
    assert preview[twin.pk].member_organizations == 1
    assert preview[twin.pk].merged_records == 1
    assert preview[third.pk].signatures == 1
    assert preview[third.pk].letters_signed_by_both == 1
    assert preview[third.pk].aliases == 1


def test_letter_signed_by_both_keeps_one_signature_and_both_names(archive):
    survivor, twin = archive["survivor"], archive["twin"]
    first = archive["letters"][0]
    members_before = set(Signature.objects.filter(letter=first, member_of__isnull=False).values_list("pk", flat=True))

    merge_organizations(survivor, [twin], user=None)

    kept = Signature.objects.get(letter=first, organization=survivor)
    assert kept.position == 15  # the earlier line is kept
    assert kept.listed_as == "Active Youths (Kalay)"
    assert "Also printed at position 20 as “Active Youth (Kalay)”." in kept.note
    assert "Printed in bold." in kept.note
    assert not Signature.objects.filter(letter=first, position=20).exists()
    # The coalition members listed under the kept line are still there, still under it.
    members = Signature.objects.filter(letter=first, member_of__isnull=False)
    assert set(members.values_list("pk", flat=True)) == members_before
    assert set(members.values_list("member_of", flat=True)) == {kept.pk}


def test_preview_lists_the_letters_signed_by_several_with_the_line_kept_and_the_note_it_will_get(archive):
    survivor, twin, third = archive["survivor"], archive["twin"], archive["third"]
    one, _, three = archive["letters"]
    before = snapshot()

    shared = letters_signed_by_several([survivor.pk, twin.pk, third.pk])

    assert snapshot() == before
    # Oldest letter first. On the first letter the twin's line 15 comes before the survivor's line 20.
    assert [(letter.letter_id, letter.title) for letter in shared] == [
        (one.pk, "First letter"),
        (three.pk, "Third letter"),
    ]
    first, last = shared
    assert (first.kept.position, first.kept.listed_as, first.kept.organization_id) == (
        15,
        "Active Youths (Kalay)",
        twin.pk,
    )
    assert [(line.position, line.organization_id) for line in first.combined] == [(20, survivor.pk)]
    assert first.combined_note == "Printed in bold. Also printed at position 20 as “Active Youth (Kalay)”."
    assert (first.named, first.named_after, first.named_change) == (14, 13, "14 → 13 named")
    assert (last.kept.position, last.kept.organization_id) == (5, third.pk)
    assert [line.position for line in last.combined] == [6]
    assert (last.named, last.named_after) == (6, 5)


def test_what_the_preview_says_is_what_the_merge_does(archive):
    survivor, duplicates = archive["survivor"], [archive["twin"], archive["third"]]
    previews = merge_preview(survivor, duplicates)
    shared = letters_signed_by_several([survivor.pk, *(org.pk for org in duplicates)])

    result = merge_organizations(survivor, duplicates, user=None)

    assert result.counts["signatures"] == signatures_moving(survivor, previews, shared) == 3
    assert result.counts["signatures_combined"] == sum(len(letter.combined) for letter in shared) == 2
    assert result.counts["letters_with_lines_combined"] == len(shared) == 2
    for letter in shared:
        kept = Signature.objects.get(pk=letter.kept.id)
        assert kept.organization == survivor
        assert kept.note == letter.combined_note
        assert Letter.objects.get(pk=letter.letter_id).named_count == letter.named_after
        assert not Signature.objects.filter(pk__in=[line.id for line in letter.combined]).exists()


def test_a_merge_that_moves_no_signature_says_which_lines_it_combined(db):
    """The issue's case: two printed lines of one letter were two records; the merge made them one signature (371
    named -> 370) and its message said only "0 signatures moved"."""
    survivor, twin = org("Karen National League Japan"), org("Karen National League (Japan)", slug="knl-japan")
    letter = build_letter(369, slug="sham", title="Sham peace dialogue")
    sign(letter, survivor, 370, "Karen National League Japan")
    sign(letter, twin, 371, "Karen National League, Japan")
    Alias.objects.create(organization=twin, name="KNL Japan")
    letter.refresh_from_db()
    assert letter.named_count == 371

    result = merge_organizations(survivor, [twin], user=None)

    letter.refresh_from_db()
    assert letter.named_count == 370
    kept = Signature.objects.get(letter=letter, organization=survivor)
    assert (kept.position, kept.listed_as) == (370, "Karen National League Japan")
    assert kept.note == "Also printed at position 371 as “Karen National League, Japan”."
    assert result.summary == (
        f"Merged 1 record into “Karen National League Japan” (merge log #{result.log.pk}): 0 signatures moved; "
        "1 printed line combined with another line of the same letter, the other printed name kept in its note, on "
        "1 letter (“Sham peace dialogue” 371 → 370 named); 0 addressee links moved; 0 demand targets moved; "
        "1 alias moved and 2 added."
    )
    # Added: the twin's own name, and the spelling of the line combined away.
    assert {"Karen National League (Japan)", "Karen National League, Japan"} <= set(
        Alias.objects.filter(organization=survivor).values_list("name", flat=True)
    )


def test_a_withheld_line_combined_away_leaves_the_named_count_as_it_was(db):
    survivor, twin = org("Secret Cell"), org("Secret Cell Sagaing")
    letter = build_letter(2, slug="l", title="L")
    sign(letter, survivor, 5)
    sign(letter, twin, 3, "Hidden spelling", withheld=True)

    result = merge_organizations(survivor, [twin], user=None)

    assert "(“L” still 3 named)" in result.summary
    assert "Hidden spelling" not in result.summary
    letter.refresh_from_db()
    assert letter.named_count == 3


def test_members_under_the_dropped_line_move_to_the_kept_one(db):
    survivor, twin = org("Youth Network"), org("Youth Network (YN)")
    letter = build_letter(3, slug="l", title="L")
    kept = sign(letter, survivor, 10)
    dropped = sign(letter, twin, 11)
    member = Signature.objects.get(letter=letter, position=1)
    member.member_of = dropped
    member.save()

    merge_organizations(survivor, [twin], user=None)

    member.refresh_from_db()
    assert member.member_of_id == kept.pk
    assert Signature.objects.filter(letter=letter).count() == 4


def test_withheld_spelling_stays_out_of_a_public_note(db):
    survivor, twin = org("Secret Cell"), org("Secret Cell Sagaing")
    letter = build_letter(2, slug="l", title="L")
    sign(letter, survivor, 5)
    sign(letter, twin, 3, "Hidden spelling", withheld=True)

    merge_organizations(survivor, [twin], user=None)

    kept = Signature.objects.get(letter=letter, organization=survivor)
    assert kept.position == 5  # the public line is kept, so the letter still shows the organization
    assert not kept.withheld
    assert "Hidden spelling" not in kept.note
    assert Alias.objects.filter(organization=survivor, name="Hidden spelling", source=Alias.Source.LETTER).exists()


def test_merged_record_redirects_301_to_survivor(client, archive):
    survivor, twin = archive["survivor"], archive["twin"]
    for letter in archive["letters"]:
        assert letter.status == Letter.Status.PUBLISHED

    merge_organizations(survivor, [twin, archive["third"]], user=None)

    for slug in ["active-youths-kalay", "active-youths-kalaymyo", "active-youths-kalay-old"]:
        response = client.get(f"/organizations/{slug}/")
        assert response.status_code == 301, slug
        assert response["Location"] == survivor.get_absolute_url()
    # A record merged into the twin earlier now goes straight to the survivor too: the chain collapsed.
    response = client.get(f"/organizations/{archive['older'].slug}/")
    assert response.status_code == 301
    assert response["Location"] == survivor.get_absolute_url()
    assert client.get(survivor.get_absolute_url()).status_code == 200


def test_merge_is_logged(archive, admin_user):
    survivor, twin, third = archive["survivor"], archive["twin"], archive["third"]

    result = merge_organizations(survivor, [twin, third], user=admin_user)

    log = MergeLog.objects.get()
    assert result.log == log
    assert log.user == admin_user
    assert log.survivor == survivor
    assert log.survivor_name == "Active Youth (Kalay)"
    assert [record["id"] for record in log.merged] == [twin.pk, third.pk]
    assert [record["name"] for record in log.merged] == ["Active Youths (Kalay)", "Active Youths Kalaymyo"]
    assert log.counts == result.counts
    assert log.counts["signatures"] == 3
    assert log.created_at is not None
    # The names stay in the log when the records are renamed later.
    Organization.objects.filter(pk=twin.pk).update(name="Renamed")
    log.refresh_from_db()
    assert log.merged[0]["name"] == "Active Youths (Kalay)"


def test_merge_failing_half_way_changes_nothing(archive, monkeypatch):
    before = snapshot()

    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(merging, "_move_aliases", broken)  # after signatures, addressees and demands moved

    with pytest.raises(DatabaseError):
        merge_organizations(archive["survivor"], [archive["twin"], archive["third"]], user=None)

    assert snapshot() == before


def test_cannot_merge_into_itself(archive):
    survivor = archive["survivor"]
    before = snapshot()

    with pytest.raises(MergeError, match="itself"):
        merge_organizations(survivor, [survivor], user=None)
    with pytest.raises(MergeError, match="itself"):
        merge_organizations(survivor, [archive["twin"], survivor], user=None)

    assert snapshot() == before


def test_cannot_merge_into_a_merged_record_or_merge_one_twice(archive):
    older = archive["older"]  # merged into the twin already
    before = snapshot()

    with pytest.raises(MergeError, match="already merged into"):
        merge_organizations(older, [archive["third"]], user=None)
    with pytest.raises(MergeError, match="Already merged"):
        merge_organizations(archive["survivor"], [older], user=None)
    with pytest.raises(MergeError, match="at least one"):
        merge_organizations(archive["survivor"], [], user=None)

    assert snapshot() == before


def test_cannot_merge_into_one_of_its_duplicates_after_a_merge(archive):
    survivor, twin = archive["survivor"], archive["twin"]
    merge_organizations(survivor, [twin], user=None)

    with pytest.raises(MergeError, match="already merged into"):
        merge_organizations(twin, [survivor], user=None)


def test_chains_collapse_to_the_survivor(db):
    a, b, c, d = (org(name) for name in ["Alpha Group", "Alpha Group 2", "Alpha Group 3", "Alpha Group 4"])
    merge_organizations(c, [d], user=None)
    merge_organizations(b, [c], user=None)
    merge_organizations(a, [b], user=None)

    assert set(Organization.objects.filter(merged_into=a).values_list("name", flat=True)) == {
        "Alpha Group 2",
        "Alpha Group 3",
        "Alpha Group 4",
    }
    assert not Organization.objects.filter(merged_into__merged_into__isnull=False).exists()
    assert {"Alpha Group 2", "Alpha Group 3", "Alpha Group 4"} <= set(
        Alias.objects.filter(organization=a).values_list("name", flat=True)
    )


def test_a_survivor_that_was_a_member_of_its_duplicate_is_no_longer_its_own_member(db):
    coalition = org("Youth Coalition")
    survivor = org("Youth Coalition Myanmar", parent=coalition)

    merge_organizations(survivor, [coalition], user=None)

    survivor.refresh_from_db()
    assert survivor.parent is None


def test_not_the_same_within_the_merge_is_overruled(db):
    a, b = org("Same One"), org("Same One (Yangon)")
    DistinctPair.record([(a.pk, b.pk)])

    merge_organizations(a, [b], user=None)

    assert not DistinctPair.objects.filter(Q(organization_a=a) | Q(organization_b=a)).exists()


def queries_to_merge(duplicates: int, letters: int) -> int:
    """Queries a merge runs when each duplicate signed `letters` letters of its own and shares aliases and links."""
    survivor = org(f"Survivor {duplicates}")
    records = [org(f"Duplicate {duplicates}-{n}") for n in range(duplicates)]
    for k, record in enumerate(records):
        for n in range(letters):
            tag = f"{duplicates}-{k}-{n}"
            letter = build_letter(1, slug=f"l{tag}", title=f"L{tag}", org_prefix=f"p{tag}")
            sign(letter, record, 10)
            Alias.objects.create(organization=record, name=f"Alias {tag}")
            letter.addressees.add(record)
    with CaptureQueriesContext(connection) as queries:
        merge_organizations(survivor, records, user=None)
    assert Signature.objects.filter(organization=survivor).count() == duplicates * letters
    return len(queries)


def test_merge_runs_the_same_queries_whatever_it_moves(db):
    # Bulk updates: moving 1 or 60 signatures, aliases and addressee links costs the same. (A signature the merge
    # combines on a letter signed by both is deleted with its history row written, one insert per such line.)
    assert queries_to_merge(1, 1) == queries_to_merge(6, 10)


def test_a_duplicate_known_only_from_withheld_lines_does_not_become_public(client, db):
    survivor = org("Sagaing Youth Network")
    secret = org("Sagaing Youth Network Underground Cell")
    letter = build_letter(2, slug="l", title="L")
    sign(letter, survivor, 5)
    sign(letter, secret, 6, withheld=True)

    merge_organizations(survivor, [secret], user=None)

    alias = Alias.objects.get(organization=survivor, name=secret.name)
    assert alias.source == Alias.Source.LETTER  # public pages show such an alias only where a public line prints it
    assert "Underground" not in client.get(survivor.get_absolute_url()).content.decode()
    # Its old address must not confirm, by a redirect, that a record of that name ever existed.
    assert client.get(f"/organizations/{secret.slug}/").status_code == 404
    secret.refresh_from_db()
    assert secret.slug == f"merged-{secret.pk}"
    assert secret.merged_into == survivor


def test_a_private_duplicates_curator_names_stay_private_after_a_merge(client, db):
    survivor = org("Sagaing Youth Network")
    secret = org("Sagaing Youth Underground Cell")
    Alias.objects.create(organization=secret, name="SYUC secret acronym", source=Alias.Source.ACRONYM)
    Alias.objects.create(organization=secret, name="Qq private curator name", source=Alias.Source.CURATOR)
    letter = build_letter(2, slug="l", title="L")
    sign(letter, survivor, 5)
    sign(letter, secret, 6, withheld=True)

    merge_organizations(survivor, [secret], user=None)

    page = client.get(survivor.get_absolute_url()).content.decode()
    assert "SYUC secret acronym" not in page
    assert "Qq private curator name" not in page
    assert survivor.slug not in client.get("/organizations/?q=Qq+private+curator").content.decode()
    # The opaque address of the merged private record answers 404 too, not a 301 to the survivor.
    secret.refresh_from_db()
    assert client.get(f"/organizations/{secret.slug}/").status_code == 404
