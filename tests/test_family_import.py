"""`competency import` joins the family of the folder it imports into; `competency share` lifts a competency."""

from __future__ import annotations

import difflib
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from competency.cli import main
from competency.sources.family import family_of
from competency.sources.site import load_site
from competency.sources.yamlfile import read_yaml

from .conftest import REPO
from .helpers import page_text, write_root_conf

EXAMPLE = REPO / "examples" / "family" / "competency_src"
TEXT = REPO / "tests" / "data" / "import" / "treatment-plant-operator.txt"
JOB = "treatment-plant-operator"


@pytest.fixture
def family(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the example family in a site folder (the current folder, so messages name short paths)."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLE, site / "competency_src")
    monkeypatch.chdir(site)
    return site / "competency_src"


def _import(folder: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["import", str(TEXT), "-o", str(folder / f"{JOB}.yaml")]) == 0
    return capsys.readouterr().err


def _uses(folder: Path, model_id: str) -> dict[str, str]:
    site = load_site(folder)
    assert site.library is not None
    return dict(site.library.uses[model_id])


def line(start: str) -> int:
    """The line of the test's text that starts so."""
    lines = TEXT.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.startswith(start))


def test_import_joins_the_shared_competencies_and_says_so_line_by_line(
    family: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _import(family, capsys)
    uses = _uses(family, JOB)
    assert {k: v for k, v in uses.items() if k in load_site(family).models[JOB].competencies} == {
        "computer-skills": "computer-skills",
        "communication": "communication",
        "critical-and-analytical-thinking": "critical-and-analytical-thinking",
        "customer-focus": "customer-focus",
        "safety-awareness": "safety-awareness",
        "mathematics": "mathematics",
        "dependability-and-reliability": "dependability-and-reliability",
        "reading": "reading",
        "conscientiousness": "conscientiousness",
        "learning-orientation": "learning-orientation",
    }
    # Not shared: the job's own competencies and a title another job has but the library does not.
    assert "water-treatment-processes" not in uses and "mechanical-aptitude" not in uses
    path = TEXT.as_posix()
    # Case and spacing do not count, and the output says they were set aside.
    assert (
        f"{path}:{line('2. COMPUTER SKILLS')}: note: I.2 'COMPUTER SKILLS' joins the shared competency "
        "'computer-skills': 'COMPUTER SKILLS' is 'Computer Skills' (compared as published: case, spacing, "
        "apostrophes, a final full stop and a qualifier in brackets aside)"
    ) in err
    assert f"{path}:{line('2. Critical  and')}: note: II.2 'Critical and analytical thinking' joins" in err
    assert f"{path}:{line('1. Communication')}: note: II.1 'Communication' joins the shared competency" in err
    # Indicators worded as a shared one become uses of it (a final full stop aside).
    assert uses["actively-listens-seeks-understand-others"] == "actively-listens-to-others"
    assert uses["checks-own-work-ensure-accuracy"] == "checks-own-work-for-accuracy"
    assert f"{path}:{line('a. Checks own work')}: note: V.1.a joins the shared indicator" in err
    # A near-duplicate is warned about and kept separate.
    assert "ensures-customer-requests-promptly-addressed" not in uses
    assert (
        f"{path}:{line('a. Ensures that')}: warning: II.3.a is nearly the shared indicator "
        "'ensures-prompt-response-to-requests': same indicator?"
    ) in err
    assert "written from" in err and "joined the family: 10 shared competencies, 3 shared indicators" in err


def test_a_hyphen_or_words_the_job_already_shares_are_warned_about_never_joined_twice(
    family: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / f"{JOB}.txt"
    written = TEXT.read_text(encoding="utf-8").replace("4. Safety Awareness\n", "4. Safety-Awareness\n")
    # A superior-performance competency listing the words of II.1.a again, in another case.
    again = "c. ACTIVELY listens and seeks to understand others: customers, colleagues, managers\n"
    text.write_text(written.rstrip("\n") + "\n" + again, encoding="utf-8")
    assert main(["import", str(text), "-o", str(family / f"{JOB}.yaml")]) == 0
    err = capsys.readouterr().err
    path = text.as_posix()
    lines = text.read_text(encoding="utf-8").splitlines()
    at = {start: next(n for n, t in enumerate(lines, 1) if t.startswith(start)) for start in ("4. Safety", "c. ACT")}
    assert (
        f"{path}:{at['4. Safety']}: warning: II.4 'Safety-Awareness' is nearly the shared competency "
        "'Safety Awareness': same competency? (they differ only in case, spacing or punctuation;"
    ) in err
    assert (
        f"{path}:{at['c. ACT']}: warning: V.2.c has the words of the shared indicator 'actively-listens-to-others' "
        "(compared as published: case, spacing, apostrophes and a final full stop aside), which this job already "
        "uses as 'actively-listens-seeks-understand-others' (kept as the job's own indicator: a job uses a shared "
        "indicator once; if it is the same behaviour, write `- ref: actively-listens-seeks-understand-others` for it)"
    ) in err
    uses = _uses(family, JOB)
    assert "safety-awareness" not in uses  # the hyphenated title is the job's own
    assert list(uses.values()).count("actively-listens-to-others") == 1
    # Messages come in the order of the text's lines.
    numbers = [int(m) for m in re.findall(rf"^{re.escape(path)}:(\d+): ", err, flags=re.MULTILINE)]
    assert numbers == sorted(numbers) and len(numbers) > 5


def test_import_reports_titles_and_words_other_jobs_have_with_the_command_that_shares_them(
    family: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _import(family, capsys)
    assert (
        "III.1.b 'Mechanical Aptitude' is also a competency of distribution-system-operator (III.1.c), not shared "
        "yet (to share it, after this import: competency share 'Mechanical Aptitude' --src competency_src)"
    ) in err
    assert "II.5 'Interpersonal Skills' is also a competency of customer-service-representative (II.4)" in err
    assert (
        "II.4.b has the words of distribution-system-operator II.4.b, meter-reader II.3.b, not shared yet "
        "(to share it with its competency, after this import: competency share safety-awareness --src competency_src)"
    ) in err


def test_the_command_that_shares_a_title_spells_it_as_the_folder_does(
    family: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = tmp_path / f"{JOB}.txt"
    written = TEXT.read_text(encoding="utf-8")
    assert "b. Mechanical Aptitude (Basic Expertise)" in written
    text.write_text(written.replace("b. Mechanical Aptitude", "b. MECHANICAL  APTITUDE"), encoding="utf-8")
    assert main(["import", str(text), "-o", str(family / f"{JOB}.yaml")]) == 0
    err = capsys.readouterr().err
    assert "III.1.b 'MECHANICAL APTITUDE' is also a competency of distribution-system-operator (III.1.c)" in err
    assert "after this import: competency share 'Mechanical Aptitude' --src competency_src)" in err
    assert "competency share 'MECHANICAL" not in err


def test_share_lifts_a_reported_title_keeping_every_comment_and_the_site_builds(
    family: Path, capsys: pytest.CaptureFixture[str], make_app: Callable[..., SphinxTestApp]
) -> None:
    err = _import(family, capsys)
    commands = re.findall(r"after this import: (competency share [^)]*)\)", err)
    command = next(c for c in commands if "Mechanical Aptitude" in c)
    operator = family / "distribution-system-operator.yaml"
    library = family / "shared" / "library.yaml"
    before = {p: p.read_text(encoding="utf-8") for p in (operator, library)}
    assert main(shlex.split(command)[1:]) == 0
    out = capsys.readouterr().err
    library_line = "the shared competency 'mechanical-aptitude' (Mechanical Aptitude) added"
    assert f"competency_src/shared/library.yaml: {library_line}" in out
    assert re.search(
        r"competency_src/distribution-system-operator.yaml:\d+:\d+: III.1.c 'mechanical-aptitude' is now a use", out
    )
    assert _uses(family, "distribution-system-operator")["mechanical-aptitude"] == "mechanical-aptitude"
    assert _uses(family, JOB)["mechanical-aptitude"] == "mechanical-aptitude"
    # The round trip adds lines and changes no other: every comment, blank line and quote stays.
    for path, old in before.items():
        diff = list(difflib.ndiff(old.splitlines(), path.read_text(encoding="utf-8").splitlines()))
        assert not [d for d in diff if d.startswith("- ")], path
        added = [d[2:].strip() for d in diff if d.startswith("+ ")]
        assert added in (["shared: mechanical-aptitude"], ["- id: mechanical-aptitude", "title: Mechanical Aptitude"])
    text = library.read_text(encoding="utf-8")
    assert text.index("title: Mechanical Aptitude") < text.index("# Career paths")  # not under the next comment

    # Sharing an already shared competency lifts the words its jobs now have in common.
    assert main(["share", "safety-awareness", "--src", "competency_src"]) == 0
    assert "the shared indicator 'reports-hazards' added: Reports hazards to the supervisor" in capsys.readouterr().err
    assert _uses(family, JOB)["reports-hazards-supervisor"] == "reports-hazards"
    assert _uses(family, "meter-reader")["reports-hazards"] == "reports-hazards"

    srcdir = family.parent
    write_root_conf(srcdir)
    (srcdir / "index.md").write_text("# The family\n\n```{comp:catalogue}\n```\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir, freshenv=True, warningiserror=True)
    app.build()
    assert app.statuscode == 0 and app.warning.getvalue() == ""
    page = page_text(Path(app.outdir) / "shared" / "competencies" / "mechanical-aptitude.html")
    assert "Needed in 2 jobs" in page
    assert "Distribution System Operator (invented example)" in page and "Treatment Plant Operator" in page
    listed = page_text(Path(app.outdir) / "shared" / "indicators" / "reports-hazards.html")
    assert "Listed by 3 jobs" in listed, listed


def test_share_creates_the_library_when_the_folder_has_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "competency_src"
    folder.mkdir()
    shutil.copy(REPO / "competency_src" / "customer-service-representative.yaml", folder)
    shutil.copytree(REPO / "competency_src" / "hr", folder / "hr")  # the scale its anchors rate on
    monkeypatch.chdir(tmp_path)
    err = _import(folder, capsys)
    assert "II.1 'Communication' is also a competency of customer-service-representative (II.1)" in err
    assert "competency share Communication --src competency_src" in err
    assert "joined the family: 0 shared competencies, 0 shared indicators" in err
    assert main(["share", "Communication", "--src", "competency_src"]) == 0
    library = read_yaml(folder / "shared" / "library.yaml").data
    assert library["competencies"] == [
        {
            "id": "communication",
            "title": "Communication",
            "indicators": [
                {
                    "id": "actively-listens-to-others",
                    "text": "Actively listens and seeks to understand others: customers, colleagues, managers",
                }
            ],
        }
    ]
    assert (folder / "shared" / "library.yaml").read_text(encoding="utf-8").startswith("# The shared competency")
    site = load_site(folder)
    fam = family_of(site)
    assert fam is not None
    assert [(u.model.id, u.item) for u in fam.uses_of("actively-listens-to-others")] == [
        ("customer-service-representative", "actively-listens-to-others"),
        (JOB, "actively-listens-seeks-understand-others"),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Driving"], "meter-reader.yaml:73:13: error: 'Driving': only meter-reader has it"),
        (["Talking Loudly"], "error: no model has a competency titled or named 'Talking Loudly'"),
        (
            ["Mechanical Aptitude", "--id", "communication"],
            "library.yaml:5:5: error: the shared id 'communication' is already used in shared/library.yaml",
        ),
        (["Driving", "--from", "nobody"], "'Driving': only meter-reader has it"),
        (
            ["Mechanical Aptitude", "--from", "meter-reader"],
            "error: --from meter-reader: that job has no competency 'Mechanical Aptitude' to share (choose one of the "
            "jobs that have it: distribution-system-operator, treatment-plant-operator)",
        ),
        (["Mechanical Aptitude", "--id", "Bad Id"], "the shared id 'Bad Id' is not lowercase words"),
        (["Communication", "--id", "talk"], "'Communication' is already shared as 'communication'"),
    ],
)
def test_share_refuses_what_it_cannot_share_and_writes_nothing(
    family: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    _import(family, capsys)
    before = {p: p.read_bytes() for p in family.rglob("*.yaml")}
    assert main(["share", *args, "--src", "competency_src"]) == 1
    assert message in capsys.readouterr().err
    assert {p: p.read_bytes() for p in family.rglob("*.yaml")} == before


def test_the_library_takes_the_title_and_words_of_the_job_spelled_as_given_or_named(
    family: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The new job spells the title and the words another way than the customer service representative.
    text = tmp_path / f"{JOB}.txt"
    written = TEXT.read_text(encoding="utf-8").replace("5. Interpersonal Skills\n", "5. interpersonal skills\n")
    written = written.replace(
        "a. Works smoothly with laboratory and maintenance staff\n",
        "a. Works smoothly with laboratory and maintenance staff\nb. Develops trust-based relationships with others.\n",
    )
    text.write_text(written, encoding="utf-8")
    assert main(["import", str(text), "-o", str(family / f"{JOB}.yaml")]) == 0
    imported = {p: p.read_bytes() for p in family.rglob("*.yaml")}
    library = family / "shared" / "library.yaml"

    def shared_entry() -> tuple[str, str, str]:
        data = read_yaml(library).data
        entry = next(c for c in data["competencies"] if c["id"] == "interpersonal-skills")
        indicator = next(i for i in entry["indicators"])
        return entry["title"], indicator["id"], indicator["text"]

    # As the import's command spells it: the customer service representative's title and words.
    assert main(["share", "Interpersonal Skills", "--src", "competency_src"]) == 0
    assert shared_entry() == (
        "Interpersonal Skills",
        "develops-trust-based-relationships",
        "Develops trust-based relationships with others",
    )
    for path, data in imported.items():
        path.write_bytes(data)
    # Spelled as the new job spells it, or that job named with --from: the new job's.
    for args in (["interpersonal skills"], ["Interpersonal Skills", "--from", JOB]):
        assert main(["share", *args, "--src", "competency_src"]) == 0
        title, indicator_id, words = shared_entry()
        assert (title, words) == ("interpersonal skills", "Develops trust-based relationships with others.")
        assert indicator_id != "develops-trust-based-relationships"  # the new job's own id
        assert _uses(family, JOB)["interpersonal-skills"] == "interpersonal-skills"
        for path, data in imported.items():
            path.write_bytes(data)
    capsys.readouterr()


def test_share_by_a_models_competency_id(family: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _import(family, capsys)
    assert main(["share", "interpersonal-skills", "--src", "competency_src", "--id", "working-with-others"]) == 0
    assert _uses(family, "customer-service-representative")["interpersonal-skills"] == "working-with-others"
    assert _uses(family, JOB)["interpersonal-skills"] == "working-with-others"


def test_import_into_a_folder_whose_models_have_errors_writes_nothing(
    family: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meter = family / "meter-reader.yaml"
    meter.write_text(meter.read_text(encoding="utf-8").replace("shared: communication", "shared: comunication"))
    assert main(["import", str(TEXT), "-o", str(family / f"{JOB}.yaml")]) == 1
    err = capsys.readouterr().err
    assert "unknown shared competency 'comunication'" in err
    assert "the models of this folder have errors; nothing written" in err
    assert not (family / f"{JOB}.yaml").exists()


def test_the_output_shown_in_the_docs_is_what_the_commands_print(
    family: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """manual/family.md quotes the import and share output: every quoted line must be printed as shown."""
    blocks = re.findall(r"```text\n(.*?)```", (REPO / "manual" / "family.md").read_text(encoding="utf-8"), re.DOTALL)
    imported, shared = (block.splitlines() for block in blocks[:2])
    err = _import(family, capsys).replace(TEXT.as_posix(), "TEXT")
    for quoted in imported:
        assert quoted in err.splitlines(), quoted
    assert shared[0] == "$ competency share safety-awareness --src competency_src"
    assert main(shlex.split(shared[0])[2:]) == 0
    assert capsys.readouterr().err.splitlines() == shared[1:]


def test_words_of_a_shared_indicator_under_another_competency_stay_the_jobs_own(
    family: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Joined, they would be a shared indicator under the wrong competency, which the import's own
    check refuses: the published text could not be imported at all. "&" reads as "and" when titles
    are compared for near-duplicates."""
    text = tmp_path / "pump-station-attendant.txt"
    text.write_text(
        "Water Utility Competency Model: Pump Station Attendant\nI. Technical Competencies\n1. Radio Procedures\n"
        "a. Actively listens and seeks to understand others: customers, colleagues, managers\n"
        "II. Non-Technical Competencies\n1. Critical & Analytical Thinking\n"
        "a. Draws conclusions from relevant information\n",
        encoding="utf-8",
    )
    out = family / "pump-station-attendant.yaml"
    assert main(["import", str(text), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    path = text.as_posix()
    assert (
        f"{path}:4: note: I.1.a has the words of the shared indicator 'actively-listens-to-others', but is listed "
        "under another competency than its shared competency 'Communication' (kept as the job's own indicator"
    ) in err
    assert (
        f"{path}:6: warning: II.1 'Critical & Analytical Thinking' is nearly the shared competency "
        "'Critical and Analytical Thinking': same competency?"
    ) in err
    assert (
        f"{path}:7: note: II.1.a has the words of customer-service-representative II.2.b, not shared yet (kept "
        "separate: the other job lists it under 'Critical and Analytical Thinking', whose title is nearly this one's)"
    ) in err
    site = load_site(family)  # the written model loads, with no use of the library
    assert "pump-station-attendant" in site.models
    assert site.library is not None and site.library.uses["pump-station-attendant"] == {}


def test_share_names_the_near_duplicates_it_leaves_out(
    family: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """share matches titles as published: a job's "Safety-Awareness" stays its own, and share says so
    rather than only that nothing was left to change."""
    text = tmp_path / f"{JOB}.txt"
    text.write_text(TEXT.read_text(encoding="utf-8").replace("4. Safety Awareness\n", "4. Safety-Awareness\n"))
    assert main(["import", str(text), "-o", str(family / f"{JOB}.yaml")]) == 0
    capsys.readouterr()
    assert main(["share", "Safety Awareness", "--src", str(family)]) == 0
    err = capsys.readouterr().err
    written = (family / f"{JOB}.yaml").read_text(encoding="utf-8").splitlines()
    at = next(n for n, t in enumerate(written, 1) if "title: Safety-Awareness" in t)
    found = re.search(
        rf"{JOB}\.yaml:(\d+):\d+: note: {JOB} II\.4 'Safety-Awareness' is nearly 'Safety Awareness' and was "
        r"left as it is \(if it is the same competency, write its title the same and run this command again\)",
        err,
    )
    assert found is not None, err
    assert at - 1 <= int(found[1]) <= at  # the competency's entry
    assert "safety-awareness" not in _uses(family, JOB)
