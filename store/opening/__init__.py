"""Opening a store: where it is (config, paths), the file's health, backups, the engine and
sessions (db, core: `open_store`), the schema and its migrations, seeding a new store, and the
files and signals a write must survive (scratch, write_errors, process).
"""
