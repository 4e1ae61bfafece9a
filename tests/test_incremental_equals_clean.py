"""Incremental equals clean: after any sequence of source changes, `make html` (and `make html
UTILITY=<name>`) publishes exactly the files, byte for byte, that a clean build of the same sources
publishes.

A hypothesis state machine keeps a small site (models, a utility overlay, a Markdown page), applies
generated changes to it (add, remove or rename a model; add, remove, reword, move or rename an
indicator, with and without keeping the old id as an alias; add, change or remove the overlay; edit
the Markdown page), and after each change builds the site the way the Makefile does, incrementally
in one folder, and from scratch in a copy, and compares the published folders.

In the suite the run is small (a few sequences of a few changes). The long run:
`make test-incremental-long` (INCREMENTAL_EXAMPLES and INCREMENTAL_STEPS raise the sizes).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule

from .conftest import REPO
from .robustness.sitebuild import build_env, make_html_commands
from .test_reproducible import differences, explain_differences

EXAMPLES = int(os.environ.get("INCREMENTAL_EXAMPLES", "3"))
STEPS = int(os.environ.get("INCREMENTAL_STEPS", "5"))
UTILITY = "town"
WORDS = ["meter", "valve", "route", "zebra", "bill", "leak", "pump", "safely", "customer", "hydrant"]
SECTIONS = (("technical", "Technical Competencies"), ("non-technical", "Non-Technical Competencies"))

texts = st.lists(st.sampled_from(WORDS), min_size=2, max_size=5).map(lambda words: " ".join(words).capitalize())


@dataclass
class Indicator:
    id: str
    text: str
    aliases: list[str] = field(default_factory=list)


@dataclass
class Model:
    id: str
    title: str
    aliases: list[str] = field(default_factory=list)
    #: competency id -> (section id, its indicators); one competency in each section
    competencies: dict[str, tuple[str, list[Indicator]]] = field(default_factory=dict)
    #: competency id -> the shared competency of the family's library it uses
    shared: dict[str, str] = field(default_factory=dict)

    def indicators(self) -> list[Indicator]:
        return [indicator for _section, indicators in self.competencies.values() for indicator in indicators]

    def document(self) -> dict[str, object]:
        sections = []
        for section_id, title in SECTIONS:
            competencies = [
                {
                    "id": competency_id,
                    **(
                        {"shared": self.shared[competency_id], "title": shared_title(self.shared[competency_id])}
                        if competency_id in self.shared
                        else {"title": f"Competency {competency_id}"}
                    ),
                    "indicators": [
                        {"id": i.id, "text": i.text, **({"aliases": i.aliases} if i.aliases else {})}
                        for i in indicators
                    ],
                }
                for competency_id, (section, indicators) in self.competencies.items()
                if section == section_id
            ]
            sections.append({"id": section_id, "kind": section_id, "title": title, "competencies": competencies})
        return {
            "id": self.id,
            "title": self.title,
            **({"aliases": self.aliases} if self.aliases else {}),
            "sections": sections,
        }


def shared_title(shared_id: str) -> str:
    """A use of a shared competency keeps its title."""
    return f"Shared {shared_id}"


def library_document(library: dict[str, str]) -> dict[str, object]:
    """The family's library: shared competency id -> its description."""
    return {
        "competencies": [
            {"id": shared_id, "title": shared_title(shared_id), "description": description}
            for shared_id, description in library.items()
        ]
    }


@dataclass
class Overlay:
    model: str
    override: dict[str, str] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)
    added: list[tuple[str, str, str]] = field(default_factory=list)  # (id, text, competency id)

    def document(self) -> dict[str, object]:
        adaptation: dict[str, object] = {}
        if self.override:
            adaptation["override"] = {item: {"text": text} for item, text in self.override.items()}
        if self.exclude:
            adaptation["exclude"] = self.exclude
        if self.added:
            adaptation["add"] = [{"indicator": {"id": i, "text": t}, "in": c} for i, t, c in self.added]
        return {"name": "Town Water", "models": {self.model: adaptation}}


def write_conf_and_pages(site: Path) -> None:
    shutil.copy(REPO / "conf.py", site / "conf.py")  # the real theme and settings
    (site / "docs").mkdir(parents=True, exist_ok=True)
    (site / "docs" / "index.md").write_text(
        "# Models\n\n```{comp:catalogue}\n```\n\n```{toctree}\n:maxdepth: 1\n\nabout\n```\n\n"
        "## Downloads\n\n```{comp:downloads}\n```\n",
        encoding="utf-8",
    )


def copy_sources(site: Path, target: Path) -> None:
    """The sources of a site (not its build, not its generated stubs) in a fresh folder."""
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    shutil.copy(site / "conf.py", target / "conf.py")
    shutil.copytree(site / "competency_src", target / "competency_src")
    shutil.copytree(
        site / "docs",
        target / "docs",
        ignore=lambda folder, names: [n for n in names if (Path(folder, n) / ".competency-generated").exists()],
    )


def run_together(commands: list[tuple[list[str], Path]]) -> list[subprocess.CompletedProcess[str]]:
    """Run builds side by side (two cores), each in its own site."""
    processes = [
        (
            command,
            subprocess.Popen(
                command, cwd=cwd, env=build_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
            ),
        )
        for command, cwd in commands
    ]
    results = []
    for command, process in processes:
        output, _ = process.communicate(timeout=600)
        results.append(subprocess.CompletedProcess(command, process.returncode, output, ""))
    return results


class IncrementalSite(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.root = Path(os.environ["INCREMENTAL_TMP"]) / f"run-{id(self)}"
        self.site = self.root / "site"
        self.models: dict[str, Model] = {}
        self.overlay: Overlay | None = None
        #: The family's library (shared competency id -> description); once written it stays
        self.library: dict[str, str] = {}
        self.counter = 0
        self.page = "Some words about the site."
        self.log: list[str] = []

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def new_model(self, text: str) -> Model:
        model = Model(id=self.fresh("job-"), title=f"Job {self.counter}")
        for section, _title in SECTIONS:
            model.competencies[self.fresh("c")] = (section, [Indicator(self.fresh("i"), text)])
        return model

    # -- writing the sources ---------------------------------------------------------------------

    def write(self) -> None:
        """Save the files a maintainer would have changed, and only those (the others keep their times)."""
        folder = self.site / "competency_src"
        files = {folder / f"{m.id}.yaml": json.dumps(m.document(), indent=1) for m in self.models.values()}
        if self.overlay is not None:
            files[folder / "utilities" / f"{UTILITY}.yaml"] = json.dumps(self.overlay.document(), indent=1)
        files[self.site / "docs" / "about.md"] = f"# About\n\n{self.page}\n"
        if self.library:
            files[folder / "shared" / "library.yaml"] = json.dumps(library_document(self.library), indent=1)
        for path in [*folder.glob("*.yaml"), *folder.glob("utilities/*.yaml"), *folder.glob("shared/*.yaml")]:
            if path not in files:
                path.unlink()
        for path, text in files.items():
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")

    def keep_overlay_valid(self) -> None:
        """An overlay names existing ids only (a change that removes one takes it out of the overlay)."""
        if self.overlay is None:
            return
        model = self.models.get(self.overlay.model)
        if model is None:
            self.overlay = None
            return
        ids = {i.id for i in model.indicators()}
        self.overlay.override = {k: v for k, v in self.overlay.override.items() if k in ids}
        self.overlay.exclude = [k for k in self.overlay.exclude if k in ids]
        self.overlay.added = [a for a in self.overlay.added if a[2] in model.competencies]
        if not (self.overlay.override or self.overlay.exclude or self.overlay.added):
            self.overlay.override = {model.indicators()[0].id: "Overridden wording"}

    # -- the changes -------------------------------------------------------------------------------

    @initialize(text=texts)
    def start(self, text: str) -> None:
        (self.site / "docs").mkdir(parents=True)
        (self.site / "competency_src").mkdir()
        write_conf_and_pages(self.site)
        model = self.new_model(text)
        self.models[model.id] = model
        self.change(f"start with {model.id}")

    @precondition(lambda self: len(self.models) < 3)
    @rule(text=texts)
    def add_model(self, text: str) -> None:
        model = self.new_model(text)
        self.models[model.id] = model
        self.change(f"add model {model.id}")

    @precondition(lambda self: len(self.models) > 1)
    @rule(data=st.data())
    def remove_model(self, data: st.DataObject) -> None:
        model_id = data.draw(st.sampled_from(sorted(self.models)))
        del self.models[model_id]
        self.change(f"remove model {model_id}")

    @rule(data=st.data(), keep_alias=st.booleans())
    def rename_model(self, data: st.DataObject, keep_alias: bool) -> None:
        model = self.models.pop(data.draw(st.sampled_from(sorted(self.models))))
        old = model.id
        model.id = self.fresh("job-")
        model.aliases = [*model.aliases, old] if keep_alias else []
        self.models[model.id] = model
        if self.overlay is not None and self.overlay.model == old:
            self.overlay.model = model.id
        self.change(f"rename model {old} -> {model.id} (alias kept: {keep_alias})")

    @rule(data=st.data(), text=texts)
    def retitle_model(self, data: st.DataObject, text: str) -> None:
        # Every page's header lists the models' titles; the model's pages have no document.
        model = self.models[data.draw(st.sampled_from(sorted(self.models)))]
        model.title = f"Job {text}"
        self.change(f"retitle model {model.id} as {model.title}")

    def pick_indicator(self, data: st.DataObject) -> tuple[Model, list[Indicator], Indicator]:
        model = self.models[data.draw(st.sampled_from(sorted(self.models)))]
        competency = data.draw(st.sampled_from(sorted(model.competencies)))
        indicators = model.competencies[competency][1]
        if not indicators:
            indicators = next(i for _s, i in model.competencies.values() if i)
        return model, indicators, data.draw(st.sampled_from(indicators))

    @rule(data=st.data(), text=texts)
    def add_indicator(self, data: st.DataObject, text: str) -> None:
        model = self.models[data.draw(st.sampled_from(sorted(self.models)))]
        competency = data.draw(st.sampled_from(sorted(model.competencies)))
        indicators = model.competencies[competency][1]
        indicators.insert(data.draw(st.integers(0, len(indicators))), Indicator(self.fresh("i"), text))
        self.change(f"add indicator to {competency}")

    @rule(data=st.data())
    def remove_indicator(self, data: st.DataObject) -> None:
        model, indicators, indicator = self.pick_indicator(data)
        if len(model.indicators()) == 1:
            return  # a model keeps one indicator, so the overlay always has something to adapt
        indicators.remove(indicator)
        self.change(f"remove indicator {indicator.id}")

    @rule(data=st.data(), text=texts)
    def reword_indicator(self, data: st.DataObject, text: str) -> None:
        _model, _indicators, indicator = self.pick_indicator(data)
        indicator.text = text
        self.change(f"reword {indicator.id}: {text}")

    @rule(data=st.data())
    def move_indicator(self, data: st.DataObject) -> None:
        model, indicators, indicator = self.pick_indicator(data)
        indicators.remove(indicator)
        target = model.competencies[data.draw(st.sampled_from(sorted(model.competencies)))][1]
        target.insert(data.draw(st.integers(0, len(target))), indicator)
        self.change(f"move {indicator.id}")

    @rule(data=st.data(), keep_alias=st.booleans(), back=st.booleans())
    def rename_indicator(self, data: st.DataObject, keep_alias: bool, back: bool) -> None:
        """A new id, or back to a former one; the current id kept as an alias or dropped."""
        _model, _indicators, indicator = self.pick_indicator(data)
        old = indicator.id
        new = data.draw(st.sampled_from(indicator.aliases)) if back and indicator.aliases else self.fresh("i")
        aliases = [a for a in indicator.aliases if a != new]
        indicator.id, indicator.aliases = new, [*aliases, old] if keep_alias else aliases
        if self.overlay is not None and old in self.overlay.override:
            self.overlay.override[new] = self.overlay.override.pop(old)
        self.change(f"rename indicator {old} -> {new} (alias kept: {keep_alias})")

    @rule(data=st.data(), text=texts, kind=st.sampled_from(["override", "exclude", "add"]))
    def change_overlay(self, data: st.DataObject, text: str, kind: str) -> None:
        model, _indicators, indicator = self.pick_indicator(data)
        if self.overlay is None or self.overlay.model != model.id:
            self.overlay = Overlay(model=model.id)
        # A utility either leaves an item out or rewords it (overlay.py refuses both at once).
        if kind == "override":
            self.overlay.override[indicator.id] = text
            if indicator.id in self.overlay.exclude:
                self.overlay.exclude.remove(indicator.id)
        elif kind == "exclude":
            if indicator.id not in self.overlay.exclude:
                self.overlay.exclude.append(indicator.id)
            self.overlay.override.pop(indicator.id, None)
        else:
            competency = data.draw(st.sampled_from(sorted(model.competencies)))
            self.overlay.added.append((self.fresh("u"), text, competency))
        self.change(f"overlay {kind} on {model.id}")

    @precondition(lambda self: self.overlay is not None)
    @rule()
    def remove_overlay(self) -> None:
        self.overlay = None
        self.change("remove the overlay")

    # -- the family of jobs: competencies shared through the library ---------------------------

    @rule(data=st.data(), text=texts)
    def share_competency(self, data: st.DataObject, text: str) -> None:
        model = self.models[data.draw(st.sampled_from(sorted(self.models)))]
        competency = data.draw(st.sampled_from(sorted(model.competencies)))
        # A job uses a shared item once (the loader refuses a second use: tests/test_family.py).
        used = {shared for other, shared in model.shared.items() if other != competency}
        shared_id = data.draw(st.sampled_from([*sorted(set(self.library) - used), self.fresh("s")]))
        self.library.setdefault(shared_id, text)
        model.shared[competency] = shared_id
        self.change(f"{model.id}: {competency} uses shared {shared_id}")

    @precondition(lambda self: any(m.shared for m in self.models.values()))
    @rule(data=st.data())
    def stop_sharing(self, data: st.DataObject) -> None:
        model = self.models[data.draw(st.sampled_from(sorted(m.id for m in self.models.values() if m.shared)))]
        competency = data.draw(st.sampled_from(sorted(model.shared)))
        del model.shared[competency]
        self.change(f"{model.id}: {competency} no longer shared")

    @precondition(lambda self: bool(self.library))
    @rule(data=st.data(), text=texts)
    def reword_library(self, data: st.DataObject, text: str) -> None:
        shared_id = data.draw(st.sampled_from(sorted(self.library)))
        self.library[shared_id] = text
        self.change(f"library: {shared_id} described as {text}")

    @rule(text=texts)
    def edit_page(self, text: str) -> None:
        self.page = text
        self.change(f"edit about.md: {text}")

    # -- after each change: the incremental sites equal the clean ones -----------------------------

    def change(self, what: str) -> None:
        self.keep_overlay_valid()
        self.write()
        self.log.append(what)
        clean = self.root / "clean"
        copy_sources(self.site, clean)
        variants = ["", UTILITY] if self.overlay is not None else [""]
        for utility in variants:
            out = utility or "generic"
            (incremental,) = make_html_commands(
                self.site, self.site / "_build" / out, warnings_are_errors=True, jobs="2", utility=utility
            )
            (fresh,) = make_html_commands(
                clean, clean / "_build" / out, warnings_are_errors=True, jobs="1", utility=utility
            )
            built, rebuilt = run_together([(incremental, self.site), (fresh, clean)])
            steps = "; ".join(self.log)
            assert rebuilt.returncode == 0, f"clean build failed after: {steps}\n{rebuilt.stdout}"
            assert built.returncode == 0, f"incremental build failed after: {steps}\n{built.stdout}"
            published, expected = self.site / "_build" / out / "html", clean / "_build" / out / "html"
            different = differences(published, expected)
            assert different == [], (
                f"{out}: the incremental site differs from a clean build after: {steps}\n"
                + explain_differences(published, expected, different)
            )

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


IncrementalSite.TestCase.settings = settings(
    max_examples=EXAMPLES,
    stateful_step_count=STEPS,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    database=None,
    # The suite's short run draws the same sequences every time (CI stays reproducible); the long run
    # (make test-incremental-long) searches anew each time.
    derandomize=EXAMPLES <= 3,
    # No shrinking: every attempt costs builds, and the failure already lists the changes made.
    phases=[Phase.explicit, Phase.generate],
)


@pytest.mark.slow
def test_incremental_builds_equal_clean_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INCREMENTAL_TMP", str(tmp_path))
    IncrementalSite.TestCase("runTest").runTest()


def build_each_step(root: Path, model: Model, steps: list, overlay: Overlay | None = None) -> Path:
    """Apply each step (a function changing `model` or `overlay`), build incrementally and from
    scratch after it, in the generic site and (with an overlay) the utility's, and compare them.
    Returns the last published folder."""
    site, clean = root / "site", root / "clean"
    (site / "competency_src" / "utilities").mkdir(parents=True)
    write_conf_and_pages(site)
    (site / "docs" / "about.md").write_text("# About\n\nWords.\n", encoding="utf-8")
    for step in steps:
        step()
        (site / "competency_src" / f"{model.id}.yaml").write_text(json.dumps(model.document(), indent=1))
        if overlay is not None:
            (site / "competency_src" / "utilities" / f"{UTILITY}.yaml").write_text(json.dumps(overlay.document()))
        copy_sources(site, clean)
        for utility in ["", UTILITY] if overlay is not None else [""]:
            out = utility or "generic"
            (incremental,) = make_html_commands(site, site / "_build" / out, warnings_are_errors=True, utility=utility)
            (fresh,) = make_html_commands(
                clean, clean / "_build" / out, warnings_are_errors=True, jobs="1", utility=utility
            )
            for result in run_together([(incremental, site), (fresh, clean)]):
                assert result.returncode == 0, result.stdout
            published, expected = site / "_build" / out / "html", clean / "_build" / out / "html"
            different = differences(published, expected)
            assert different == [], explain_differences(published, expected, different)
    return published


@pytest.mark.slow
def test_an_indicator_moved_by_edits_elsewhere_keeps_its_place_in_the_index(tmp_path: Path) -> None:
    """Removing indicators of the first competency moves the later ones' places in published order
    without changing their pages (so they are not read again); an indicator added after them must
    still come last in the index."""
    model = Model(id="job-1", title="Job 1")
    first = [Indicator("first", "Meter valve"), Indicator("second", "Leak"), Indicator("third", "Hydrant")]
    model.competencies["c1"] = ("technical", first)
    model.competencies["c2"] = ("non-technical", [Indicator("fourth", "Route zebra"), Indicator("fifth", "Pump")])
    steps = [
        lambda: None,
        lambda: first.__delitem__(slice(1, None)),
        lambda: model.competencies["c2"][1].append(Indicator("sixth", "Bill safely")),
    ]
    published = build_each_step(tmp_path, model, steps)
    index = (published / "comp-indicators.html").read_text(encoding="utf-8")
    assert index.index("Pump") < index.index("Bill safely")  # published order: II.1.b before II.1.c


@pytest.mark.slow
def test_a_retitled_model_reaches_every_page(tmp_path: Path) -> None:
    """The model's pages have no document, so Sphinx knows none of their titles: the header of every
    page (the home and About pages' too) and the navigation next to them follow a new title."""
    model = Model(id="job-1", title="Job 1")
    model.competencies["c1"] = ("technical", [Indicator("first", "Meter valve")])
    model.competencies["c2"] = ("non-technical", [Indicator("second", "Route zebra")])
    published = build_each_step(tmp_path, model, [lambda: None, lambda: setattr(model, "title", "Leak Detector")])
    for page in ("index.html", "about.html", "job-1/index.html", "job-1/indicators/second.html"):
        text = (published / page).read_text(encoding="utf-8")
        assert "Leak Detector" in text and "Job 1" not in text, page


@pytest.mark.slow
def test_a_variant_that_leaves_out_every_indicator_has_no_index(tmp_path: Path) -> None:
    model = Model(id="job-1", title="Job 1")
    model.competencies["c1"] = ("technical", [Indicator("first", "Meter valve")])
    model.competencies["c2"] = ("non-technical", [Indicator("second", "Route zebra")])
    overlay = Overlay(model="job-1", exclude=["first"])
    published = build_each_step(tmp_path, model, [lambda: None, lambda: overlay.exclude.append("second")], overlay)
    assert published.name == "html" and not (published / "comp-indicators.html").exists()
