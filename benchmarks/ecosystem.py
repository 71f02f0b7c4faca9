#!/usr/bin/env python3
"""Ecosystem check: what conventions-lint says about real FastAPI + SQLAlchemy code, and how that changed.

Usage, from the repository root (after `pip install -e .`):

    python benchmarks/ecosystem.py               # lint, diff against the committed summary, rewrite it
    python benchmarks/ecosystem.py --no-lint     # figures again from the last run's findings (after judging)
    python benchmarks/ecosystem.py --no-lint --sample CL601 --count 12   # unjudged findings to judge, in context

As ruff's ecosystem check does for every change: the benchmark's pinned corpus
(benchmarks/run.py downloads and unpacks it; its code is imported, not copied) plus three
real applications published as wheels (APPS below), each linted on its own, from its own
directory, as a user who adopted the tool runs it: default settings (`--isolated`: no
configuration file; the wheels carry none, and a table above benchmarks/.cache must not
change the figures), every default rule (today `CL` = every rule, so `--select ALL` would
add nothing), `--no-cache`, `--jobs 2` (the machine is shared).

Writes:
  benchmarks/ecosystem/summary.json   committed: findings per project and per code, the commit
                                      measured and a digest of the findings' keys;
  benchmarks/ECOSYSTEM.md             committed: the same as tables, with the judged sample's
                                      precision and noise rate per code;
  benchmarks/.cache/ecosystem-findings/<digest>.json
                                      git-ignored: every finding with its key, for the next diff.
Prints findings added / removed per project and code against the summary HEAD holds (what the
commit's diff of summary.json will show), and each finding that appeared or disappeared when
some run saved that summary's findings in the cache (shared by the worktrees that link it).

The judged sample is benchmarks/ecosystem/judgments.jsonl: one JSON object a line,
{project, path, code, key, verdict, reason, source, message}, verdict `true`, `false` or
`noise` (true to the letter, but a team that follows /work/shared/conventions would not
change the code). `key` (see ecosystem_findings.py) finds the finding again when lines
shift; `source` and `message` are what was judged, for the reader. Judgments of findings no
longer found stay in the file and are reported as such. Precision is true / (true + false).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ecosystem_findings as ef  # beside this script, which is not in a package

HERE = Path(__file__).resolve().parent
DATA = HERE / "ecosystem"
SUMMARY = DATA / "summary.json"
# Every run's keyed findings, named by their digest (the summary records it): git-ignored, shared by the
# worktrees that link benchmarks/.cache, so whoever runs the check next can list what changed one by one.
FINDINGS = Path(__file__).resolve().parent / ".cache" / "ecosystem-findings"
JUDGMENTS = DATA / "judgments.jsonl"
REPORT = HERE / "ECOSYSTEM.md"
README = HERE.parent / "README.md"
README_MARKERS = ("<!-- ecosystem:start -->\n", "<!-- ecosystem:end -->")
# Real applications (models, schemas, routes, services, migrations), beside the benchmark's corpus.
APPS = {"fief-server": "0.27.0", "argilla-server": "2.8.0", "arize-phoenix": "20.26.1"}
LINT_ARGS = ["check", "--isolated", "--no-cache", "--exit-zero", "--output-format", "json"]
SHOWN = 60  # individual findings printed per list; the findings file holds them all


def benchmark():
    """benchmarks/run.py as a module: its pins, cache paths, download() and unpack()."""
    name = "conventions_lint_benchmark"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "run.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[name]


def projects() -> dict[str, Path]:
    """Every project's directory, downloading and unpacking what the cache lacks."""
    bench = benchmark()
    bench.WHEELS.mkdir(parents=True, exist_ok=True)
    found = {}
    for dist, version in bench.PINS.items():
        bench.unpack(bench.download(dist, version), bench.CORPUS / dist)
        found[dist] = bench.CORPUS / dist
    # Not under CORPUS: the benchmark's timings and the session baselines lint CORPUS whole.
    for dist, version in APPS.items():
        bench.unpack(bench.download(dist, version), bench.CACHE / "ecosystem" / dist)
        found[dist] = bench.CACHE / "ecosystem" / dist
    return found


def versions() -> dict[str, str]:
    return {**benchmark().PINS, **APPS}


def lint(name: str, directory: Path, jobs: int) -> list[ef.Finding]:
    tool = benchmark().find_tool("conventions-lint")
    done = subprocess.run(
        [tool, *LINT_ARGS, "--jobs", str(jobs), "."], cwd=directory, capture_output=True, text=True, check=False
    )
    if done.returncode not in (0, 2) or not done.stdout.strip():
        sys.exit(f"error: conventions-lint failed on {name} (exit {done.returncode}):\n{done.stderr[-2000:]}")
    for line in done.stderr.strip().splitlines():
        print(f"  {name}: {line}", file=sys.stderr)  # skipped files, internal errors: worth seeing every run
    found = []
    for item in json.loads(done.stdout):
        path = Path(item["filename"]).resolve().relative_to(directory.resolve()).as_posix()
        row, column = item["location"]["row"], item["location"]["column"]
        found.append(ef.Finding(name, path, item["code"], row, column, item["message"]))
    return found


def source_lines(directory: Path, path: str) -> list[str]:
    return (directory / path).read_bytes().decode("utf-8", "replace").splitlines()


def keyed(findings: list[ef.Finding], where: dict[str, Path]) -> list[ef.Finding]:
    sources = {(f.project, f.path): source_lines(where[f.project], f.path) for f in findings}
    return ef.assign_keys(findings, sources)


def commit() -> str:
    """HEAD, and whether the linter's source differs from it (the data files written here always do)."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True, check=True).stdout.strip()

    try:
        dirty = git("status", "--porcelain", "--untracked-files=no", "--", "../conventions_lint")
        return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes to conventions_lint/" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def save_findings(findings: list[ef.Finding]) -> None:
    FINDINGS.mkdir(parents=True, exist_ok=True)
    target = FINDINGS / f"{ef.digest(findings)}.json"
    partial = target.with_suffix(".tmp")
    partial.write_text(json.dumps([f.__dict__ for f in findings], indent=0) + "\n", encoding="utf-8")
    partial.replace(target)  # whole or not at all: another worktree may be reading it


def load_findings(summary: dict) -> list[ef.Finding]:
    """The findings a summary describes, when some run here saved them."""
    saved = FINDINGS / f"{summary.get('digest', '')}.json"
    if not summary.get("digest") or not saved.is_file():
        return []
    return [ef.Finding(**item) for item in json.loads(saved.read_text(encoding="utf-8"))]


def load_summary(*, committed: bool = False) -> dict:
    """The summary in the working tree, or as HEAD has it (what the next commit's diff starts from)."""
    if committed:
        shown = subprocess.run(
            ["git", "show", f"HEAD:./{SUMMARY.name}"], cwd=DATA, capture_output=True, text=True, check=False
        )
        return json.loads(shown.stdout) if shown.returncode == 0 else {"projects": {}}
    return json.loads(SUMMARY.read_text(encoding="utf-8")) if SUMMARY.is_file() else {"projects": {}}


def load_judgments() -> list[ef.Judgment]:
    if not JUDGMENTS.is_file():
        return []
    judgments = []
    for number, line in enumerate(JUDGMENTS.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        if item["verdict"] not in ef.VERDICTS:
            sys.exit(f"error: {JUDGMENTS}:{number}: verdict {item['verdict']!r} is not one of {', '.join(ef.VERDICTS)}")
        judgments.append(ef.Judgment(*(item[k] for k in ("project", "path", "code", "key", "verdict", "reason"))))
    return judgments


def rules_off_by_default() -> list[str]:
    """Rules the defaults leave out (`--select ALL` would add them): none today, said in the summary if one comes."""
    tool = benchmark().find_tool("conventions-lint")
    done = subprocess.run([tool, "rules", "--output-format", "json"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"error: conventions-lint rules failed:\n{done.stderr[-2000:]}")
    return [rule["code"] for rule in json.loads(done.stdout) if rule["default"] != "on"]


def summary_of(findings: list[ef.Finding], files: dict[str, int]) -> dict:
    by_code = ef.counts(findings)
    off = rules_off_by_default()
    return {
        "commit": commit(),
        "settings": (
            "defaults: "
            + " ".join(LINT_ARGS[1:4])
            + ", each project from its own directory; "
            + (
                f"rules off by default, not run: {', '.join(off)}"
                if off
                else "every rule is on by default (= --select ALL)"
            )
        ),
        "digest": ef.digest(findings),
        "projects": {
            name: {"version": versions()[name], "files": files[name], "codes": by_code.get(name, {})}
            for name in versions()
        },
    }


def print_diff(previous: dict, previous_findings: list[ef.Finding], findings: list[ef.Finding], judged: set) -> None:
    before = {name: p.get("codes", {}) for name, p in previous["projects"].items()}
    changes = ef.count_changes(before, ef.counts(findings))
    print(f"\n## Changes against the committed summary (commit {previous.get('commit', 'none')})\n")
    if not changes:
        print("No finding added or removed in any project.")
    for change in changes:
        delta = change.after - change.before
        print(f"  {change.project:22} {change.code}  {change.before:5} -> {change.after:5}  ({delta:+d})")
    if previous_findings and ef.digest(previous_findings) == previous.get("digest"):
        appeared, disappeared = ef.finding_changes(previous_findings, findings)
        for title, listed in (("appeared", appeared), ("disappeared", disappeared)):
            if not listed:
                continue
            print(f"\n{len(listed)} findings {title} ([judged] marks those in the judged sample):")
            # The judged ones first: a judgment whose finding comes or goes changes the figures.
            listed.sort(key=lambda f: f.identity not in judged)
            for f in listed[:SHOWN]:
                mark = " [judged]" if f.identity in judged else ""
                print(f"  {f.project}/{f.path}:{f.row}:{f.column}: {f.code}{mark} {f.message}")
            if len(listed) > SHOWN:
                print(f"  ... and {len(listed) - SHOWN} more (the findings of both runs are in {FINDINGS})")
    elif changes:
        print(f"\n(individual findings: no run here saved those of that summary in {FINDINGS}; counts only)")


def percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}" if value in (0, 1) else f"{value:.1%}"


def figures_table(result: ef.Figures) -> list[str]:
    rows = [
        "| code | findings | judged | true | false | noise | no longer found | precision | noise rate | misses |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for code, t in [*result.per_code.items(), ("overall (sample)", result.overall)]:
        missed = ", ".join(ef.misses(t, overall=code.startswith("overall"))) or ""
        rows.append(
            f"| {code} | {t.findings} | {t.judged} | {t.true} | {t.false} | {t.noise} | {t.gone} "
            f"| {percent(t.precision)} | {percent(t.noise_rate)} | {missed} |"
        )
    rows.append(
        f"| overall (weighted by findings) | {result.overall.findings} | | | | | "
        f"| {percent(result.weighted_precision)} | {percent(result.weighted_noise)} | |"
    )
    return rows


def counts_table(summary: dict) -> list[str]:
    names = list(summary["projects"])
    codes = sorted({c for p in summary["projects"].values() for c in p["codes"]})
    rows = ["| code | " + " | ".join(names) + " | total |", "| --- |" + " ---: |" * (len(names) + 1)]
    for code in codes:
        cells = [summary["projects"][n]["codes"].get(code, 0) for n in names]
        rows.append(f"| {code} | " + " | ".join(str(c or "") for c in cells) + f" | {sum(cells)} |")
    totals = [sum(summary["projects"][n]["codes"].values()) for n in names]
    rows.append("| **all** | " + " | ".join(str(t) for t in totals) + f" | {sum(totals)} |")
    files = [summary["projects"][n]["files"] for n in names]
    rows.append("| files | " + " | ".join(str(f) for f in files) + f" | {sum(files)} |")
    return rows


def report(summary: dict, result: ef.Figures) -> str:
    pins = ", ".join(f"{n}=={p['version']}" for n, p in summary["projects"].items())
    missing = ef.under_sampled(result.per_code)
    lines = [
        "# Ecosystem check",
        "",
        "Written by `python benchmarks/ecosystem.py` (see its docstring); the judged sample is",
        "`benchmarks/ecosystem/judgments.jsonl`.",
        "",
        f"- commit measured: {summary['commit']}",
        f"- settings: {summary['settings']}",
        f"- projects: {pins}",
        "",
        "## Judged sample: precision and noise per code",
        "",
        "Precision = true / (true + false); noise rate = noise / judged. Targets: precision",
        f"≥ {ef.PRECISION_OVERALL:.0%} overall and ≥ {ef.PRECISION_PER_CODE:.0%} per code; noise ≤ "
        f"{ef.NOISE_OVERALL:.0%} overall and ≤ {ef.NOISE_PER_CODE:.0%} per code.",
        "The sample is stratified by code: the weighted row gives each code its share of all findings.",
        "",
        *figures_table(result),
        "",
    ]
    if missing:
        lines += [
            "Codes with fewer than 10 judged findings: " + ", ".join(f"{c} ({n} more)" for c, n in missing.items())
        ]
        lines.append("")
    lines += ["## Findings per project and code", "", *counts_table(summary), ""]
    return "\n".join(lines)


def readme_table(result: ef.Figures) -> list[str]:
    """The per-code figures as the README quotes them: what a reader weighs a rule by."""
    rows = ["| code | findings | judged | precision | noise | misses |", "| --- | ---: | ---: | ---: | ---: | --- |"]
    for code, t in [*result.per_code.items(), ("**overall**", result.overall)]:
        missed = ", ".join(ef.misses(t, overall=code == "**overall**"))
        rows.append(
            f"| {code} | {t.findings} | {t.judged} | {percent(t.precision)} | {percent(t.noise_rate)} | {missed} |"
        )
    return rows


def update_readme(result: ef.Figures) -> None:
    start, end = README_MARKERS
    text = README.read_text(encoding="utf-8")
    if start not in text or end not in text:
        return
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    README.write_text(before + start + "\n".join(readme_table(result)) + "\n" + end + after, encoding="utf-8")


def print_figures(result: ef.Figures) -> None:
    print("\n## Judged sample\n")
    print("\n".join(figures_table(result)))
    for code, more in ef.under_sampled(result.per_code).items():
        print(f"  {code}: {more} more to judge (fires at least 10 times)")
    if result.gone:
        print(f"\n{len(result.gone)} judged findings are no longer found:")
        for j in result.gone[:SHOWN]:
            print(f"  {j.project}/{j.path}: {j.code} [{j.verdict}] {j.reason}")


def print_sample(findings: list[ef.Finding], result: ef.Figures, code: str, count: int, where: dict) -> None:
    """Unjudged findings of one code with the code around them, to judge."""
    pending = sorted((f for f in result.unjudged if f.code == code), key=ef.sample_order)[:count]
    for f in pending:
        lines = source_lines(where[f.project], f.path)
        header = json.dumps({"project": f.project, "path": f.path, "code": f.code, "key": f.key})
        print(f"\n=== {header}\n    {f.path}:{f.row}:{f.column}: {f.message}")
        for number in range(max(1, f.row - 12), min(len(lines), f.row + 8) + 1):
            print(f"{'>' if number == f.row else ' '}{number:5} {lines[number - 1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="worker processes per lint (default 2: a shared machine)")
    parser.add_argument(
        "--no-lint", action="store_true", help="reuse the last run's findings: only the judged figures are rewritten"
    )
    parser.add_argument("--sample", metavar="CODE", help="print unjudged findings of CODE in context")
    parser.add_argument("--count", type=int, default=10, help="how many findings --sample prints")
    args = parser.parse_args()
    where = projects()
    previous = load_summary(committed=True)
    previous_findings = load_findings(previous)
    if args.no_lint:
        findings = load_findings(load_summary())
        if not findings:
            sys.exit(f"error: --no-lint needs the findings of {SUMMARY.name} in {FINDINGS}: run once without it")
    else:
        raw = []
        for name, directory in where.items():
            print(f"linting {name}", file=sys.stderr, flush=True)
            raw += lint(name, directory, args.jobs)
        findings = keyed(raw, where)
        print_diff(previous, previous_findings, findings, {j.identity for j in load_judgments()})
        files = {name: sum(1 for _ in directory.rglob("*.py")) for name, directory in where.items()}
        summary = summary_of(findings, files)
        SUMMARY.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        save_findings(findings)
    result = ef.figures(findings, load_judgments())
    if args.sample:
        print_sample(findings, result, args.sample, args.count, where)
        return
    print_figures(result)
    summary = load_summary()
    if summary.get("digest") == ef.digest(findings):  # the findings the summary describes: figures refreshed
        REPORT.write_text(report(summary, result), encoding="utf-8")
        update_readme(result)
        print(f"\nwrote {REPORT.relative_to(HERE.parent)} and the README's table", file=sys.stderr)


if __name__ == "__main__":
    main()
