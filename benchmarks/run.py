"""The performance benchmark (`make bench`): the maintainer's commands on generated sites of growing
size, beside the floor, sphinx-needs and Hugo building the same content, and the targets.

For each size (indicators over ~280-indicator models) it makes a site folder that is a copy of the
project's layout (benchmarks/user_site.py: conf.py, docs/, Makefile, competency_src/ with the models
imported from the published plain-text shape, two utilities' overlays, the project's .venv) and
measures, with `make` in that folder as a maintainer types it: a full `make html` after
`make clean`, a no-op `make html`, one indicator edited then `make html` (which pages were written,
which changed), and `make variants` (the generic site and both utilities) after `make clean`.
The same round builds the floor (plain Sphinx, the same number of simple MyST pages, basic theme,
no sidebar) and, unless --no-peers, a sphinx-needs project and a Hugo site generated from the same
models (benchmarks/peers.py, in their own virtualenv benchmarks/_peers/venv). Pages are counted in
the published folders only. It prints one table per size, PASS/FAIL per target, and writes
benchmarks/_work/results.json. See manual/performance.md.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from benchmarks import peers
from benchmarks.generate import write_models
from benchmarks.timing import Timed, html_pages, plain_environment, timed
from benchmarks.user_site import (
    FAMILY_SHARED,
    ROOT,
    UTILITIES,
    WORK,
    UserSite,
    check_project_venv,
    edit_one_indicator,
    make,
    make_user_site,
)
from competency.publishing.build_site import DEFAULT_SOURCES, SPHINX_OPTIONS, sphinx_command

MIB = 2**20
#: What `make html` says when it published nothing: it stopped before Sphinx, or the swap had nothing to do.
NOTHING_PUBLISHED = ("Nothing changed since the last build", "nothing to publish")

FLOOR_CONF = """\
extensions = ["myst_parser"]
html_theme = "basic"
html_sidebars = {"**": []}
smartquotes = False
"""
#: The project's packages whose versions the report names.
PROJECT_PACKAGES = ("sphinx", "docutils", "myst-parser", "pydata-sphinx-theme", "sphinx-design")


# -- the floor ------------------------------------------------------------------------------------


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


def build_floor(folder: Path) -> tuple[Timed, int]:
    """A full build of the floor with the options of `make html` and its processes (JOBS=auto)."""
    out = folder / "_build"
    shutil.rmtree(out, ignore_errors=True)
    # Plain sphinx-build (`python -m sphinx`), not make html's sphinx_run with its quick exit.
    command = sphinx_command(folder, out, "", peers.JOBS, DEFAULT_SOURCES, [*SPHINX_OPTIONS, "-q"], module="sphinx")
    build = timed(command, env=plain_environment(SOURCE_DATE_EPOCH="0"), what="the floor's sphinx-build")
    return build, len(html_pages(out / ".work" / "html"))


# -- our side: the maintainer's commands ------------------------------------------------------------


def page_states(folder: Path) -> dict[str, tuple[int, int, str]]:
    """Each page of a build folder: size, modification time and content digest."""
    states = {}
    for page in html_pages(folder):
        info = page.stat()
        states[page.relative_to(folder).as_posix()] = (
            info.st_size,
            info.st_mtime_ns,
            hashlib.sha256(page.read_bytes()).hexdigest(),
        )
    return states


def edited(before: dict[str, tuple[int, int, str]], after: dict[str, tuple[int, int, str]]) -> dict:
    """Which pages a rebuild wrote (new, or size or time changed) and which of them changed (bytes)."""
    written = sorted(name for name, state in after.items() if before.get(name, (0, 0, ""))[:2] != state[:2])
    changed = {name for name, state in after.items() if before.get(name, (0, 0, ""))[2] != state[2]}
    same = [name for name in written if name not in changed]
    return {
        "edit_written": len(written),
        "edit_changed": len(changed),
        "edit_removed": len(before.keys() - after.keys()),
        "edit_written_unchanged": len(same),
        "edit_written_unchanged_pages": same[:20],
    }


def our_commands(site: UserSite) -> dict:
    """`make clean` + `make html`, a no-op `make html`, an edit + `make html`, `make clean` + `make variants`."""
    folder = site.folder
    make(folder, "clean")
    full = make(folder, "html")
    pages = len(html_pages(site.published))
    noop = make(folder, "html")
    before = page_states(site.work)
    model = site.models[0]
    original = edit_one_indicator(model.path)
    try:
        edit = make(folder, "html")
    finally:
        model.path.write_text(original, encoding="utf-8")
    changes = edited(before, page_states(site.work))
    make(folder, "clean")
    variants = make(folder, "variants")
    variant_pages = {
        variant: len(html_pages(folder / "_build" / variant / "html")) for variant in ("generic", *UTILITIES)
    }
    return {
        "full": full.seconds,
        "full_cpu": full.cpu,
        "peak_bytes": full.peak_bytes,
        "pages": pages,
        "noop": noop.seconds,
        "noop_cpu": noop.cpu,
        # It stops before Sphinx (up_to_date.py), or Sphinx ran and the swap found nothing to publish.
        "noop_published_nothing": any(say in noop.output for say in NOTHING_PUBLISHED),
        "noop_started_sphinx": "Running Sphinx" in noop.output,
        "edit": edit.seconds,
        "edit_cpu": edit.cpu,
        **changes,
        "variants": variants.seconds,
        "variants_cpu": variants.cpu,
        "variants_pages": sum(variant_pages.values()),
        "variant_pages": variant_pages,
    }


# -- one round ------------------------------------------------------------------------------------


def one_round(site: UserSite, floor: Path, peer_sites: dict | None) -> dict:
    result = our_commands(site)
    floor_build, floor_pages = build_floor(floor)
    result |= {"floor": floor_build.seconds, "floor_cpu": floor_build.cpu, "floor_pages": floor_pages}
    if peer_sites is not None:
        needs, needs_pages = peers.build_needs(peer_sites["needs"], peer_sites["python"])
        hugo, hugo_pages = peers.build_hugo(peer_sites["hugo"], peer_sites["hugo_binary"])
        result |= {
            "needs": needs.seconds,
            "needs_cpu": needs.cpu,
            "needs_peak_bytes": needs.peak_bytes,
            "needs_pages": needs_pages,
            "hugo": hugo.seconds,
            "hugo_cpu": hugo.cpu,
            "hugo_pages": hugo_pages,
        }
    result["load"] = os.getloadavg()[0]
    return result


def median_of(rounds: list[dict]) -> dict:
    result = dict(rounds[-1])
    for key, value in rounds[0].items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            result[key] = statistics.median(r[key] for r in rounds)
    result["noop_published_nothing"] = all(r["noop_published_nothing"] for r in rounds)
    result["noop_started_sphinx"] = any(r.get("noop_started_sphinx", True) for r in rounds)
    result["edit_written_unchanged_pages"] = sorted({p for r in rounds for p in r["edit_written_unchanged_pages"]})
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

#: A target's verdict: True (PASS), False (FAIL) or None (not measured in this run).
Target = tuple[str, bool | None, str]


def targets(results: dict[int, dict]) -> list[Target]:
    """The issue's targets, judged at the largest size measured (5,000 indicators in `make bench`)."""
    small, large = results[min(results)], results[max(results)]
    at = f"at {large['indicators']:,} indicators"
    every = results.values()
    per_small, per_large = small["full"] / small["indicators"], large["full"] / large["indicators"]
    cpu_per = (large["full_cpu"] / large["indicators"]) / (small["full_cpu"] / small["indicators"])
    flat: Target = (
        f"time per indicator flat from {small['indicators']:,} to {large['indicators']:,} (within 1.1x)",
        per_large <= 1.1 * per_small if len(results) > 1 else None,
        f"{per_large * 1000:.1f} ms vs {per_small * 1000:.1f} ms: {per_large / per_small:.2f}x "
        f"(CPU time {cpu_per:.2f}x)"
        if len(results) > 1
        else "one size measured",
    )
    needs: Target = (
        f"full make html at least 5x faster than sphinx-needs on the same content {at}",
        large["needs"] >= 5 * large["full"] if "needs" in large else None,
        f"sphinx-needs/ours {large['needs'] / large['full']:.2f}x "
        f"(CPU time {large['needs_cpu'] / large['full_cpu']:.2f}x)"
        if "needs" in large
        else "not measured (--no-peers)",
    )
    return [
        (
            f"full make html at most 0.5x the floor {at}",
            large["full"] <= 0.5 * large["floor"],
            ", ".join(f"{r['full'] / r['floor']:.2f}x (CPU time {r['full_cpu'] / r['floor_cpu']:.2f}x)" for r in every),
        ),
        needs,
        flat,
        (
            "one indicator edited: make html under 2 s at every size",
            all(r["edit"] < 2 for r in every),
            ", ".join(f"{r['edit']:.2f} s" for r in every),
        ),
        (
            "one indicator edited: only the pages whose content or navigation changed are written",
            all(r["edit_written_unchanged"] == 0 for r in every),
            ", ".join(
                f"{int(r['edit_written'])} written, {int(r['edit_changed'])} changed of {int(r['pages']):,}"
                for r in every
            ),
        ),
        (f"no-op make html under 1.5 s {at}", large["noop"] < 1.5, f"{large['noop']:.2f} s"),
        (
            f"make variants (generic and {len(UTILITIES)} utilities) under 2x one make html at every size",
            all(r["variants"] < 2 * r["full"] for r in every),
            ", ".join(f"{r['variants'] / r['full']:.2f}x" for r in every),
        ),
        (f"peak memory under 500 MiB {at}", large["peak_bytes"] < 500 * MIB, f"{large['peak_bytes'] / MIB:.0f} MiB"),
    ]


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else "PASS" if ok else "FAIL"


def _noop_outcome(r: dict) -> str:
    if not r["noop_published_nothing"]:
        return "PUBLISHED"
    return "published nothing" + (" (Sphinx ran)" if r.get("noop_started_sphinx", True) else ", no Sphinx started")


def size_table(r: dict) -> str:
    """One size: our commands, the floor and the peers, with the ratios and the pages of each."""

    def row(system: str, command: str, key: str, pages: str, ratio: str) -> str:
        if key not in r:
            return f"| {system} | {command} | — | — | — | not measured |"
        cpu = r.get(f"{key}_cpu")
        return f"| {system} | {command} | {r[key]:.2f} | {'' if cpu is None else f'{cpu:.2f}'} | {pages} | {ratio} |"

    full = r["full"]
    lines = [
        f"{r['indicators']:,} indicators, {r['models']} models: {r['repeats']} round(s), load {r['load']:.1f}, "
        f"{full / r['indicators'] * 1000:.1f} ms per indicator, peak {r['peak_bytes'] / MIB:.0f} MiB",
        "",
        "| system | command | wall s | CPU s | pages | ratio |",
        "| --- | --- | --- | --- | --- | --- |",
        row("ours", "`make clean; make html`", "full", f"{int(r['pages']):,}", f"ours/floor {full / r['floor']:.2f}x"),
        row("ours", "`make html` (no-op)", "noop", "", _noop_outcome(r)),
        row(
            "ours",
            "edit one indicator; `make html`",
            "edit",
            f"{int(r['edit_written'])} written, {int(r['edit_changed'])} changed",
            f"{int(r['edit_written_unchanged'])} written unchanged",
        ),
        row(
            "ours",
            f"`make clean; make variants` (generic + {len(UTILITIES)})",
            "variants",
            f"{int(r['variants_pages']):,}",
            f"{r['variants'] / full:.2f}x one make html",
        ),
        row("floor", "sphinx-build, MyST, basic theme, no sidebar", "floor", f"{int(r['floor_pages']):,}", ""),
        row(
            "sphinx-needs",
            "sphinx-build, pydata-sphinx-theme",
            "needs",
            f"{int(r.get('needs_pages', 0)):,}",
            f"sphinx-needs/ours {r['needs'] / full:.2f}x" if "needs" in r else "",
        ),
        row(
            "Hugo",
            "hugo build, minimal layout",
            "hugo",
            f"{int(r.get('hugo_pages', 0)):,}",
            f"ours/Hugo {full / r['hugo']:.1f}x" if "hugo" in r else "",
        ),
    ]
    return "\n".join(lines)


def report(results: dict[int, dict]) -> str:
    lines = []
    for r in results.values():
        lines += [size_table(r), ""]
    lines += ["| target | result | measured |", "| --- | --- | --- |"]
    lines += [f"| {name} | {verdict(ok)} | {measured} |" for name, ok, measured in targets(results)]
    return "\n".join(lines)


def planned_repeats(
    size: int, wanted: int, round_seconds: float, elapsed: float, later: list[int], budget: float
) -> int:
    """Rounds for this size: as many as wanted while the run stays within the budget, keeping room
    for one round of each larger size (estimated as growing linearly)."""
    later_first_rounds = sum(round_seconds * s / size for s in later)
    affordable = int((budget - elapsed - later_first_rounds) // round_seconds)
    return max(1, min(wanted, 1 + affordable))


def machine() -> dict:
    """What the report names of the machine: cores, CPU, memory, system, Python."""
    info: dict = {"nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        info["cpu"] = next(
            line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")
        )
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8").split()
        info["memory_gib"] = round(int(meminfo[meminfo.index("MemTotal:") + 1]) / 2**20, 1)
    except (OSError, StopIteration, ValueError):
        pass
    return info


def project_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in PROJECT_PACKAGES}


def save(results: dict[int, dict], path: Path, context: dict | None = None) -> None:
    """Write the results (and the targets, once there are any) as JSON; `context` is kept from earlier."""
    data = {
        **(context or {}),
        "sizes": {str(k): v for k, v in sorted(results.items())},
        "targets": [{"target": t, "pass": ok, "measured": m} for t, ok, m in targets(results)],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")


def prepare_peers(site: UserSite, python: Path) -> dict:
    """The sphinx-needs project and the Hugo site of the site's models (generated once per size)."""
    needs, hugo = WORK / f"needs-{site.indicators}", WORK / f"hugo-{site.indicators}"
    peers.write_needs_project(needs, site.models)
    peers.write_hugo_site(hugo, site.models)
    return {"needs": needs, "hugo": hugo, "python": python, "hugo_binary": peers.hugo_binary(python)}


def measure(size: int, args: argparse.Namespace, started: float, later: list[int], python: Path | None) -> dict:
    site = make_user_site(size, from_yaml=args.from_yaml, family=args.family)
    check_project_venv(site.folder)
    floor = make_floor(size, site.item_pages)
    peer_sites = None if python is None else prepare_peers(site, python)
    print(f"{size:,} indicators: {len(site.models)} models, {site.item_pages:,} item pages", flush=True)
    round_start = time.perf_counter()
    rounds = [one_round(site, floor, peer_sites)]
    round_seconds = time.perf_counter() - round_start
    repeats = planned_repeats(size, args.repeat, round_seconds, time.perf_counter() - started, later, args.budget * 60)
    print(f"  round 1 took {round_seconds:.0f} s; {repeats} round(s) at this size", flush=True)
    rounds += [one_round(site, floor, peer_sites) for _ in range(repeats - 1)]
    return {
        **median_of(rounds),
        "indicators": site.indicators,
        "models": len(site.models),
        "item_pages": site.item_pages,
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
        "--from-yaml",
        action="store_true",
        help="write the models as YAML (default: as published plain text, imported with `competency import`)",
    )
    parser.add_argument("--no-peers", action="store_true", help="build neither sphinx-needs nor Hugo")
    parser.add_argument(
        "--editions", type=int, default=5, help="editions of the no-op editions measurement (0: skip it)"
    )
    parser.add_argument(
        "--family",
        action="store_true",
        help=f"a family of jobs (YAML): the models share {FAMILY_SHARED} competencies and declare career paths",
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
    context: dict = {}
    if args.combine:
        for path in args.combine:
            data = json.loads(path.read_text(encoding="utf-8"))
            results |= {int(k): v for k, v in data["sizes"].items()}
            context = {k: v for k, v in data.items() if k not in ("sizes", "targets")}
    else:
        python = None if args.no_peers else peers.peers_python()
        context = {
            "machine": machine(),
            "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "versions": {
                "project": project_versions(),
                **({} if python is None else {"peers": peers.versions(python)}),
            },
            "models": "YAML family" if args.family else "YAML" if args.from_yaml else "imported from plain text",
        }
        sizes = sorted(int(s) for s in args.sizes.split(","))
        for n, size in enumerate(sizes):
            results[size] = measure(size, args, started, sizes[n + 1 :], python)
            save(results, args.results, context)  # a long run keeps what it measured so far
        context["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    print(json.dumps({k: context[k] for k in ("machine", "versions", "started", "finished") if k in context}, indent=1))
    print(report(results))
    save(results, args.results, context)
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
