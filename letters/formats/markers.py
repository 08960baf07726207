"""The letters and roman numerals ordered lists count with, for HTML's `<ol type>` and Word's number formats."""

ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl")]
ROMAN += [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def alphabetic(number: int) -> str:
    """1 -> a, 26 -> z, 27 -> aa (as browsers and Word count); numbers below 1 stay digits."""
    if number < 1:
        return str(number)
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def roman(number: int) -> str:
    """1 -> i, 14 -> xiv; numbers outside 1-3999 stay digits."""
    if not 0 < number < 4000:
        return str(number)
    numerals = ""
    for value, numeral in ROMAN:
        count, number = divmod(number, value)
        numerals += numeral * count
    return numerals
