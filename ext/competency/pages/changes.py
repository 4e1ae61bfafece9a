"""``{comp:changes}``: a "What changed since <version>" page, when the maintainers configure a base version.

Set ``competency_changes_since`` in conf.py to a git revision (a tag such as
``v1.0``); the directive lists what changed between the models at that
revision and the sources of this build (manual/guide-exports.md, "What changed").
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..changes.diff import CHANGE_KINDS, Change, ModelDiff, diff_sites, word_changes
from ..changes.revisions import load_revision, repository_root
from ..sources.problems import SourceError
from ..sources.site import Site
from ..sphinx_ext.config import competency_config
from ..sphinx_ext.inline import inline_nodes
from ..sphinx_ext.state import note_site_dependency, site_of
from ..sphinx_ext.warning_types import Subtype
from .parts import bullet_list, heading, link, paragraph

logger = logging.getLogger(__name__)

CONFIG = "competency_changes_since"
#: Object types that have a page to link to (groups have none).
LINKED = ("model", "section", "competency", "indicator", "responsibility")
HEADINGS = {
    "added": "Added",
    "removed": "Removed",
    "withdrawn": "Withdrawn (the old address shows the withdrawal)",
    "renamed": "Renamed",
    "reworded": "Reworded",
    "moved": "Moved (display code changed)",
}


class ChangesDirective(SphinxDirective):
    """The diff of the configured revision against the sources of this build."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        revision = competency_config(self.config).changes_since
        if not revision:
            logger.warning(
                "{comp:changes} needs a base version: set %s in conf.py",
                CONFIG,
                type="competency",
                subtype=Subtype.CHANGES,
                location=self.get_location(),
            )
            return []
        site = site_of(self.env)
        note_site_dependency(self.env)  # a model added or removed changes the page
        for model in (*site.models.values(), *site.withdrawn_models.values()):
            self.env.note_dependency(str(model.path))
        try:
            old = old_site(site.source_dir, revision)
        except (SourceError, ValueError) as exc:
            logger.warning(
                "{comp:changes} cannot read the models at %s: %s",
                revision,
                exc,
                type="competency",
                subtype=Subtype.CHANGES,
                location=self.get_location(),
            )
            return []
        diffs = diff_sites(old.models, site.models, site.withdrawn_models)
        result: list[nodes.Node] = [
            paragraph(f"Changes to the models since {revision}.", classes=["comp-changes-intro"])
        ]
        if not diffs:
            result.append(paragraph(f"Nothing changed since {revision}."))
        for model_diff in diffs:
            result += model_changes(model_diff)
        return result


def old_site(source_dir: Path, revision: str) -> Site:
    """The models of the build's source folder at a git revision of the repository holding it."""
    source = source_dir.resolve()
    repo = repository_root(source).resolve()
    return load_revision(repo, revision, source.relative_to(repo).as_posix())


def model_changes(model_diff: ModelDiff) -> list[nodes.Node]:
    if model_diff.status == "removed":
        return [heading(f"{model_diff.title} (removed)")]
    if model_diff.withdrawal is not None:
        title = heading("")
        title += link(model_diff.id, "model", model_diff.id, model_diff.title)
        title += nodes.Text(" (withdrawn)")
        return [title, withdrawal_line(model_diff.withdrawal, paragraph(), "model")]
    title = heading("")
    title += link(model_diff.id, "model", model_diff.id, model_diff.title)
    if model_diff.status == "added":
        title += nodes.Text(" (new model)")
        return [title]
    result: list[nodes.Node] = [title]
    for kind in CHANGE_KINDS:
        changes = [c for c in model_diff.changes if c.change == kind]
        if changes:
            result.append(paragraph(nodes.strong(HEADINGS[kind], HEADINGS[kind]), classes=["comp-changes-kind"]))
            result.append(
                bullet_list(
                    (change_line(model_diff.id, c) for c in changes), classes=["comp-changes", f"comp-changes-{kind}"]
                )
            )
    return result


def change_line(model_id: str, change: Change) -> nodes.paragraph:
    label = f"{change.code} {change.label}".strip()
    if change.change == "removed" or change.type not in LINKED:
        item: nodes.Node = nodes.Text(label)
    else:
        item = link(model_id, change.type, change.id, label)
    line = paragraph(item)
    if change.change == "renamed":
        line += nodes.Text(f" (formerly {change.old_id})")
    elif change.change == "reworded":
        line += nodes.Text(f" ({change.field}): ")
        line += word_nodes(change.old or "", change.new or "")
    elif change.change == "moved":
        line += nodes.Text(f": {change.old_code} → {change.code}")
    elif change.change == "withdrawn":
        withdrawal_line(change, line, model_id)
    return line


def withdrawal_line(change: Change, line: nodes.paragraph, replacement_model: str) -> nodes.paragraph:
    """When, what replaces it and why, from the withdrawal record."""
    line += nodes.Text(f" (withdrawn {change.since}")
    if change.replaced_by:
        line += nodes.Text("; replaced by ")
        if replacement_model == "model":  # a whole model is replaced by another model
            line += link(change.replaced_by, "model", change.replaced_by, change.replaced_by)
        else:
            line += nodes.literal(change.replaced_by, change.replaced_by)
    line += nodes.Text(")")
    if change.note:
        line += nodes.Text(": ")
        line += inline_nodes(change.note)
    return line


def word_nodes(old: str, new: str) -> list[nodes.Node]:
    """A word diff with visible markers ([-removed-] {+added+}) and classes for styling."""
    result: list[nodes.Node] = []
    for op, words in word_changes(old, new):
        if result:
            result.append(nodes.Text(" "))
        if op == "=":
            result.append(nodes.Text(words))
        else:
            text = f"[-{words}-]" if op == "-" else f"{{+{words}+}}"
            result.append(nodes.inline(text, text, classes=["comp-del" if op == "-" else "comp-ins"]))
    return result


def setup_changes(app: Sphinx) -> None:
    app.add_directive_to_domain("comp", "changes", ChangesDirective)
