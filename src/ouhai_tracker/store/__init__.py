"""The database: models, engine and sessions, queries. Knows nothing of the terminal."""
