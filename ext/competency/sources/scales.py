"""Rating scales of the HR forms: the site's default scale, per-competency anchors and interview questions.

The published models give no rating scale, no behavioural anchors and no interview
questions: HR forms need them, so the site's maintainers write them. The scale is
one file for the whole site (`hr/rating-scale.yaml` in the source folder, a
subfolder because the folder's *.yaml are models); anchors (what each level looks
like for one competency) and interview questions sit on the competency in its
model file. Every page that shows them marks them as editorial, as the
responsibility mapping is.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .model import Model
from .problems import Problem, SourceError, did_you_mean
from .schema import check_schema
from .yamlfile import JsonPath, YamlDocument, read_yaml

#: The scale file, relative to the source folder.
SCALE_FILE = Path("hr") / "rating-scale.yaml"
SCALE_SCHEMA = "rating-scale.schema.json"

SCALE_EDITORIAL_NOTE = "The rating scale is written by the site's maintainers; the published model does not give one."
ANCHORS_EDITORIAL_NOTE = (
    "What each level looks like for this competency is written by the site's maintainers; "
    "the published model does not give it."
)
QUESTIONS_EDITORIAL_NOTE = (
    "These questions are written by the site's maintainers; the published model does not give them."
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Level:
    """One level of a rating scale."""

    #: Permanent id: the key of anchors and of saved answers.
    id: str
    #: Short label, printed as a column heading.
    label: str
    #: One line saying what the level means.
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RatingScale:
    """The site's default rating scale, lowest level first."""

    path: Path
    title: str
    levels: tuple[Level, ...]
    #: Id of the level the job expects: lower ratings are gaps.
    expected: str
    #: How to use the scale.
    note: str | None = None
    #: True when the site's maintainers wrote it (the published model gives none).
    editorial: bool = True

    def position(self, level_id: str) -> int:
        return next(n for n, level in enumerate(self.levels) if level.id == level_id)


@dataclass(frozen=True, slots=True, kw_only=True)
class ModelRating:
    """What the HR forms of one model rate with, and what they ask."""

    #: The site's scale, or None when the site has none.
    scale: RatingScale | None = None
    #: competency id -> {level id -> what that level looks like for it} (editorial).
    anchors: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: competency id -> interview questions (editorial).
    questions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def load_scale(source_dir: Path) -> RatingScale | None:
    """The site's rating scale (None when the folder has no scale file); SourceError when it is wrong."""
    path = source_dir / SCALE_FILE
    if not path.is_file():
        return None
    document = read_yaml(path)
    problems = check_schema(document, SCALE_SCHEMA)
    if problems:
        raise SourceError(problems)
    data = document.data
    levels = tuple(Level(id=raw["id"], label=raw["label"], description=raw["description"]) for raw in data["levels"])
    seen: dict[str, int] = {}
    for n, level in enumerate(levels):
        if level.id in seen:
            problems.append(
                Problem(
                    location=document.positions.at(("levels", n, "id")),
                    message=f"the level id '{level.id}' is already used by level {seen[level.id] + 1}",
                    hint="give every level its own id",
                )
            )
        seen.setdefault(level.id, n)
    if data["expected"] not in seen:
        problems.append(
            Problem(
                location=document.positions.at(("expected",)),
                message=f"unknown level '{data['expected']}'",
                hint=did_you_mean(data["expected"], seen) or f"expected names one of the levels: {', '.join(seen)}",
            )
        )
    if problems:
        raise SourceError(problems)
    return RatingScale(
        path=path,
        title=data["title"],
        levels=levels,
        expected=data["expected"],
        note=data.get("note"),
        editorial=data.get("editorial", True),
    )


def model_rating(scale: RatingScale | None, document: YamlDocument) -> ModelRating | None:
    """The anchors and questions a model file gives, checked against the scale (None: nothing to rate with)."""
    anchors: dict[str, dict[str, str]] = {}
    questions: dict[str, tuple[str, ...]] = {}
    problems: list[Problem] = []
    for competency, where in _competency_definitions(document.data):
        if "anchors" in competency:
            anchors[competency["id"]] = dict(competency["anchors"])
            problems += _check_anchors(scale, document, competency["anchors"], (*where, "anchors"))
        if "interview_questions" in competency:
            questions[competency["id"]] = tuple(competency["interview_questions"])
    if problems:
        raise SourceError(problems)
    if scale is None and not questions:
        return None
    return ModelRating(scale=scale, anchors=anchors, questions=questions)


def with_ratings(source_dir: Path, models: dict[str, Model], documents: Mapping[str, YamlDocument]) -> None:
    """Give every model its rating data (in place); SourceError listing every problem of every file."""
    scale = load_scale(source_dir)
    problems: list[Problem] = []
    for model_id, model in models.items():
        try:
            models[model_id] = replace(model, rating=model_rating(scale, documents[model_id]))
        except SourceError as exc:
            problems.extend(exc.problems)
    if problems:
        raise SourceError(problems)


def _check_anchors(
    scale: RatingScale | None, document: YamlDocument, anchors: Mapping[str, Any], where: JsonPath
) -> list[Problem]:
    if scale is None:
        return [
            Problem(
                location=document.positions.at(where, key=True),
                message="anchors need a rating scale, and this site has none",
                hint=f"write the scale in {SCALE_FILE.as_posix()} beside the models (see manual/hr-forms.md)",
            )
        ]
    known = [level.id for level in scale.levels]
    return [
        Problem(
            location=document.positions.at((*where, level_id), key=True),
            message=f"unknown level '{level_id}' in anchors",
            hint=did_you_mean(level_id, known) or f"the levels of {SCALE_FILE.as_posix()} are: {', '.join(known)}",
        )
        for level_id in anchors
        if level_id not in known
    ]


def _competency_definitions(data: Mapping[str, Any]) -> Iterator[tuple[Mapping[str, Any], JsonPath]]:
    """Every competency defined in a model file (not `ref` entries), with its place in the file."""
    for s, section in enumerate(data.get("sections", ())):
        for c, entry in enumerate(section.get("competencies", ())):
            if "id" in entry:
                yield entry, ("sections", s, "competencies", c)
        for g, group in enumerate(section.get("groups", ())):
            for c, entry in enumerate(group.get("competencies", ())):
                if "id" in entry:
                    yield entry, ("sections", s, "groups", g, "competencies", c)


def scale_export(model: Model) -> dict[str, Any]:
    """The `rating_scale` of a model in the JSON export (None when the site has no scale)."""
    scale = model.rating.scale if model.rating else None
    if scale is None:
        return {"rating_scale": None}
    return {
        "rating_scale": {
            "title": scale.title,
            "editorial": scale.editorial,
            "note": scale.note,
            "expected": scale.expected,
            "levels": [{"id": v.id, "label": v.label, "description": v.description} for v in scale.levels],
        }
    }


def competency_rating_export(model: Model, competency_id: str) -> dict[str, Any]:
    """A competency's `anchors` and `interview_questions` in the JSON export (both editorial)."""
    rating = model.rating
    anchors = dict(rating.anchors.get(competency_id, {})) if rating else {}
    questions = list(rating.questions.get(competency_id, ())) if rating else []
    return {"anchors": anchors, "interview_questions": questions}
