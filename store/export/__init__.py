"""Exporting figures with their provenance (`export_figures` in store/export/figures.py): the
columns offered (columns), reading the rows in batches (rows), one writer per file format (csv,
formats, package) and writing the target safely (target).

Kept empty so that a light part (the GUI's clipboard uses `csv.neutralise`) does not load them all.
"""
