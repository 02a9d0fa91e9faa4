"""The SQLite engine, the embedded default: service.store.sqlite.store.SQLiteStore."""
