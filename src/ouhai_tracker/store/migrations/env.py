"""Alembic's environment: runs on the connection the tracker hands over (config.attributes)."""
from alembic import context

from ouhai_tracker.store.models import Base
from ouhai_tracker.store.word_search import schema_object

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=True,  # SQLite alters tables by copying them
                  include_name=schema_object)  # the search index is not in the models

with context.begin_transaction():
    context.run_migrations()
