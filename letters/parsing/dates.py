"""Dates as letters print them ("14 July 2022", "May 10, 2022", "12/10/2023")."""

from __future__ import annotations

import datetime
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            # English; Spanish and Portuguese; German; French
            ("january", "jan", "enero", "janeiro", "januar", "jänner", "janvier"),
            ("february", "feb", "febrero", "fevereiro", "februar", "février", "fevrier"),
            ("march", "mar", "marzo", "março", "marco", "märz", "maerz", "mars"),
            ("april", "apr", "abril", "avril"),
            ("may", "mayo", "maio", "mai"),
            ("june", "jun", "junio", "junho", "juni", "juin"),
            ("july", "jul", "julio", "julho", "juli", "juillet"),
            ("august", "aug", "agosto", "août", "aout"),
            ("september", "sep", "sept", "septiembre", "setiembre", "setembro", "septembre"),
            ("october", "oct", "octubre", "outubro", "oktober", "octobre"),
            ("november", "nov", "noviembre", "novembro", "novembre"),
            ("december", "dec", "diciembre", "dezembro", "dezember", "décembre", "decembre"),
        ],
        start=1,
    )
    for name in names
}
MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
DATE_PATTERNS = [
    # "14 July 2022", "21 de agosto de 2019", "13. März 2023", "1er mars 2024"
    re.compile(
        r"\b(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|°|\.)?\s+(?:of\s+|de\s+)?"
        + MONTH
        + r",?\s+(?:de\s+|del\s+)?(?P<year>\d{4})\b",
        re.I,
    ),
    re.compile(r"\b" + MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b", re.I),
    re.compile(r"\b(?P<year>\d{4})-(?P<monthnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    # "12/10/2023", "12.10.2023": read day first, as the international organizations that write most letters do,
    # unless the numbers only fit month first ("10/13/2023"). See `numeric_date`.
    re.compile(r"(?<![\d/.])(?P<first>\d{1,2})[/.](?P<second>\d{1,2})[/.](?P<year>\d{4})\b"),
]


# "12/10/2023": both numbers could be the month.
AMBIGUOUS_NUMERIC_DATE = re.compile(r"(?<![\d/.])(?P<first>0?[1-9]|1[0-2])[/.](?P<second>0?[1-9]|1[0-2])[/.]\d{4}\b")


def numeric_date(first: int, second: int) -> tuple[int, int]:
    """(month, day) of an all-numbers date: day first, unless only month first gives a valid date."""
    if second > 12 >= first:
        return first, second  # "10/13/2023": only month first fits
    return second, first


def find_date(text: str) -> datetime.date | None:
    """The first valid calendar date written in `text` ("14 July 2022", "May 10, 2022", "2022-07-14", "12/10/2023")."""
    found: list[tuple[int, datetime.date]] = []
    for pattern in DATE_PATTERNS:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            if parts.get("first"):
                month, day = numeric_date(int(parts["first"]), int(parts["second"]))
            else:
                month = int(parts["monthnum"]) if parts.get("monthnum") else MONTHS[parts["month"].lower()]
                day = int(parts["day"])
            try:
                found.append((match.start(), datetime.date(int(parts["year"]), month, day)))
            except ValueError:
                continue
            break
    return min(found)[1] if found else None
