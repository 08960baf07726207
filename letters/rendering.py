"""Letter bodies: Markdown rendered by markdown-it-py, then sanitised by nh3 (Ammonia), once when a letter is
saved (`Letter.body_html`), never per request. And the HTML of the public pages' long or frequent lists
(signatories, rows of letters and organizations), built in Python: through the template engine they were most of
each page's cost. Every text they print goes through html.escape, as the templates' autoescape would.
"""

import json
from functools import lru_cache
from html import escape

import nh3
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

from letters.listing import letter_urls
from letters.totals import count_phrase, letter_totals

# CommonMark without raw HTML: anything that looks like a tag is shown as text.
_markdown = MarkdownIt("commonmark", {"html": False, "typographer": False})

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "abbr": {"title"}}
URL_SCHEMES = {"http", "https", "mailto"}


def _drop_placeholder_links(tokens: list[Token]) -> None:
    """`[text](#)` marks a link the source had but the text lost: keep the words, drop the dead link."""
    for token in tokens:
        if token.children:
            _drop_placeholder_links(token.children)
    depth_dropped: list[bool] = []
    kept: list[Token] = []
    for token in tokens:
        if token.type == "link_open":
            href = (token.attrGet("href") or "").strip()
            dead = href in ("", "#")
            depth_dropped.append(dead)
            if dead:
                continue
        elif token.type == "link_close" and depth_dropped and depth_dropped.pop():
            continue
        kept.append(token)
    tokens[:] = kept


def render_markdown(text: str) -> str:
    """Safe HTML for a letter body written in Markdown."""
    if not text.strip():
        return ""
    env: dict = {}
    tokens = _markdown.parse(text, env)
    _drop_placeholder_links(tokens)
    for token in tokens:
        # The page's title is its only h1: a body's headings start one level down.
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    html = _markdown.renderer.render(tokens, _markdown.options, env)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )


def _bibtex_escape(text: str) -> str:
    text = text.replace("\\", "").replace("{", "").replace("}", "")
    for char in "&%$#_":
        text = text.replace(char, "\\" + char)
    return text


def citations(letter, url: str) -> dict[str, str]:
    """How to cite a letter: plain text, BibTeX and CSL-JSON, all from its public fields."""
    kind = letter.get_kind_display()
    date = letter.date
    plain = f"“{letter.title}.” {kind}, {date.day} {date:%B %Y}. Letters archive. {url}"
    key = f"{letter.slug[:40]}-{date.year}".replace(" ", "-")
    month = date.strftime("%b").lower()
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  title = {{{{{_bibtex_escape(letter.title)}}}}},",
            f"  year = {{{date.year}}},",
            f"  month = {month},",
            f"  date = {{{date.isoformat()}}},",
            f"  note = {{{kind}}},",
            f"  howpublished = {{\\url{{{url}}}}},",
            f"  url = {{{url}}}",
            "}",
        ]
    )
    csl = json.dumps(
        [
            {
                "id": key,
                "type": "document",
                "genre": kind,
                "title": letter.title,
                "issued": {"date-parts": [[date.year, date.month, date.day]]},
                "URL": url,
                "archive": "Letters archive",
            }
        ],
        ensure_ascii=False,
        indent=2,
    )
    return {"plain": plain, "bibtex": bibtex, "csl": csl}


def year_bars(rows: list[dict], *, noun: str, height: int = 80, bar: int = 28, gap: int = 8) -> dict:
    """Geometry of a small server-rendered SVG bar chart of counts by year (`rows`: year and count)."""
    counts = {row["year"]: row["count"] for row in rows if row["year"] is not None}
    if not counts:
        return {"bars": [], "width": 0, "height": 0}
    years = range(min(counts), max(counts) + 1)
    peak = max(counts.values())
    bars = []
    for index, year in enumerate(years):
        count = counts.get(year, 0)
        tall = round(height * count / peak) if count else 0
        bars.append(
            {
                "year": year,
                "count": count,
                "x": index * (bar + gap),
                "y": 16 + height - tall,
                "height": tall,
                "label": f"{year}: {count} {noun}{'' if count == 1 else 's'}",
                "text_x": index * (bar + gap) + bar // 2,
            }
        )
    return {
        "bars": bars,
        "width": len(bars) * (bar + gap) - gap,
        "height": height + 16 + 18,
        "bar": bar,
        "base": height + 16,
        "label_y": height + 16 + 14,
        "summary": ", ".join(b["label"] for b in bars),
    }


def timeline_figure(rows: list[dict], *, noun: str, id: str, caption: str) -> SafeString:
    """The bar chart of `year_bars(rows)` as an SVG figure, with a title for screen readers and one per bar."""
    chart = year_bars(rows, noun=noun)
    if not chart["bars"]:
        return mark_safe("\n")
    width, height, label_y = chart["width"], chart["height"], chart["label_y"]
    bars = []
    for bar in chart["bars"]:
        count = f'<text x="{bar["text_x"]}" y="{bar["y"] - 4}">{bar["count"]}</text>' if bar["count"] else ""
        bars.append(
            f'<g><title>{escape(bar["label"])}</title><rect x="{bar["x"]}" y="{bar["y"]}" width="{chart["bar"]}" '
            f'height="{bar["height"]}"></rect>{count}<text x="{bar["text_x"]}" y="{label_y}">{bar["year"]}</text></g>'
        )
    return mark_safe(
        f'<figure class="timeline"><svg role="img" aria-labelledby="{escape(id)}-t" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><title id="{escape(id)}-t">{escape(caption)}: {escape(chart["summary"])}'
        f'</title>{"".join(bars)}<line x1="0" x2="{width}" y1="{chart["base"]}" y2="{chart["base"]}"></line></svg>'
        f"<figcaption>{escape(caption)}</figcaption></figure>\n"
    )  # every text above went through escape(); the rest are numbers


def _link(url: str, text: str) -> str:
    # html.escape is what django.utils.html.escape calls, without its lazy-string wrapper (3 ms of 600 lines).
    return f'<a href="{escape(url)}">{escape(text)}</a>'


@lru_cache(maxsize=8192)
def _time(day) -> str:
    """A date as every list shows it, formatted once a process: the month name's lookups cost ~10 µs a date, 0.2-0.5
    ms of a list page's 20-50 rows. The archive's letters fall on a few thousand days. In English, the interface's
    only language (settings.USE_I18N): with more, key this by get_language() too."""
    return f'<time datetime="{day:%Y-%m-%d}">{date_format(day, "j F Y")}</time>'


def letter_items(letters, *, empty: str) -> SafeString:
    """The `<li>` rows of a list of letters (home, /letters/): title, date, kind, signatory count, addressees.

    `letters` carry their stored `addressee_names`. Built here rather than by a template
    loop: through the template engine 20 rows cost 2.4 ms, most of the browse page's rendering; the page is rendered
    for every search.
    """
    if not letters:
        return mark_safe(f"<li>{escape(empty)}</li>")
    items = []
    letter_url = letter_urls()
    for letter in letters:
        meta = f"{_time(letter.date)} · {escape(letter.get_kind_display())}"
        totals = letter_totals(letter)
        if totals.total:
            meta += f" · {count_phrase(totals)}"
        addressees = [escape(name) for name in letter.addressee_names]
        if addressees:
            meta += f"<br>To {'; '.join(addressees)}"
        items.append(
            f'<li><h3>{_link(letter_url(letter.date, letter.slug), letter.title)}</h3>\n<p class="meta">{meta}</p></li>\n'
        )
    return mark_safe("".join(items))  # every piece of text above went through escape() or is a number


def organization_items(organizations, organization_url, *, empty: str) -> SafeString:
    """The `<li>` rows of /organizations/: name, acronym, kind, letters signed. `organization_url`: slug -> address
    (listing.slug_urls). Built here for the reason letter_items is: 60 rows through the template cost ~3 ms."""
    if not organizations:
        return mark_safe(f"<li>{escape(empty)}</li>")
    items = []
    for organization in organizations:
        name = _link(organization_url(organization.slug), organization.name)
        if organization.acronym and organization.acronym != organization.name:
            name += f" ({escape(organization.acronym)})"
        meta = escape(organization.get_kind_display())
        if organization.letters_signed:
            meta += f" · signed {organization.letters_signed}"
        items.append(f'<li>{name} <span class="meta">{meta}</span></li>')
    return mark_safe("".join(items))  # every piece of text above went through escape() or is a number


def facet_line(choices, *, remove_url: str, remove_label: str) -> SafeString:
    """A line of a list's facets (kind, addressee, year): each choice (label, url, chosen) a link, the chosen one in
    bold with a link that removes it. Built here rather than by a template loop: the browse page's three facet loops
    cost ~0.7 ms a page through the template engine."""
    parts = []
    for label, url, chosen in choices:
        if chosen:
            remove = f'<a href="{escape(remove_url)}" aria-label="{escape(remove_label)}">×</a>'
            parts.append(f"<strong>{escape(label)}</strong> {remove}")
        else:
            parts.append(_link(url, label))
    return mark_safe(" · ".join(parts))  # every piece of text above went through escape()


def initial_line(choices, *, all_url: str | None) -> SafeString:
    """The A-Z line of /organizations/: each initial (initial, url, chosen) a link, the chosen one marked current,
    then "All" (`all_url`) when the list is narrowed by an initial. Built here for the reason facet_line is."""
    parts = [
        f'<strong aria-current="true">{escape(initial)}</strong> ' if chosen else f"{_link(url, initial)} "
        for initial, url, chosen in choices
    ]
    if all_url:
        parts.append(_link(all_url, "All"))
    return mark_safe("".join(parts))  # every piece of text above went through escape()


def letter_link_items(letters, note) -> SafeString:
    """`<li>` rows linking to letters, each with its date and `note(letter)` (text, escaped here): an organization's
    letters signed and letters addressed to it. Built here for the reason letter_items is."""
    items = []
    letter_url = letter_urls()
    for letter in letters:
        link = _link(letter_url(letter.date, letter.slug), letter.title)
        items.append(f'<li>{link} <span class="meta">{_time(letter.date)} · {escape(note(letter))}</span></li>')
    return mark_safe("".join(items))  # every piece of text above went through escape() or is a date


def _signatory_item(signature) -> str:
    name = _link(signature.organization_url, signature.listed_as)
    if signature.retracted_on:
        reason = f": {escape(signature.retraction_reason)}" if signature.retraction_reason else ""
        name = f'<del>{name}</del> <span class="retracted">retracted {_time(signature.retracted_on)}{reason}</span>'
    if signature.added_on:
        name += f' <span class="added">added {_time(signature.added_on)}</span>'
    return name


def signatory_items(signatories) -> SafeString:
    """The `<li>` items of a letter's signatory list (`letters.signatory_list.signatory_tree`), coalition members nested.

    Built here rather than by a template include per line: for a 600-line list the include cost ~30 ms of the
    page's ~35 ms, which under load decides how fast the largest letter answers; this costs a few ms.
    """
    items = []
    for top in signatories:
        members = "".join(f"<li>{_signatory_item(member)}</li>" for member in top.members_listed)
        items.append(f"<li>{_signatory_item(top)}{f'<ol>{members}</ol>' if members else ''}</li>\n")
    return mark_safe("".join(items))  # every piece of text above went through escape()
