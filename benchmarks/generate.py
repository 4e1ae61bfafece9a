"""Synthetic job competency models in the project's YAML format, for the benchmark.

A model looks like a published one (manual/examples/meter-reader.yaml): sections I to V,
indicator texts of 8-25 words, competency titles of 2-5 words, notes of a few sentences,
foundational groups reusing competency I.1, responsibilities mapped to competencies, and a
superior-performance section that reuses indicators of section II through `ref`.
The output is deterministic for a given seed.

`published_text` writes the same model in the published plain-text shape (as
`../shared/source/customer-service-representative.txt`), for importing with `competency import`.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

VERBS = (
    "Explains",
    "Checks",
    "Records",
    "Reports",
    "Inspects",
    "Maintains",
    "Operates",
    "Plans",
    "Reviews",
    "Coordinates",
    "Documents",
    "Monitors",
    "Calibrates",
    "Schedules",
    "Communicates",
    "Identifies",
)
WORDS = (
    "water",
    "meter",
    "pump",
    "valve",
    "hydrant",
    "main",
    "service",
    "line",
    "customer",
    "billing",
    "account",
    "pressure",
    "flow",
    "sample",
    "chlorine",
    "reservoir",
    "tank",
    "station",
    "crew",
    "supervisor",
    "work",
    "order",
    "safety",
    "procedure",
    "policy",
    "system",
    "record",
    "route",
    "district",
    "complaint",
    "repair",
    "leak",
    "quality",
    "report",
    "permit",
    "contractor",
    "schedule",
    "equipment",
    "vehicle",
    "map",
    "data",
    "the",
    "and",
    "with",
    "for",
    "of",
    "to",
    "on",
    "in",
    "before",
    "after",
    "during",
    "each",
    "every",
)
TITLE_WORDS = (
    "Water",
    "Quality",
    "Distribution",
    "Customer",
    "Service",
    "Safety",
    "Billing",
    "Systems",
    "Meter",
    "Maintenance",
    "Communication",
    "Teamwork",
    "Planning",
    "Records",
    "Equipment",
    "Operations",
    "Problem",
    "Solving",
    "Regulations",
    "Hydraulics",
    "Leadership",
    "Initiative",
    "Judgement",
)


def _yaml() -> YAML:
    """The project's YAML library; the loader refuses aliases, so never write any."""
    writer = YAML(typ="safe", pure=True)
    writer.default_flow_style = False
    writer.allow_unicode = True
    writer.width = 100
    writer.representer.ignore_aliases = lambda data: True
    return writer


class _Text:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def words(self, low: int, high: int, pool: tuple[str, ...] = WORDS) -> list[str]:
        return [self.rng.choice(pool) for _ in range(self.rng.randint(low, high))]

    def indicator(self) -> str:
        return " ".join([self.rng.choice(VERBS), *self.words(7, 24)])

    def title(self) -> str:
        """A competency title, never repeated in a model (a repeated title reads as reuse in the plain text)."""
        while True:
            title = " ".join(self.words(2, 5, TITLE_WORDS))
            if title not in self.used:
                self.used.add(title)
                return title

    def note(self) -> str:
        sentences = (" ".join(self.words(8, 18)).capitalize() + "." for _ in range(self.rng.randint(2, 4)))
        return " ".join(sentences)

    def id_for(self, text: str) -> str:
        """A readable id from the first words, made unique in the model."""
        base = "-".join(w.lower() for w in text.split()[:4])
        item_id, n = base, 1
        while item_id in self.used:
            n += 1
            item_id = f"{base}-{n}"
        self.used.add(item_id)
        return item_id


def _split(total: int, rng: random.Random, low: int = 3, high: int = 8) -> list[int]:
    """Sizes of consecutive chunks (each low..high where possible) adding up to total."""
    sizes: list[int] = []
    while total > 0:
        size = min(total, rng.randint(low, high))
        sizes.append(size)
        total -= size
    return sizes


def _competencies(text: _Text, indicator_count: int) -> list[dict[str, Any]]:
    result = []
    for size in _split(indicator_count, text.rng):
        title = text.title()
        indicators = []
        for _ in range(size):
            words = text.indicator()
            indicators.append({"id": text.id_for(words), "text": words})
        result.append(
            {
                "id": text.id_for(title),
                "title": title,
                "preamble": "Applying knowledge and expertise in the following areas:",
                "indicators": indicators,
            }
        )
    return result


def generate_model(model_id: str, indicator_count: int, seed: int = 0) -> dict[str, Any]:
    """One model with exactly `indicator_count` indicators defined (section V adds references)."""
    text = _Text(seed)
    text.used.add(model_id)
    superior_new = max(1, indicator_count // 12)
    technical_count = max(1, (indicator_count - superior_new) * 2 // 5)
    technical = _competencies(text, technical_count)
    non_technical = _competencies(text, indicator_count - superior_new - technical_count)
    superior_own = _competencies(text, superior_new)
    # Section V marks some of section II's indicators for superior performance: references, not copies.
    reused = [
        {"ref": c["id"], "indicators": [{"ref": i["id"]} for i in c["indicators"][:3]]} for c in non_technical[::3]
    ]
    foundational = [
        {
            "id": "technical-foundational",
            "title": "Technical Foundational Competencies",
            "competencies": [
                {"ref": technical[0]["id"]},
                *(
                    {"id": text.id_for(t), "title": t, "qualifier": "Basic Expertise"}
                    for t in (text.title(), text.title())
                ),
            ],
        },
        {
            "id": "non-technical-foundational",
            "title": "Non-Technical Foundational Competencies",
            "competencies": [
                {"id": text.id_for(t), "title": t, "description": " ".join(text.words(5, 10))}
                for t in (text.title(), text.title(), text.title())
            ],
        },
    ]
    every = [c["id"] for c in technical + non_technical] + [i["id"] for c in non_technical for i in c["indicators"]]
    responsibilities = []
    for _ in range(max(3, indicator_count // 30)):
        words = text.indicator()
        responsibilities.append(
            {
                "id": text.id_for(words),
                "text": words,
                "supported_by": sorted(set(text.rng.sample(every, min(3, len(every))))),
            }
        )
    return {
        "id": model_id,
        "title": f"{text.title()} {text.rng.choice(('Operator', 'Technician', 'Representative', 'Supervisor'))}",
        "source": "A synthetic model generated by benchmarks/generate.py.",
        "note": text.note() + "\n\n" + text.note(),
        "sections": [
            {"id": "technical", "kind": "technical", "title": "Technical Competencies", "competencies": technical},
            {
                "id": "non-technical",
                "kind": "non-technical",
                "title": "Non-Technical Competencies",
                "note": text.note(),
                "competencies": non_technical,
            },
            {
                "id": "foundational",
                "kind": "foundational",
                "title": "Foundational Competencies",
                "qualifier": "Mostly expected on entry into the position",
                "groups": foundational,
            },
            {
                "id": "responsibilities",
                "kind": "responsibilities",
                "title": "Most Important Responsibilities",
                "note": text.note(),
                "responsibilities": responsibilities,
            },
            {
                "id": "superior-performance",
                "kind": "superior-performance",
                "title": "Competencies for Superior Performance",
                "note": text.note(),
                "competencies": reused + superior_own,
            },
        ],
    }


def model_sizes(total: int, per_model: int = 280) -> list[int]:
    """Indicators per model: `total` split evenly over about total/per_model models."""
    count = max(1, round(total / per_model))
    return [total // count + (1 if n < total % count else 0) for n in range(count)]


def site_models(total: int, seed: int = 0, per_model: int = 280) -> Iterator[dict[str, Any]]:
    """The models of a site with `total` indicators (job-01, job-02, ...) of about `per_model` each."""
    for n, size in enumerate(model_sizes(total, per_model)):
        yield generate_model(f"job-{n + 1:02d}", size, seed=seed * 1000 + n)


def write_models(folder: Path, total: int, seed: int = 0, per_model: int = 280) -> list[Path]:
    """Write the models of a site with `total` indicators into folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for data in site_models(total, seed, per_model):
        paths.append(folder / f"{data['id']}.yaml")
        with paths[-1].open("w", encoding="utf-8") as stream:
            _yaml().dump(data, stream)
    return paths


def published_text(model: dict[str, Any]) -> str:
    """A generated model in the published plain-text shape: what `competency import` reads.

    Reuse is written as the published models write it, by repeating the title (and the indicator
    texts); the responsibilities' support mapping is editorial and has no plain-text form.
    """
    competencies = {c["id"]: c for section in model["sections"] for c in section.get("competencies", []) if "id" in c}
    lines = [f" Note:  {model['note'].replace(chr(10), ' ')} "]
    for numeral, section in zip(("I", "II", "III", "IV", "V"), model["sections"], strict=True):
        heading = f"{numeral}. {section['title']}"
        lines.append(heading + (f" ({section['qualifier']})" if section.get("qualifier") else ""))
        if section["kind"] in ("responsibilities", "superior-performance"):
            lines += ["", f"Note: {section['note']}", ""]
        for n, group in enumerate(section.get("groups", []), start=1):
            lines += [f"{n}. {group['title']}", ""]
            for letter, entry in zip("abcdefghijklmnopqrstuvwxyz", group["competencies"], strict=False):
                competency = competencies[entry["ref"]] if "ref" in entry else entry
                qualifier = f" ({competency['qualifier']})" if competency.get("qualifier") else ""
                description = f": {competency['description']}" if competency.get("description") else ""
                lines.append(f"{letter}. {competency['title']}{qualifier}{description}")
            lines.append("")
        for n, responsibility in enumerate(section.get("responsibilities", []), start=1):
            lines.append(f"{n}. {responsibility['text']}")
        for n, entry in enumerate(section.get("competencies", []), start=1):
            competency = competencies[entry["ref"]] if "ref" in entry else entry
            lines += [f"{n}. {competency['title']}", ""]
            if "preamble" in entry:
                lines.append(entry["preamble"])
            texts = {i["id"]: i["text"] for i in competency["indicators"]}
            for letter, indicator in zip("abcdefghijklmnopqrstuvwxyz", entry["indicators"], strict=False):
                lines.append(f"{letter}. {texts[indicator['ref']] if 'ref' in indicator else indicator['text']}")
            lines.append("")
    return "\n".join(lines) + "\n"


def write_published_texts(folder: Path, total: int, seed: int = 0) -> list[Path]:
    """Write the models of a site with `total` indicators as plain text into folder; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for data in site_models(total, seed):
        paths.append(folder / f"{data['id']}.txt")
        paths[-1].write_text(published_text(data), encoding="utf-8")
    return paths


# -- a family of jobs: a shared library used by every generated job ----------------------------------------

#: The shared competencies every job of a generated family uses (Communication, Customer Focus, ...).
COMMON_SHARED = 5


def family_library(shared: int, jobs: list[str], seed: int = 0) -> dict[str, Any]:
    """A library of `shared` competencies (two shared indicators each) and a career path job n -> n+1."""
    text = _Text(seed * 7919 + 1)
    competencies = []
    for _ in range(shared):
        title = text.title()
        indicators = []
        for _ in range(2):
            words = text.indicator()
            indicators.append({"id": text.id_for(words), "text": words})
        competencies.append(
            {"id": text.id_for(title), "title": title, "description": text.note(), "indicators": indicators}
        )
    paths = [{"from": a, "to": b} for a, b in itertools.pairwise(jobs)]
    return {"competencies": competencies, "paths": paths}


def join_library(model: dict[str, Any], library: dict[str, Any], seed: int, start: int = 0) -> int:
    """Make some of the model's own competencies uses of the library's (ids and codes kept).

    The first COMMON_SHARED shared competencies are used by every job (fewer in a small model),
    the others in turn from `start`, so that a family of small models still uses each of them.
    Each use takes the shared title, and its first indicator a shared indicator's words.
    Returns how many of the others the model took.
    """
    rng = random.Random(seed)
    shared = library["competencies"]
    own = [c for s in model["sections"][:2] for c in s["competencies"] if "id" in c]
    common = min(COMMON_SHARED, max(1, len(own) // 3))
    others = shared[COMMON_SHARED:]
    count = min(len(own) - common, rng.randint(8, 16), len(others))
    chosen = shared[:common] + [others[(start + k) % len(others)] for k in range(count)]
    for competency, use in zip(own, chosen, strict=False):
        competency["title"] = use["title"]
        competency["shared"] = use["id"]
        first, words = competency["indicators"][0], use["indicators"][rng.randrange(2)]
        first["text"], first["shared"] = words["text"], words["id"]
    return count


def write_family(folder: Path, jobs: int = 18, shared: int = 40, per_model: int = 280, seed: int = 0) -> list[Path]:
    """Write a family of `jobs` models sharing `shared` competencies (shared/library.yaml); the model paths."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"job-{n + 1:02d}" for n in range(jobs)]
    library = family_library(shared, ids, seed)
    (folder / "shared").mkdir(exist_ok=True)
    with (folder / "shared" / "library.yaml").open("w", encoding="utf-8") as stream:
        _yaml().dump(library, stream)
    paths, start = [], 0
    for n, model_id in enumerate(ids):
        data = generate_model(model_id, per_model, seed=seed * 1000 + n)
        start += join_library(data, library, seed * 1000 + n, start)
        paths.append(folder / f"{model_id}.yaml")
        with paths[-1].open("w", encoding="utf-8") as stream:
            _yaml().dump(data, stream)
    return paths
