"""Sessions in the database with the user they belong to, so that an account's sessions go with it.

Django's database sessions keep only a key, the encoded data and the expiry; which user a session
belongs to is inside the encoded data. Knipa keeps it in a column too (`Session.user`, Django's
documented way: `AbstractBaseSession` and a `SessionStore` subclass, `SESSION_ENGINE =
"knipa.sessions.store"`), so that deleting an account deletes every session it has, on every
device, in one statement, and the worker can tell a browser-only profile whose browser is gone.
"""
