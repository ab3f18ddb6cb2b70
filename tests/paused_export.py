"""For the scripts of the kill tests: an export that stops after its first batch of rows, says so on
stdout ("mid-export"), and waits there, until `until()` is true or a signal ends the process."""

from __future__ import annotations

import time

import store.export.figures as export
import store.export.formats as formats
import store.export.rows as rows


def pause_exports(until=lambda: False) -> None:
    rows.BATCH_ROWS = 20  # small batches: the rows come in many
    formats.XLSX_CONSTANT_MEMORY_ROWS = 0  # XLSX keeps rows in scratch files: those must go too
    made = export.make_writer

    def make_writer(*args, **kwargs):
        writer = made(*args, **kwargs)
        write = writer.write

        def paused(columns):
            write(columns)
            print("mid-export", flush=True)
            while not until():
                time.sleep(0.02)
            writer.write = write

        writer.write = paused
        return writer

    export.make_writer = make_writer
