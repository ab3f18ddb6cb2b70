"""`python -m tests.perf --figures N [--documents D] [--db PATH] [--reuse]`: the performance benchmark.

From the repository root. Builds (or reuses) a synthetic store of N figures in D documents
(default N = 1,000,000, D = N/200; see synth_store.py), then measures, one after another
and each in a run of its own on this machine:

  start_ms, start_floor_ms  median of 5 child processes each (start_probe.py, modes app and floor,
                            alternated): from just before Popen to the child's "painted" line
  select_p95_ms, filter_p95_ms, sort_ms, rss_mb
                            one GUI child process (gui_probe.py); rss_mb is its peak RSS
  export_csv_s, export_csv_pandas_s, extract_mb_s
                            in this process, no Qt (headless.py)

and prints the machine, details, a table (metric, value, target, ok?) and, as the LAST line,
one JSON object: the metrics above (null where a measurement failed) and "figures": N.
A measurement that fails prints its error in its row; the others still run. Exit status 1
when a measurement failed (a missed target is not a failure of the benchmark).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tests.perf import headless, machine, synth_store
from tests.perf.common import (
    ROOT,
    byte_compile_project,
    child_env,
    error_text,
    last_json,
    median,
    now,
    python,
    run_child,
    say,
)

KEYS = ("start_ms", "start_floor_ms", "select_p95_ms", "filter_p95_ms", "sort_ms", "export_csv_s",
        "export_csv_pandas_s", "extract_mb_s", "rss_mb")
GUI_KEYS = ("select_p95_ms", "filter_p95_ms", "sort_ms", "rss_mb")
UNITS = {"start_ms": "ms", "start_floor_ms": "ms", "select_p95_ms": "ms", "filter_p95_ms": "ms", "sort_ms": "ms",
         "export_csv_s": "s", "export_csv_pandas_s": "s", "extract_mb_s": "MB/s", "rss_mb": "MiB"}
PAINT_TIMEOUT_S = 120
LOADED_TIMEOUT_S = 900


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.perf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--figures", type=int, default=1_000_000, metavar="N", help="synthetic figures (default 1000000)")
    parser.add_argument("--documents", type=int, metavar="D", help="synthetic documents (default N/200)")
    parser.add_argument("--db", metavar="PATH", help="store file (default: a cache file in the temp folder, named by N and D)")
    parser.add_argument("--reuse", action="store_true", help="use an existing store file without checking its figure count")
    parser.add_argument("--start-runs", type=int, default=5, metavar="K", help="start-up runs per mode (median; default 5)")
    parser.add_argument("--no-loaded", action="store_true",
                        help="app start-up runs stop at the first paint (skip the informational store-loaded time)")
    parser.add_argument("--gui-timeout", type=float, default=3600, metavar="S", help="limit for the GUI child (default 3600 s)")
    args = parser.parse_args(argv)
    if args.figures < 1:
        parser.error("--figures must be at least 1")
    args.documents = args.documents or max(1, args.figures // 200)
    return args


# --- start-up -------------------------------------------------------------------------
def start_once(mode: str, db: Path, env: dict, wait_loaded: bool) -> tuple[float, float | None]:
    """(ms to "painted", ms to "loaded" or None) of one child process."""
    command = [python(), "-m", "tests.perf.start_probe", "--db", str(db), "--mode", mode]
    if wait_loaded:
        command.append("--wait-loaded")
    marks: dict[str, float | str | None] = {"painted": None, "loaded": None, "failed": None}
    started = now()

    def on_line(line: str) -> None:
        word = line.strip()
        if word in ("painted", "loaded") and marks[word] is None:
            marks[word] = (now() - started) * 1000
        elif word.startswith("failed:"):
            marks["failed"] = word

    run = run_child(command, env, LOADED_TIMEOUT_S if wait_loaded else PAINT_TIMEOUT_S, on_line, ROOT)
    painted, loaded, failed, problem = marks["painted"], marks["loaded"], marks["failed"], run.stderr_tail
    if painted is None:
        raise RuntimeError(f"{mode} probe never printed 'painted' (exit {run.returncode}"
                           f"{', killed after the time limit' if run.killed else ''}): {problem or 'no stderr'}")
    if failed:
        raise RuntimeError(f"{mode} probe painted, then the store did not open ({failed}): {problem or 'no stderr'}")
    if wait_loaded and loaded is None:
        loaded_error = "killed after the time limit" if run.killed else f"exit {run.returncode}: {problem}"
        say(f"    ({mode}: no 'loaded' line: {loaded_error})")
    return painted, loaded


def measure_start(db: Path, env: dict, runs: int, wait_loaded: bool, results: dict, errors: dict, details: dict) -> None:
    details["byte_compiled"] = byte_compile_project()  # as after an installed app's first start
    times: dict[str, list[float]] = {"floor": [], "app": []}
    loaded: list[float] = []
    failures: dict[str, str] = {}
    for run in range(runs):  # alternate the modes so that drift on the machine hits both alike
        for mode in ("floor", "app"):
            try:
                painted, ready = start_once(mode, db, env, wait_loaded and mode == "app")
            except Exception as exc:  # noqa: BLE001
                failures[mode] = error_text(exc) if not isinstance(exc, RuntimeError) else str(exc)
                say(f"  start {mode} run {run + 1}: ERROR {failures[mode]}")
                continue
            times[mode].append(painted)
            if ready is not None:
                loaded.append(ready)
            say(f"  start {mode} run {run + 1}: painted {painted:.0f} ms" + (f", loaded {ready:.0f} ms" if ready else ""))
    for mode, key in (("app", "start_ms"), ("floor", "start_floor_ms")):
        if times[mode]:
            results[key] = round(median(times[mode]), 1)
            details[key] = {"runs_ms": [round(t, 1) for t in times[mode]]}
            if mode in failures:
                details[key]["failed_runs"] = runs - len(times[mode])
        else:
            errors[key] = failures.get(mode, "no run")
    if loaded:
        details["start_loaded_ms"] = {"median_ms": round(median(loaded), 1), "runs_ms": [round(t, 1) for t in loaded],
                                      "what": "app: first paint of the figures table with rows (store read on a worker)"}


# --- GUI --------------------------------------------------------------------------------
def measure_gui(db: Path, env: dict, timeout: float, results: dict, errors: dict, details: dict) -> None:
    lines: list[str] = []

    def on_line(line: str) -> None:
        lines.append(line)
        if line.startswith("{"):
            say(f"  gui probe: {_progress(line)}")

    run = run_child([python(), "-m", "tests.perf.gui_probe", "--db", str(db)], env, timeout, on_line, ROOT)
    problem = run.stderr_tail
    found = last_json(lines) or {}
    died = None
    if run.returncode != 0 or run.killed:
        died = (f"gui_probe {'killed after ' + str(int(timeout)) + ' s' if run.killed else 'exit ' + str(run.returncode)}"
                f": {problem or 'no stderr'}")
    for key in GUI_KEYS:
        if found.get("errors", {}).get(key):
            errors[key] = found["errors"][key]
        elif found.get(key) is not None:
            results[key] = found[key]
        else:
            errors[key] = died or f"gui_probe printed no {key}: {problem or 'no stderr'}"
    gui_errors = found.get("errors", {})
    if gui_errors.get("load_ms") and "rss_mb" in results:  # an empty window's RSS says nothing: no row
        del results["rss_mb"]
        errors["rss_mb"] = f"not meaningful: the store did not load ({gui_errors['load_ms']})"
    elif "rss_mb" in results and (died or any(key in gui_errors for key in GUI_KEYS)):
        details["rss_mb"] = {"note": "peak RSS of a run in which some GUI measurements failed"
                                     + (f"; {died}" if died else "")}
    if found.get("errors", {}).get("load_ms"):
        details["gui_load"] = {"error": found["errors"]["load_ms"]}
    elif found.get("load_ms") is not None:
        details["gui_load"] = {"ms": found["load_ms"], **found.get("details", {}).get("load", {}),
                               "what": "_store_loaded(load_store(url)) on the UI thread, then repainted"}
    for name in ("select", "filter", "sort"):
        if name in found.get("details", {}):
            details[name] = found["details"][name]


def _progress(line: str) -> str:
    try:
        value = json.loads(line)
    except ValueError:
        return line.strip()[:200]
    done = {k: value[k] for k in ("load_ms", *GUI_KEYS) if value.get(k) is not None}
    failed = ", ".join(value.get("errors", {}))
    return ", ".join(f"{k} {v}" for k, v in done.items()) + (f"; failed: {failed}" if failed else "")


# --- headless ---------------------------------------------------------------------------
def measure_headless(db: Path | None, results: dict, errors: dict, details: dict) -> None:
    if db is not None:
        say("Export: CSV of every figure, then pandas to_csv of the same rows")
        try:
            export_s, pandas_s, pandas_error = headless.export_csv(db, details)
            results["export_csv_s"] = round(export_s, 3)
            if pandas_s is not None:
                results["export_csv_pandas_s"] = round(pandas_s, 3)
            else:
                errors["export_csv_pandas_s"] = pandas_error
        except Exception as exc:  # noqa: BLE001
            errors["export_csv_s"] = errors["export_csv_pandas_s"] = error_text(exc)
    say("Extract: figure finder over 10 MB of seed text")
    try:
        results["extract_mb_s"] = round(headless.extract(details), 2)
    except Exception as exc:  # noqa: BLE001
        errors["extract_mb_s"] = error_text(exc)


# --- report -----------------------------------------------------------------------------
def targets(results: dict) -> dict[str, tuple[str, bool | None]]:
    """metric -> (target text, met? or None when it cannot be judged)."""
    def at_most(key: str, limit: float | None, text: str) -> tuple[str, bool | None]:
        value = results.get(key)
        return text, (None if value is None or limit is None else value <= limit)

    floor, pandas = results.get("start_floor_ms"), results.get("export_csv_pandas_s")
    found = {
        "start_ms": at_most("start_ms", 1.5 * floor if floor else None,
                            "<= 1.5 x start_floor_ms" + (f" = {1.5 * floor:.0f} ms" if floor else "")),
        "start_floor_ms": ("(reference)", None),
        "select_p95_ms": at_most("select_p95_ms", 100, "<= 100 ms"),
        "filter_p95_ms": at_most("filter_p95_ms", 100, "<= 100 ms"),
        "sort_ms": at_most("sort_ms", 300, "<= 300 ms"),
        "export_csv_s": at_most("export_csv_s", 1.2 * pandas if pandas else None,
                                "<= 1.2 x export_csv_pandas_s" + (f" = {1.2 * pandas:.2f} s" if pandas else "")),
        "export_csv_pandas_s": ("(reference)", None),
        "rss_mb": at_most("rss_mb", 600, "<= 600 MiB"),
    }
    value = results.get("extract_mb_s")
    found["extract_mb_s"] = (">= 2 MB/s", None if value is None else value >= 2)
    return found


def report(figures: int, results: dict, errors: dict, details: dict) -> None:
    say("")
    say("Details:")
    for name, detail in details.items():
        say(f"  {name}: {json.dumps(detail, ensure_ascii=False)}")
    checks = targets(results)
    say("")
    say(f"{'metric':<22} {'value':>14}  {'target':<40} ok?")
    say("-" * 84)
    for key in KEYS:
        text, met = checks[key]
        if key in errors:
            value, ok = "ERROR", "ERROR"
        else:
            places = {"s": 3, "MB/s": 2}.get(UNITS[key], 1)
            value = f"{results[key]:,.{places}f} {UNITS[key]}"
            ok = "-" if text == "(reference)" else ("n/a" if met is None else ("yes" if met else "NO"))
        say(f"{key:<22} {value:>14}  {text:<40} {ok}")
    if errors:
        say("")
        say("Errors:")
        for key in KEYS:
            if key in errors:
                say(f"  {key}: {errors[key]}")
    say("")
    line = {key: (None if key in errors else results.get(key)) for key in KEYS}
    line["figures"] = figures
    print(json.dumps(line), flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    env = child_env()
    started = now()
    say("Cluster Explorer performance benchmark")
    for text in machine.describe(env):
        say(f"  {text}")
    say(f"  Figures:  {args.figures:,} synthetic in {args.documents:,} documents")
    say("")
    results: dict = {}
    errors: dict = {}
    details: dict = {}
    db: Path | None = None
    try:
        db = synth_store.prepare(args.figures, args.documents, args.db, args.reuse, env)
    except Exception as exc:  # noqa: BLE001 - without a store only the finder can be measured
        message = f"no store: {exc if isinstance(exc, synth_store.StoreSetupError) else error_text(exc)}"
        say(f"Store: ERROR {message}")
        for key in KEYS:
            if key != "extract_mb_s":
                errors[key] = message
    if db is not None:
        say(f"Start-up: {args.start_runs} runs each of the floor window and the app (median)")
        measure_start(db, env, args.start_runs, not args.no_loaded, results, errors, details)
        say("GUI: select, filter, sort in one process (its peak RSS is rss_mb)")
        try:
            measure_gui(db, env, args.gui_timeout, results, errors, details)
        except Exception as exc:  # noqa: BLE001
            for key in GUI_KEYS:
                errors[key] = error_text(exc)
    measure_headless(db, results, errors, details)
    details["benchmark"] = {"wall_s": round(now() - started, 1), "store": str(db) if db else None}
    report(args.figures, results, errors, details)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
