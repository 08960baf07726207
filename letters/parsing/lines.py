"""What one line of a letter is: a list entry and its marker, a heading, a salutation, a footer, prose."""

from __future__ import annotations

import re
from dataclasses import dataclass

from letters.parsing.text import collapse, letter_count, word_count

# A list entry: optional bullet, optional printed number ("12." "12)" "(12)" "12 -"), then the text.
# "o" counts as a bullet only before a space: OCR turns the round sub-list bullet into a letter o.
# "12 - Name" needs spaces on both sides of the dash, so "8888 Generation" and "5-1 Honmura" keep their digits.
ENTRY = re.compile(
    r"^(?P<indent>[ \t\u00a0]*)"
    r"(?:(?P<bullet>[-–—•*·◦▪●○►»✓]|o(?=\s))\s*)?"
    r"(?:(?P<number>\d{1,4})\s*[.)]\s+|\((?P<pnumber>\d{1,4})\)\s*|(?P<dnumber>\d{1,3})\s*[-–—]\s+(?=\S))?"
    r"(?P<text>.*)$"
)

SALUTATION = re.compile(
    r"^(?:dear\b|your\s+(?:excellenc|majest|honou?r)|excellenc|to\s+whom\s+it\s+may|mr\.?\s+president|madam)",
    re.I,
)
CLOSING = re.compile(
    r"^(?:(?:yours\s+)?(?:sincerely|faithfully|truly)|(?:with\s+)?(?:kind\s+|best\s+)?regards|respectfully"
    r"|in\s+solidarity|with\s+solidarity|thank\s+you|signed|atenciosamente|cordialmente|atentamente|saludos"
    r"|mit\s+freundlichen\s+gr[üu](?:ß|ss)en|cordialement)\b[\s,.!]*(?:yours)?[\s,.]*$",
    re.I,
)
TO_LINE = re.compile(
    r"^(?:to|para|an|à)(?:\s*:|\s+[\-–])\s*(?P<rest>.+)$|^(?:to|para|an|à)\s*:?\s*$(?P<block>)|^to\s+(?P<rest2>(?:the\s+)?[A-Z].+)$",
    re.I,
)
# "Cc:" names people and bodies sent a copy: they are not the letter's addressees.
# A dash counts only between spaces: "Copy-Me" is an organization.
CC_LINE = re.compile(
    r"^(?:b?cc|c/c|copy(?:\s+to)?|copied\s+to)(?:\s*[:.]|\s+[\-–])\s*(?P<rest>.+)$"
    r"|^(?:b?cc|c/c|copy\s+to|copied\s+to)\s*:?\s*$(?P<block>)",
    re.I,
)
# Markup a pasted page may carry: "{{< figure src=... >}}", "<div ...>", "![logo](/img/logo.png)".
MARKUP_LINE = re.compile(r"^(?:\{\{.*\}\}|\{%.*%\}|<.*>|!\[[^\]]*\]\([^)]*\))\s*$")
SUBJECT_LINE = re.compile(
    r"^(?:re|subject|subj|regarding|assunto|asunto|betreff|objet)(?:\s*:|\s+[\-–])\s*(?P<rest>.+)$", re.I
)
URL_OR_EMAIL = re.compile(r"https?://|www\.|mailto:|\b[\w.+-]+@[\w-]+\.[\w.]+\b", re.I)
FOOTER = re.compile(
    r"^(?:for\s+(?:more|further)\s+information|more\s+information\b|media\s+(?:contacts?|enquiries|inquiries)"
    r"|press\s+(?:contacts?|enquiries|inquiries)|contacts?\s*(?:information|details|persons?)?\s*:"
    r"|notes?\s+(?:to|for)\s+(?:the\s+)?editors?|about\s+(?:us\b|the\s+)|#{3,}|-+\s*ends?\s*-+\s*$|ends\s*$"
    r"|read\s+more\b|background\s*:|(?:foot|end)?notes\s*:?\s*$|references\s*:?\s*$|sources\s*:?\s*$"
    r"|(?:attachments?|annex(?:e|es)?|appendix|anexo|anexos|anhang)\b\s*[\dA-Z]?\s*:?\s*$"
    r"|contact(?:o|os|s)?\s+(?:para|pour|for)\b|para\s+(?:mayor|m[aá]s)\s+informaci[oó]n|m[aá]s\s+informaci[oó]n"
    r"|mais\s+informa[cç][oõ]es|contatos?\s*:|weitere\s+informationen|pour\s+plus\s+d'informations|kontakt\s*:"
    r"|--\s*$)",  # an e-mail signature follows "-- "
    re.I,
)
# A footnote printed after the list: "[1] Human Rights Council resolution 51/6", "^2 See ...", "¹ Report ...".
FOOTNOTE = re.compile(r"^(?:\[\d{1,3}\]|\^\d{1,3}|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s*\S")
SIGNATORY_HEADING = re.compile(
    r"^(?:(?:list\s+of\s+)?(?:the\s+)?(?:(?:existing|current|all|initial)\s+)?(?:signatories|signatory\s+(?:organi[sz]ations|list)|co-?signatories"
    r"|endorsers|endorsements|signatures)\b"
    r"|(?:co-?)?signed(?:\s+by)?\b(?!\s+(?:into|off)\b)"
    r"|endorsed\s+by\b"
    r"|(?:endorsing|supporting|participating|signing|signatory)\s+(?:organi[sz]ations|groups|members)\b"
    r"|(?:organi[sz]ational|individual|institutional)\s+(?:signatories|endorsements)\b"
    r"|this\s+(?:letter|statement)\s+(?:is|was|has\s+been)\s+(?:signed|endorsed)\b"
    r"|(?:the\s+)?undersigned(?:\s+(?:organi[sz]ations|groups|individuals))?\s*:?\s*$"
    # "Unpublic (86) Organizations endorsed", "(430) organisations signed"
    r"|[^\W\d_]*\s*\(?\d[\d,]*\)?\s+(?:[\w-]+\s+){0,3}?(?:organi[sz]ations|signatories|groups)\s+(?:endorsed|signed)"
    r"\s*:?\s*$"
    # "Selected signatories:", "Initial signatories"
    r"|(?:selected|initial|first|additional|full\s+list\s+of|current)\s+(?:signatories|signers|endorsers)\b"
    # "The founders of the following 457 start-up companies.", "On behalf of the following organisations:"
    r"|(?:[\w-]+\s+){0,5}?the\s+following\s+(?:\d[\d,]*\s+)?(?:[\w-]+\s+){0,3}?(?:organi[sz]ations|companies"
    r"|groups|individuals|signatories|entities|networks|unions)\b[^.:]{0,40}[.:,]\s*$"
    # Spanish, Portuguese, German, French: "Firman:", "Suscriben:", "Adhieren:", "Assinam a carta:",
    # "Abaixo assinamos:", "Unterzeichnende:", "Signataires :"
    r"|(?:firman|firmantes|suscriben|adhieren|adhesiones|convocan|apoyan|assinam|assinaturas|assinantes|subscrevem"
    r"|abaixo[- ]assinad[oa]s|abaixo[- ]assinamos|entidades\s+signat[aá]rias|organizaciones\s+firmantes"
    r"|unterzeichnende|unterzeichner(?:innen)?|erstunterzeichner(?:innen)?|unterzeichnet\s+von|signataires"
    r"|sign[ée]\s+par|les\s+signataires)\b)",
    re.I,
)
# The first signatory named in the line that introduces the others: "Campanha Permanente Contra os Agrotóxicos e
# Pela Vida e as entidades abaixo-assinadas:", "Access Now and the undersigned organisations:".
LEAD_SIGNATORY = re.compile(
    r"^(?P<lead>[^\W\d_].{2,150}?),?\s+(?:e|y|and|und|et)\s+(?:as|os|las|los|the|die|les)?\s*"
    r"(?:(?:entidades|organiza[cç](?:iones|ões)|organi[sz]ations|groups|organisationen|organismes)\s+)?"
    r"(?:abaixo[- ]assinad[oa]s|abajo\s+firmantes|firmantes|undersigned|signatories|below|unterzeichnenden"
    r"|soussign[ée]e?s)(?:\s+(?:organi[sz]ations|groups|entities))?\s*:\s*$",
    re.I,
)
# Sub-headings inside a signatory list ("Organizations:", "Individuals", "International organisations:").
# Without a colon only the bare plural forms count: "Grass-root People" is a signatory, not a heading.
# "Regional and international organizations", "National organisations", "Civil society organizations":
# qualifiers joined by "and", "&" or commas. A bare plural without such a qualifier must end with a colon.
HEADING_QUALIFIER = (
    r"(?:international|regional|national|local|global|other|individual|organi[sz]ational|institutional|grassroots"
    r"|civil\s+society|community[- ]based|faith[- ]based|diaspora|non-governmental|youth|women'?s|student|religious)"
)
CATEGORY_HEADING = re.compile(
    r"^(?:(?:[A-Z][\w-]*\s+){0,3}?(?:organi[sz]ations|individuals|signatories|groups|networks|members|endorsers"
    r"|supporters|academics|experts|parliamentarians|people|persons|institutions|unions|coalitions)"
    r"(?:\s+(?:from|in|based\s+in|outside(?:\s+of)?)\s+[^:]{1,40})?(?:\s+\([^)]*\))?\s*:"
    r"|(?:" + HEADING_QUALIFIER + r"(?:\s*(?:,|and|&)\s*" + HEADING_QUALIFIER + r")*\s+)?"
    r"(?:organi[sz]ations|individuals|signatories|endorsements|groups|ngos|csos)(?:\s+\(\d+\))?\s*)$",
    re.I,
)
# Countries, territories and regions, for the headings that group a list by where signatories are based
# ("Myanmar:", "Thailand", "Regional and international:") and for a country printed after a name
# ("Access Now, International"). A line that is only one of these is never an organization's name.
PLACE_NAMES = frozenset(
    name.casefold()
    for name in re.split(
        r"\s*[|\n]\s*",
        """
Afghanistan | Albania | Algeria | Andorra | Angola | Argentina | Armenia | Australia | Austria | Azerbaijan
Bahamas | Bahrain | Bangladesh | Barbados | Belarus | Belgium | Belize | Benin | Bhutan | Bolivia
Bosnia and Herzegovina | Botswana | Brazil | Brunei | Bulgaria | Burkina Faso | Burma | Burundi | Cambodia
Cameroon | Canada | Cape Verde | Central African Republic | Chad | Chile | China | Colombia | Comoros | Congo
Costa Rica | Côte d'Ivoire | Croatia | Cuba | Cyprus | Czech Republic | Czechia
Democratic Republic of the Congo | DRC | Denmark | Djibouti | Dominican Republic | Ecuador | Egypt
El Salvador | Eritrea | Estonia | Eswatini | Ethiopia | Fiji | Finland | France | Gabon | Gambia | Georgia
Germany | Ghana | Greece | Guatemala | Guinea | Guyana | Haiti | Honduras | Hong Kong | Hungary | Iceland
India | Indonesia | Iran | Iraq | Ireland | Israel | Italy | Jamaica | Japan | Jordan | Kazakhstan | Kenya
Korea | South Korea | Republic of Korea | Kosovo | Kuwait | Kyrgyzstan | Laos | Lao PDR | Latvia | Lebanon
Lesotho | Liberia | Libya | Liechtenstein | Lithuania | Luxembourg | Madagascar | Malawi | Malaysia | Maldives
Mali | Malta | Mauritania | Mauritius | Mexico | México | Moldova | Monaco | Mongolia | Montenegro | Morocco
Mozambique | Myanmar | Myanmar/Burma | Burma/Myanmar | Namibia | Nepal | Netherlands | New Zealand | Nicaragua
Niger | Nigeria | North Macedonia | Norway | Oman | Pakistan | Palestine | Panama | Papua New Guinea
Paraguay | Peru | Perú | Philippines | Poland | Portugal | Qatar | Romania | Russia | Rwanda | Saudi Arabia
Senegal | Serbia | Sierra Leone | Singapore | Slovakia | Slovenia | Solomon Islands | Somalia | South Africa
South Sudan | Spain | España | Sri Lanka | Sudan | Suriname | Sweden | Switzerland | Syria | Taiwan
Tajikistan | Tanzania | Thailand | Timor-Leste | East Timor | Togo | Tonga | Tunisia | Turkey | Türkiye
Turkmenistan | Uganda | Ukraine | United Arab Emirates | UAE | United Kingdom | UK | United States
United States of America | USA | US | Uruguay | Uzbekistan | Vanuatu | Venezuela | Vietnam | Viet Nam | Yemen
Zambia | Zimbabwe | Scotland | England | Wales | Tibet | West Papua | International | Regional | Global
Worldwide | Asia | Africa | Europe | Oceania | Americas | Latin America | Caribbean | Middle East
North America | South America | Central America | South Asia | Southeast Asia | South-East Asia | East Asia
Central Asia | Asia Pacific | Asia-Pacific | Pacific | MENA | Diaspora | Regional and international
Regional/International | International/Regional
""".strip(),
    )
)
PLACE_HEADING = re.compile(r"^(?P<place>[^\W\d_][\w'’ /.-]{1,40}?)\s*(?:\(\d+\))?\s*:?\s*$")


def is_place(text: str) -> bool:
    return collapse(text).casefold() in PLACE_NAMES


def is_place_heading(text: str) -> bool:
    """A line that only names a country or region ("Myanmar:", "Thailand", "Asia Pacific (12)")."""
    match = PLACE_HEADING.match(text)
    return bool(match) and is_place(match["place"])


INDIVIDUALS_HEADING = re.compile(
    r"\b(?:individuals|individual\s+names?|persons|people|academics|experts|parliamentarians|personas|pessoas"
    r"|personalidades|individuos|indiv[ií]duos|einzelpersonen|personnes|personalities)\b",
    re.I,
)

# The words a heading that names a kind of signatory is made of, in the letters' languages: "COMPANIES AND
# ORGANIZATIONS", "ASAMBLEAS, ONGs Y OTRAS INSTITUCIONES", "--- ENTIDADES ---", "Organisation Name", "Individuals*".
CATEGORY_NOUNS = frozenset(
    [
        "organizations",
        "organisations",
        "organization",
        "organisation",
        "organizaciones",
        "organizaciónes",
        "organizações",
        "organisationen",
        "companies",
        "company",
        "businesses",
        "business",
        "empresas",
        "entreprises",
        "unternehmen",
        "firms",
        "startups",
        "start-ups",
        "individuals",
        "individual",
        "personas",
        "pessoas",
        "personalidades",
        "personalities",
        "people",
        "persons",
        "personnes",
        "einzelpersonen",
        "individuos",
        "indivíduos",
        "entidades",
        "entities",
        "entités",
        "institutions",
        "instituciones",
        "instituições",
        "institutionen",
        "asambleas",
        "ngos",
        "ongs",
        "csos",
        "cso",
        "ngo",
        "groups",
        "grupos",
        "gruppen",
        "groupes",
        "networks",
        "redes",
        "netzwerke",
        "réseaux",
        "unions",
        "sindicatos",
        "gewerkschaften",
        "syndicats",
        "movements",
        "movimientos",
        "movimentos",
        "bewegungen",
        "mouvements",
        "academics",
        "académicos",
        "acadêmicos",
        "experts",
        "expertos",
        "supporters",
        "apoiadores",
        "adherentes",
        "adhérents",
        "endorsers",
        "signatories",
        "signatarios",
        "signatários",
        "firmantes",
        "signataires",
        "unterzeichnende",
        "members",
        "miembros",
        "membros",
        "mitglieder",
        "coalitions",
        "coaliciones",
        "coalizões",
        "collectives",
        "colectivos",
        "coletivos",
        "parliamentarians",
        "parlamentarios",
        "associations",
        "asociaciones",
        "associações",
        "vereine",
        "foundations",
        "fundaciones",
        "fundações",
        "scholars",
        "researchers",
        "lawyers",
        "journalists",
    ]
)
CATEGORY_FILLERS = frozenset(
    [
        "and",
        "y",
        "e",
        "et",
        "und",
        "&",
        "of",
        "de",
        "do",
        "da",
        "dos",
        "das",
        "des",
        "del",
        "from",
        "in",
        "en",
        "em",
        "aus",
        "other",
        "others",
        "otras",
        "otros",
        "outras",
        "outros",
        "autres",
        "andere",
        "weitere",
        "name",
        "names",
        "nombre",
        "nombres",
        "nome",
        "nomes",
        "civil",
        "society",
        "sociedad",
        "sociedade",
        "civile",
        "zivilgesellschaft",
        "international",
        "internacional",
        "internacionales",
        "internacionais",
        "internationale",
        "regional",
        "regionales",
        "regionais",
        "local",
        "locales",
        "locais",
        "national",
        "nacional",
        "nacionales",
        "nacionais",
        "nationale",
        "global",
        "grassroots",
        "community-based",
        "faith-based",
        "non-governmental",
        "youth",
        "women's",
        "student",
        "religious",
        "the",
        "las",
        "los",
        "as",
        "os",
        "les",
        "die",
        "der",
        "la",
        "el",
        "o",
        "a",
        "organizational",
        "organisational",
        "institutional",
        "individual",
    ]
)
CATEGORY_WORD = re.compile(r"[^\W\d_][\w'&-]*|&")


def is_category_heading(text: str) -> bool:
    """A short line made only of words that name kinds of signatories ("Companies and organizations",
    "ASAMBLEAS, ONGs Y OTRAS INSTITUCIONES", "Organisation Name", "Individuals*", "--- ENTIDADES ---")."""
    words = [w.casefold() for w in CATEGORY_WORD.findall(text)]
    if not words or len(words) > 8 or re.search(r"\d", text):
        return False
    return any(w in CATEGORY_NOUNS for w in words) and all(w in CATEGORY_NOUNS or w in CATEGORY_FILLERS for w in words)


# Words that mark a printed name as a person's: honorifics, including Burmese (U, Daw, Ko, Ma, Naw, Saw).
HONORIFIC = re.compile(
    r"^(?:dr|prof|professor|mr|mrs|ms|miss|mx|rev|revd|fr|sr|hon|h\.\s?e|sir|dame|lord|lady|baroness|senator"
    r"|sen|rep|ven|venerable|bishop|archbishop|cardinal|imam|rabbi|pastor|father|sister|u|daw|ko|ma|naw|saw)"
    r"\.?\s+\S",
    re.I,
)
HONORIFIC_PREFIX = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|mx|rev|hon|sir|dame)\.?\s+", re.I)
PERSON_SUFFIX = re.compile(r"\((?:mr|mrs|ms|dr|prof)\.?\)\s*$", re.I)
# A line that gives a person's role, printed under or after the name ("Professor, University X").
TITLE_WORDS = re.compile(
    r"^(?:professor|associate\s+professor|assistant\s+professor|lecturer|senior\s+lecturer|researcher|director"
    r"|executive\s+director|managing\s+director|founder|co-founder|chair(?:man|woman|person)?|president"
    r"|vice[- ]president|secretary|coordinator|ceo|editor|journalist|lawyer|attorney|advocate|former|retired"
    r"|member\s+of|mp\b|senator|head\s+of|fellow|phd|student|activist|author|writer)\b",
    re.I,
)
ORGANIZATION_WORDS = re.compile(
    r"\b(?:organi[sz]ations?|network|union|association|committee|council|community|communities|group|foundation"
    r"|cent(?:er|re)|campaign|alliance|coalition|federation|society|institute|league|forum|movement|project"
    r"|strike|party|initiative|front|fund|watch|trust|club|team|church|university|school|congress|action"
    r"|rights|force|assembly|inc|ltd|e\.v|platform|collective|agency|services|media|news|solidarity"
    r"|international|commission|program(?:me)?|office|mission|aid|relief|fellowship|consortium|cooperative"
    r"|government|ministry|nations|parliament|court|bank|secretariat|board|department|agency)\b",
    re.I,
)

# A sentence, not a name: how many words before an unnumbered line is prose.
PROSE_WORDS = 16
SENTENCE_WORDS = 8


@dataclass
class Entry:
    """One printed list line before it becomes a signatory."""

    line: int  # 1-based
    indent: int
    bullet: str
    number: int | None
    text: str
    category_individual: bool = False
    member_of: int | None = None  # index into the entry list
    has_title_line: bool = False
    blank_before: bool = False  # a blank line (or a sub-heading) separates it from the line above
    section_start: bool = False  # first entry under a sub-heading ("Individuals", "Thailand:")
    closed: bool = False  # the name cannot continue on the next line (a table cell, a trailing separator)
    trailing: str = ""  # the separator the line ended with ("," or ";"), taken off the name
    section: str = ""  # the heading the line is printed under
    note: str = ""  # what is printed with the name: a person's title lines, a table's other cells
    last_line: int = 0  # the last line of a name broken across lines (0: the name is on `line` alone)
    wrapped: bool = False  # the name was joined from several lines
    continues_above: bool = False  # a place or kind word ending the name above ("Electronic Frontiers" / "Australia")

    @property
    def end_line(self) -> int:
        return self.last_line or self.line

    @property
    def marked(self) -> bool:
        return bool(self.bullet) or self.number is not None


MARKDOWN_DECORATION = re.compile(r"^[#>\s]*[*_]*\s*|\s*[*_]+\s*$")


def plain(text: str) -> str:
    """A line without Markdown heading marks and emphasis, for recognising headings pasted from the web."""
    return MARKDOWN_DECORATION.sub("", text.strip())


# "101 DataCulture": a number and a space, no dot. A marker only where the numbers run on (see `read_entries`):
# "34 Cross", "8888 Generation" and "7 Stars" are names.
BARE_NUMBER = re.compile(r"^(?P<number>\d{1,4})\s+(?=\S)")


def split_entry(line: str) -> tuple[int, str, int | None, str]:
    """(indent, bullet, printed number, text) of a list line. Always matches: ENTRY accepts any line."""
    match = ENTRY.match(line)
    assert match is not None
    number = match["number"] or match["pnumber"] or match["dnumber"]
    text = match["text"].strip()
    return len(match["indent"].expandtabs(4)), match["bullet"] or "", int(number) if number else None, text


# Short words that stay lowercase inside names and titles, in the letters' languages.
LOWERCASE_IN_NAMES = frozenset(
    [
        "a",
        "al",
        "and",
        "as",
        "at",
        "by",
        "da",
        "das",
        "de",
        "del",
        "della",
        "der",
        "des",
        "di",
        "do",
        "dos",
        "du",
        "e",
        "el",
        "em",
        "en",
        "et",
        "for",
        "from",
        "für",
        "im",
        "in",
        "la",
        "las",
        "le",
        "les",
        "los",
        "na",
        "no",
        "of",
        "on",
        "or",
        "para",
        "pela",
        "pelo",
        "per",
        "por",
        "the",
        "to",
        "und",
        "van",
        "von",
        "y",
        "con",
        "com",
        "mit",
        "avec",
        "with",
        "sur",
        "sobre",
    ]
)
NAME_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# A line whose words are nearly all capitalised is a name and its place ("GRAIN, Premio Nobel Alternativo 2011,
# España."), not a sentence, however long.
CAPITALISED_SHARE = 0.6
MAX_NAME_WORDS = 40


def is_capitalised_phrase(text: str) -> bool:
    words = [w for w in NAME_WORD.findall(text) if w.casefold() not in LOWERCASE_IN_NAMES]
    if len(words) < 2 or len(words) > MAX_NAME_WORDS:
        return False
    return sum(1 for w in words if w[:1].isupper()) >= CAPITALISED_SHARE * len(words)


def looks_like_sentence(text: str, marked: bool) -> bool:
    """Prose rather than a name: long, or a full sentence ending with a period; never a line of capitalised words."""
    if is_capitalised_phrase(text):
        return False
    words = word_count(text)
    if marked:
        return words >= 25 or (words >= SENTENCE_WORDS and text.endswith(".") and " " in text)
    return words >= PROSE_WORDS or (words >= SENTENCE_WORDS and text.endswith((".", "!", "?")))


def is_name_like(text: str) -> bool:
    """A short line that could be an organization or person name (not a sentence, heading or link)."""
    if not text or URL_OR_EMAIL.search(text) or is_noise(text):
        return False
    if is_capitalised_phrase(text):
        return not text.endswith(":")  # "GRAIN, Premio Nobel Alternativo 2011, España."
    if word_count(text) > 14:
        return False
    # "New Zealand Zo Community Inc." ends with a period and is still a name.
    return not text.endswith((":", ".", "?", "!")) or bool(re.search(r"\b(?:inc|ltd|co|e\.v)\.$", text, re.I))


# Markup left in a pasted page: "<!-- /wp:paragraph -->", "</div>", "![logo](/img/logo.png)".
MARKUP = re.compile(r"^(?:<[^>]*>\s*)+$|^!\[[^\]]*\]\([^)]*\)$")


def is_noise(text: str) -> bool:
    """OCR debris like '. Co (2}' or a page number: almost no letters or digits, only digits, or stray punctuation
    before a tiny word. "11.11.11" is a name."""
    letters = letter_count(text)
    if sum(1 for ch in text if ch.isalnum()) < 2 or text.replace(" ", "").isdigit():
        return True
    first = text[0]
    return letters < 4 and not (first.isalnum() or first in "\"'“‘(")
