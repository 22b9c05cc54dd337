"""Numbers every path to the database shares: plain, so that the stdlib paths (fastread.py,
fastwrite.py) and the option checks use the same ones without loading SQLAlchemy."""

MAX_ID = 2**63 - 1  # the largest id SQLite stores (PostgreSQL's are smaller); a larger number is no id
MAX_POSTGRESQL_ID = 2**31 - 1  # its ids are 32-bit integers: a larger number fails the query, not finds nothing
BUSY_TIMEOUT_MS = 15000  # a writer waits this long for another to finish before giving up
CHECKPOINT_WAIT_MS = 500  # how long the closing checkpoint waits for others' transactions
# The days the tracker takes (--as-of, --due, --on, a letter's deadline): a year outside them is a
# typo, and dates near 9999 break the arithmetic of periods and calendars.
FIRST_DAY, LAST_DAY = "1900-01-01", "2200-12-31"
