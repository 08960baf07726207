"""The Content-Security-Policy allows no inline styles or scripts: no template may carry one."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
INLINE = re.compile(r"<style|<script(?![^>]*\bsrc=)|\sstyle=\"|\son[a-z]+=\"", re.IGNORECASE)


def test_no_template_has_inline_styles_or_scripts():
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]

    assert offenders == []
