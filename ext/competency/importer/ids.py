"""The ids an import makes: readable, meaning-derived, from the words of a title or an indicator, and
the keys that find near-duplicates."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

#: Words left out of indicator ids, so that ids carry the meaning-bearing words.
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "to",
        "for",
        "in",
        "by",
        "with",
        "from",
        "as",
        "into",
        "its",
        "it",
        "is",
        "are",
        "be",
        "that",
        "this",
        "these",
        "those",
        "their",
        "his",
        "her",
        "he",
        "she",
        "they",
        "them",
        "he-she",
        "his-her",
        "s",
    }
)


ID_WORDS = 5


MAX_ID = 80


def collapse(text: str) -> str:
    """Text with every run of white space (tabs, non-breaking spaces) made one space."""
    return " ".join(text.split())


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens: 'Customer’s Bill' -> 'customers-bill'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower().replace("'", "")).strip("-")
    if len(slug) > MAX_ID:
        slug = slug[:MAX_ID].rsplit("-", 1)[0]
    return slug


def indicator_slug(text: str) -> str:
    """The id words of an indicator or responsibility: its first significant words."""
    words = [slugify(word) for word in text.split()]
    significant = [word for word in words if word and word not in STOPWORDS]
    return slugify(" ".join(significant[:ID_WORDS]))


def near_key(text: str) -> str:
    """Text without case, punctuation, quote style or spacing: equal keys mean 'nearly the same'.

    Only letters and digits are kept: "Self-Control", "Self Control" and "SelfControl" are one key
    (a hyphen dropped alone would make "selfcontrol" of the first, unlike the second); "&" is read
    as "and", so "Critical & Analytical Thinking" is nearly "Critical and Analytical Thinking"."""
    words = text.casefold().replace("&", "and")
    return "".join(ch for ch in words if unicodedata.category(ch)[0] in "LN")


def title_from_file(path: Path) -> str:
    """'customer-service-representative.txt' -> 'Customer Service Representative'."""
    return collapse(re.sub(r"[-_]+", " ", path.stem)).title()


def title_key(title: str) -> str:
    text = re.sub(r"[\u2010-\u2015-]+", "-", title.casefold())
    return collapse(re.sub(r"\bnon\s*-?\s*technical\b", "non-technical", text))
