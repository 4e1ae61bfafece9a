"""The performance benchmark (`make bench`): build generated sites of growing size and check the targets.

For each size (indicators over ~280-indicator models) it generates the models into
benchmarks/_work/, checks them with the project's loader, and measures with sphinx-build in a
subprocess: the full build (-j 1, and -j 2 with the same output), a no-op rebuild, a rebuild
after editing one indicator, peak memory, and the floor (plain Sphinx, the same number of simple
MyST pages, no sidebar). It prints a table, PASS/FAIL per target, and writes
benchmarks/_work/results.json. See manual/performance.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.generate import model_sizes, write_family, write_models, write_published_texts
from competency.pages.family import family_stubs
from competency.publishing.build_site import DEFAULT_SOURCES, SPHINX_OPTIONS, sphinx_command
from competency.sources.loader import load_model
from competency.sources.site import load_site
from competency.sphinx_ext.stubs import model_stubs

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "benchmarks" / "_work"

GIB = 1024**3
#: Shared competencies of a generated family (--family).
FAMILY_SHARED = 40
TIME = Path("/usr/bin/time")
READ_LINE = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)", re.MULTILINE)
WRITE_LINE = re.compile(r"^writing output\.\.\. \[\s*\d+%\] (\S+)", re.MULTILINE)

FLOOR_CONF = """\
extensions = ["myst_parser"]
html_theme = "basic"
html_sidebars = {"**": []}
smartquotes = False
"""


@dataclass
class Build:
    seconds: float
    #: User + system CPU time of the build and its workers: steadier than wall time on a shared machine.
    cpu: float
    peak_bytes: int
    output: str


def sphinx_build(folder: Path, out: str, jobs: int = 1, *, fresh: bool = True, quiet: bool = True) -> Build:
    """Run the sphinx-build of `make html` on folder/docs (conf.py in folder) into folder/out/.work/html,
    in a subprocess (without the publishing step, which make_html_seconds measures)."""
    build_dir = folder / out
    if fresh:
        shutil.rmtree(build_dir, ignore_errors=True)
    options = [*SPHINX_OPTIONS, *(["-q"] if quiet else [])]
    command = sphinx_command(folder, build_dir, "", str(jobs), DEFAULT_SOURCES, options)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.NamedTemporaryFile("r") as rss:
        if TIME.exists():  # GNU time: peak resident set of the build and the workers it waited for
            command = [str(TIME), "-f", "%M", "-o", rss.name, *command]
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        seconds = time.perf_counter() - start
        peak_kib = int(rss.read().split()[-1]) if TIME.exists() else 0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode:
        sys.exit(f"sphinx-build failed in {folder}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return Build(seconds, cpu, peak_kib * 1024 or after.ru_maxrss * 1024, done.stdout)


# -- the sites ------------------------------------------------------------------------------------


def make_site(size: int, name: str = "", from_text: bool = False, family: bool = False) -> dict:
    """The project's conf.py and a home page with the catalogue, over generated models.

    With `from_text`, the models are written in the published plain-text shape and imported with
    `competency import`, as a maintainer brings in a published model. With `family`, the models
    share FAMILY_SHARED competencies through a library and declare a career path from each job to
    the next (benchmarks/generate.py, write_family).
    """
    folder = WORK / (name or f"site-{size}")
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "docs").mkdir(parents=True)
    conf = (ROOT / "conf.py").read_text(encoding="utf-8")
    (folder / "conf.py").write_text(conf + '\ncompetency_source_dir = "models"\n', encoding="utf-8")
    for extra in ("_static", "_templates"):
        if (ROOT / "docs" / extra).is_dir():
            shutil.copytree(ROOT / "docs" / extra, folder / "docs" / extra)
    (folder / "docs" / "index.md").write_text("# Benchmark site\n\n```{comp:catalogue}\n```\n", encoding="utf-8")
    shared: set[str] = set()
    if family:
        jobs = len(model_sizes(size))
        write_family(folder / "models", jobs=jobs, shared=FAMILY_SHARED, per_model=size // jobs)
        loaded = load_site(folder / "models")  # the project's own checks, the library's included
        models = list(loaded.models.values())
        shared = {docname for docname, _ in family_stubs(loaded)}
    else:
        paths = import_texts(folder, size) if from_text else write_models(folder / "models", size)
        models = [load_model(path) for path in paths]  # the project's own checks
    pages = {docname for model in models for docname, _ in model_stubs(model)}
    return {
        "folder": folder,
        "models": models,
        "indicators": sum(len(m.indicators) for m in models),
        "pages": len(pages) + len(shared) + 1,
        "family_pages": shared,
    }


def import_texts(folder: Path, size: int) -> list[Path]:
    """Plain-text models in folder/texts, imported into folder/models with `competency import`."""
    (folder / "models").mkdir()
    paths = []
    for text in write_published_texts(folder / "texts", size):
        path = folder / "models" / f"{text.stem}.yaml"
        done = subprocess.run(
            [sys.executable, "-m", "competency.cli", "import", str(text), "-o", str(path)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode:
            sys.exit(f"competency import {text} failed:\n{done.stderr[-3000:]}")
        paths.append(path)
    return paths


def make_floor(size: int, pages: int) -> Path:
    """Plain Sphinx: the same number of simple MyST pages in toctrees of 50, no sidebar."""
    folder = WORK / f"floor-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    docs = folder / "docs"
    docs.mkdir(parents=True)
    (folder / "conf.py").write_text(FLOOR_CONF, encoding="utf-8")
    words = "Explains the water meter reading route and records every service line pressure check for the crew"
    groups = []
    for group in range(0, pages - 1, 50):
        names = [f"p{n:05d}" for n in range(group, min(group + 50, pages - 1))]
        for name in names:
            (docs / f"{name}.md").write_text(f"# Page {name} {words[:40]}\n\n{words}.\n", encoding="utf-8")
        groups.append(f"g{group:05d}")
        (docs / f"{groups[-1]}.md").write_text(
            f"# Group {group}\n\n```{{toctree}}\n:hidden:\n\n" + "\n".join(names[1:]) + "\n```\n", encoding="utf-8"
        )
        (docs / f"{names[0]}.md").unlink()  # the group page takes the place of its first page
    (docs / "index.md").write_text("# Floor\n\n```{toctree}\n\n" + "\n".join(groups) + "\n```\n", encoding="utf-8")
    return folder


def tree_digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".doctrees" not in p.parts
    }


def edit_one_indicator(model_path: Path) -> str:
    """Append a word to the first text of a model's own indicator (a shared indicator's words are the
    library's: a job may not change them); return the original YAML to restore."""
    original = model_path.read_text(encoding="utf-8")
    lines = original.splitlines(keepends=True)
    n = next(
        i
        for i, line in enumerate(lines)
        if line.lstrip().startswith("text: ") and not lines[i - 1].lstrip().startswith("shared: ")
    )
    lines[n] = lines[n].rstrip("\n") + " promptly\n"
    model_path.write_text("".join(lines), encoding="utf-8")
    return original


# -- one round ------------------------------------------------------------------------------------


def one_round(site: dict, floor: Path) -> dict:
    folder: Path = site["folder"]
    full = sphinx_build(folder, "_build/j1", jobs=1)
    parallel = sphinx_build(folder, "_build/j2", jobs=2)
    one, two = tree_digest(folder / "_build/j1/.work/html"), tree_digest(folder / "_build/j2/.work/html")
    differing = sorted(name for name in one.keys() | two.keys() if one.get(name) != two.get(name))
    noop = sphinx_build(folder, "_build/j1", jobs=1, fresh=False, quiet=False)
    model = site["models"][0]
    original = edit_one_indicator(model.path)
    try:
        edit = sphinx_build(folder, "_build/j1", jobs=1, fresh=False, quiet=False)
    finally:
        model.path.write_text(original, encoding="utf-8")
    reread = READ_LINE.findall(edit.output)
    model_pages = {docname for docname, _ in model_stubs(model)}
    # A family page lists every job that uses its item: an edit reads the family's pages again (docs/family.md).
    outside = sorted(set(reread) - model_pages - {"index"} - site["family_pages"])
    floor_build = sphinx_build(floor, "_build", jobs=1)
    return {
        "full": full.seconds,
        "full_j2": parallel.seconds,
        "noop": noop.seconds,
        "edit": edit.seconds,
        "floor": floor_build.seconds,
        "full_cpu": full.cpu,
        "floor_cpu": floor_build.cpu,
        "load": os.getloadavg()[0],
        "peak_bytes": max(full.peak_bytes, parallel.peak_bytes),
        "noop_reread": len(READ_LINE.findall(noop.output)),
        "edit_reread": len(reread),
        "edit_written": len(WRITE_LINE.findall(edit.output)),
        "edit_model_pages": len(model_pages),
        "edit_reread_outside_model": outside,
        "j1_j2_files": len(one),
        "j1_j2_differing": differing[:20],
        "j1_j2_same": not differing,
    }


def median_of(rounds: list[dict]) -> dict:
    result = dict(rounds[-1])
    for key, value in rounds[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            result[key] = statistics.median(r[key] for r in rounds)
    result["j1_j2_same"] = all(r["j1_j2_same"] for r in rounds)
    result["edit_reread_outside_model"] = sorted({d for r in rounds for d in r["edit_reread_outside_model"]})
    return result


# -- editions -------------------------------------------------------------------------------------


def make_html_seconds(folder: Path, env: dict[str, str]) -> tuple[float, str]:
    """One `make html` of a site (its entry point, competency.publishing.build_site), timed."""
    command = [
        sys.executable,
        "-m",
        "competency.publishing.build_site",
        "--root",
        str(folder),
        "--jobs",
        "1",
        "--",
        "-q",
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    seconds = time.perf_counter() - start
    if done.returncode:
        sys.exit(f"make html failed in {folder}:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def measure_editions(size: int, count: int) -> dict:
    """A no-op `make html` of a site in git before any release and after `count` editions
    (one indicator edited between two releases): the kept editions must cost almost nothing."""
    folder = WORK / f"editions-{size}"
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "docs").mkdir(parents=True)
    shutil.copy(ROOT / "conf.py", folder / "conf.py")
    if (ROOT / "docs" / "_templates").is_dir():
        shutil.copytree(ROOT / "docs" / "_templates", folder / "docs" / "_templates")
    (folder / "docs" / "index.md").write_text(
        "# Benchmark site\n\n```{comp:catalogue}\n```\n\n```{comp:editions}\n```\n", encoding="utf-8"
    )
    (folder / ".gitignore").write_text("/_build/\n", encoding="utf-8")
    paths = write_models(folder / "competency_src", size)
    identity = {f"GIT_{r}_{k}": v for r in ("AUTHOR", "COMMITTER") for k, v in (("NAME", "Bench"), ("EMAIL", "b@x"))}
    env = {**os.environ, **identity, "SOURCE_DATE_EPOCH": "0", "GIT_CONFIG_GLOBAL": os.devnull}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, check=True)

    def release(name: str) -> None:
        command = [sys.executable, "-m", "competency.cli", "release", name, "--date", "2025-01-01"]
        subprocess.run(command, cwd=folder, env=env, capture_output=True, check=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "models")
    make_html_seconds(folder, env)
    before, _ = make_html_seconds(folder, env)
    for n in range(1, count + 1):
        if n > 1:
            edit_one_indicator(paths[0])
            git("commit", "-q", "-a", "-m", f"edit {n}")
        release(f"e{n}")
    first, output = make_html_seconds(folder, env)
    after, noop_output = make_html_seconds(folder, env)
    return {
        "indicators": size,
        "editions": count,
        "noop_without": before,
        "build_editions": first,
        "noop_with": after,
        "editions_built": output.count("Building edition"),
        "noop_rebuilt": noop_output.count("Building edition"),
    }


def editions_target(result: dict) -> tuple[str, bool, str]:
    ratio = result["noop_with"] / result["noop_without"]
    return (
        f"no-op make html with {result['editions']} editions within 1.25x of none (no edition rebuilt)",
        ratio <= 1.25 and result["noop_rebuilt"] == 0 and result["editions_built"] == result["editions"],
        f"{result['noop_with']:.2f} s vs {result['noop_without']:.2f} s: {ratio:.2f}x "
        f"({result['editions_built']} editions built in {result['build_editions']:.0f} s, then reused)",
    )


# -- targets and report ---------------------------------------------------------------------------


def targets(results: dict[int, dict]) -> list[tuple[str, bool, str]]:
    small, large = results[min(results)], results[max(results)]
    per_small = small["full"] / small["indicators"]
    per_large = large["full"] / large["indicators"]
    cpu_ratio = (large["full_cpu"] / large["indicators"]) / (small["full_cpu"] / small["indicators"])
    at = f"at {large['indicators']:,} indicators"
    return [
        (
            "full build within 1.5x of the floor at every size",
            all(r["full"] <= 1.5 * r["floor"] for r in results.values()),
            ", ".join(
                f"{r['full'] / r['floor']:.2f}x (CPU time {r['full_cpu'] / r['floor_cpu']:.2f}x)"
                for r in results.values()
            ),
        ),
        (
            f"time per indicator at {large['indicators']:,} within 1.3x of {small['indicators']:,}",
            per_large <= 1.3 * per_small,
            f"{per_large * 1000:.1f} ms vs {per_small * 1000:.1f} ms: "
            f"{per_large / per_small:.2f}x (CPU time {cpu_ratio:.2f}x)",
        ),
        (f"no-op rebuild under 3 s {at}", large["noop"] < 3, f"{large['noop']:.2f} s"),
        (
            f"one-indicator edit under 10% of the full build {at}",
            large["edit"] < 0.1 * large["full"],
            f"{large['edit']:.1f} s = {large['edit'] / large['full']:.0%}",
        ),
        (
            "one-indicator edit re-reads only the edited model's pages (and the home page)",
            all(not r["edit_reread_outside_model"] for r in results.values()),
            ", ".join(f"{int(r['edit_reread'])} of {r['pages']}" for r in results.values()),
        ),
        (
            "-j 2 faster than -j 1 and the same site",
            all(r["full_j2"] < r["full"] and r["j1_j2_same"] for r in results.values()),
            ", ".join(
                f"{r['full_j2'] / r['full']:.2f}x{'' if r['j1_j2_same'] else ' DIFFERENT'}" for r in results.values()
            ),
        ),
        (f"peak memory under 1 GiB {at}", large["peak_bytes"] < GIB, f"{large['peak_bytes'] / 2**20:.0f} MiB"),
    ]


def report(results: dict[int, dict]) -> str:
    head = (
        "indicators",
        "models",
        "pages",
        "runs",
        "load",
        "floor s",
        "full -j1 s",
        "x floor",
        "CPU x floor",
        "ms/indicator",
        "full -j2 s",
        "no-op s",
        "edit s",
        "re-read",
        "peak MiB",
    )
    rows = [
        (
            f"{r['indicators']:,}",
            r["models"],
            f"{r['pages']:,}",
            r["repeats"],
            f"{r['load']:.1f}",
            f"{r['floor']:.1f}",
            f"{r['full']:.1f}",
            f"{r['full'] / r['floor']:.2f}",
            f"{r['full_cpu'] / r['floor_cpu']:.2f}",
            f"{r['full'] / r['indicators'] * 1000:.1f}",
            f"{r['full_j2']:.1f}",
            f"{r['noop']:.2f}",
            f"{r['edit']:.1f}",
            int(r["edit_reread"]),
            f"{r['peak_bytes'] / 2**20:.0f}",
        )
        for r in results.values()
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    lines += ["", "| target | result | measured |", "| --- | --- | --- |"]
    lines += [f"| {name} | {'PASS' if ok else 'FAIL'} | {measured} |" for name, ok, measured in targets(results)]
    return "\n".join(lines)


def planned_repeats(
    size: int, wanted: int, round_seconds: float, elapsed: float, later: list[int], budget: float
) -> int:
    """Rounds for this size: as many as wanted while the run stays within the budget, keeping room
    for one round of each larger size (estimated as growing linearly)."""
    later_first_rounds = sum(round_seconds * s / size for s in later)
    affordable = int((budget - elapsed - later_first_rounds) // round_seconds)
    return max(1, min(wanted, 1 + affordable))


def save(results: dict[int, dict], path: Path) -> None:
    """Write the results (and the targets, once there are any) as JSON."""
    machine = {"nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    data = {
        "machine": machine,
        "sizes": {str(k): v for k, v in sorted(results.items())},
        "targets": [{"target": t, "pass": ok, "measured": m} for t, ok, m in targets(results)],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")


def measure(size: int, args: argparse.Namespace, started: float, later: list[int]) -> dict:
    site = make_site(size, from_text=args.from_text, family=args.family)
    floor = make_floor(size, site["pages"])
    print(f"{size:,} indicators: {len(site['models'])} models, {site['pages']:,} pages", flush=True)
    round_start = time.perf_counter()
    rounds = [one_round(site, floor)]
    round_seconds = time.perf_counter() - round_start
    repeats = planned_repeats(size, args.repeat, round_seconds, time.perf_counter() - started, later, args.budget * 60)
    print(f"  round 1 took {round_seconds:.0f} s; {repeats} round(s) at this size", flush=True)
    rounds += [one_round(site, floor) for _ in range(repeats - 1)]
    return {
        **median_of(rounds),
        "indicators": site["indicators"],
        "models": len(site["models"]),
        "pages": site["pages"],
        "repeats": repeats,
        "rounds": rounds,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000,5000", help="indicator counts, comma-separated")
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="rounds per size (medians); fewer for large sizes when the run would exceed the budget",
    )
    parser.add_argument("--budget", type=float, default=25, help="minutes the whole run should take (default 25)")
    parser.add_argument(
        "--from-text",
        action="store_true",
        help="write the models as published plain text and import them with `competency import` first",
    )
    parser.add_argument(
        "--editions", type=int, default=5, help="editions of the no-op editions measurement (0: skip it)"
    )
    parser.add_argument(
        "--family",
        action="store_true",
        help=f"a family of jobs: the models share {FAMILY_SHARED} competencies and declare career paths",
    )
    parser.add_argument("--results", type=Path, default=WORK / "results.json", help="JSON file written")
    parser.add_argument(
        "--combine",
        nargs="+",
        type=Path,
        metavar="JSON",
        help="measure nothing: report the sizes of earlier results files together",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    results: dict[int, dict] = {}
    if args.combine:
        for path in args.combine:
            results |= {int(k): v for k, v in json.loads(path.read_text(encoding="utf-8"))["sizes"].items()}
    else:
        sizes = sorted(int(s) for s in args.sizes.split(","))
        for n, size in enumerate(sizes):
            results[size] = measure(size, args, started, sizes[n + 1 :])
            save(results, args.results)  # a long run keeps what it measured so far
    print(report(results))
    save(results, args.results)
    if args.editions and not args.combine:
        editions = measure_editions(min(results), args.editions)
        name, ok, measured = editions_target(editions)
        print(f"| {name} | {'PASS' if ok else 'FAIL'} | {measured} |")
        data = json.loads(args.results.read_text(encoding="utf-8"))
        data["editions"] = {**editions, "target": name, "pass": ok, "measured": measured}
        args.results.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
    print(f"results: {args.results} ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
