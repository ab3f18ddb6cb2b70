"""Performance benchmark of Cluster Explorer: `python -m tests.perf --figures N`.

Not a test suite: pytest collects nothing here (no test_*.py files). Run it by hand
from the repository root; see __main__.py for what it measures and how.

Modules:
  __main__    the command: builds or reuses a synthetic store, runs every measurement,
              prints the machine, a table (metric, value, target, ok?) and, last, one JSON line
  common      small stdlib-only helpers (percentiles, child processes, JSON lines)
  machine     the machine description printed at the top
  synth_store building and caching the synthetic store (`python -m store synth`)
  start_probe child process: time to the first painted main window (mode app or floor)
  gui_probe   child process: select, filter, sort timings and the GUI's peak RSS
  headless    in the parent, no Qt: CSV export against pandas, and the figure finder's throughput

Only public-ish entry points of gui/ and store/ are used, so that internal changes
do not break the benchmark; a failing measurement prints its error in its row.
"""
