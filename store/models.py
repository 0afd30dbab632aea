"""The tables. Behaviour lives in the service modules, not here.

Times are naive UTC datetimes; dates (due dates, closures) are local dates in
the organisation's timezone. A few inbox columns on ``Report`` are kept up to
date by the services (unread count, unread-since, last activity, preview) so
that the unread-first inbox is an indexed query even at 100,000 cases.
"""

import json
from typing import Any

import peewee as pw

database = pw.DatabaseProxy()

SCHEMA_VERSION = 8  # store/migrations upgrades older databases step by step

WAYS = ("anonymous", "named")
STATUSES = ("new", "open", "waiting", "closed")
AUTHORS = ("reporter", "adviser")


class BaseModel(pw.Model):
    # Each table's ``id = pw.AutoField()`` below is the key peewee would add by
    # itself, written out so that type checkers know it; ``x_id: int``
    # annotations name the id accessors peewee makes for foreign keys.
    class Meta:
        database = database
        legacy_table_names = False


class Setting(BaseModel):
    """Install-wide values: schema version, install salt, argon2 parameters."""

    key = pw.CharField(primary_key=True, max_length=64)
    value = pw.TextField()

    class Meta:
        table_name = "tellus_setting"


class Adviser(BaseModel):
    id = pw.AutoField()
    username = pw.CharField(max_length=64, unique=True)
    display_name = pw.CharField(max_length=100)
    password_hash = pw.CharField(max_length=255)
    is_admin = pw.BooleanField(default=False)
    active = pw.BooleanField(default=True)
    failed_logins = pw.IntegerField(default=0)
    locked_until = pw.DateTimeField(null=True)
    created_at = pw.DateTimeField()
    # The adviser's key pair (store/keys.py): the public half, and the private half sealed under a key
    # derived from their password with argon2id (salt and parameters kept to derive it again).
    # NULL until the adviser first has a password Tellus can seal with (created, or logged in after an upgrade).
    public_key = pw.BlobField(null=True)
    sealed_private_key = pw.BlobField(null=True)
    key_salt = pw.BlobField(null=True)
    key_params = pw.TextField(default="")
    # The roster (store/roster.py): this entry signed with the install's roster key, and for an
    # active admin that key's seed sealed to their public key. NULL: nobody has confirmed the entry.
    roster_signature = pw.BlobField(null=True)
    sealed_roster_key = pw.BlobField(null=True)
    # Not columns: an adviser signed in (advisers.sign_in) or just created carries their unlocked
    # keys (store.keyring.Keyring); the first admin created carries the recovery key to show once.
    keyring: Any
    recovery_key: str | None


class Report(BaseModel):
    id = pw.AutoField()
    reference = pw.CharField(max_length=16, unique=True)  # random, not from the code
    way = pw.CharField(max_length=16)
    role = pw.CharField(max_length=32)
    # The category's stable key (config.categories), whatever language the form was in; reports
    # from before keys keep their old label as key when the configuration had no such label.
    category = pw.CharField(max_length=100, index=True)
    language = pw.CharField(max_length=8, default="en")  # the site's language the reporter wrote in
    # Everything the reporter wrote is sealed with the case key (store/casetext.py): the description;
    # when, where and who (one JSON object); the contact details of a named report. Only the configured
    # place a location matched (``place``, for statistics) is kept readable.
    sealed_description = pw.BlobField(null=True)  # (NULL only while an upgrade seals: never afterwards)
    sealed_details = pw.BlobField(null=True)
    sealed_contact = pw.BlobField(null=True)
    place = pw.CharField(max_length=100, default="")
    wants_support = pw.BooleanField(default=False)
    two_way = pw.BooleanField(default=False)
    # From the argon2id digest of the code (install salt): the lookup value (sealing.code_lookup), and the
    # case key sealed under the other key the digest gives (sealing.code_unwrap_key). NULL without two-way.
    code_hash = pw.BlobField(null=True, unique=True)
    code_key = pw.BlobField(null=True)
    case_key: bytes  # not a column: the key opened with the reporter's code (reports.open_conversation_by_code)
    status = pw.CharField(max_length=16, default="new", index=True)
    assignee = pw.ForeignKeyField(Adviser, null=True, on_delete="SET NULL", backref="cases")
    assignee_id: int | None  # peewee's accessor for the key alone
    created_at = pw.DateTimeField()
    due_on = pw.DateField()  # first response due (local date, working days)
    first_response_at = pw.DateTimeField(null=True)
    closed_at = pw.DateTimeField(null=True)
    reporter_last_seen_at = pw.DateTimeField(null=True)
    # Inbox bookkeeping (see module docstring).
    adviser_read_at = pw.DateTimeField(null=True)  # report itself first read
    unread_count = pw.IntegerField(default=0)
    unread_since = pw.DateTimeField(null=True)
    last_activity_at = pw.DateTimeField(index=True)
    sealed_preview = pw.BlobField(null=True)  # the latest reporter text, one line, sealed with the case key
    # The assignee as the holders of the case key last set it (casetext.seal_assignment): what
    # granting the key follows. NULL: set without the key (unknown: only admins are granted it).
    sealed_assignment = pw.BlobField(null=True)
    # Key rotation (store/keys.py rotate): how often the case key was rotated, so a writer holding an older
    # chain is refused; the reporter's public key (sealing.reporter_key_pair) sealed with the case key, to
    # which a rotated key is sealed; and a rotation owed (a grant was removed where no key was at hand).
    key_generation = pw.IntegerField(default=0)
    reporter_key = pw.BlobField(null=True)
    rekey_due = pw.BooleanField(default=False)

    class Meta:
        indexes = (
            # "Overdue" (deadlines.overdue_clause): first_response_at IS NULL AND due_on < today, a range scan.
            (("first_response_at", "due_on"), False),
            # The inbox's two halves: unread (unread_since NOT NULL, oldest first)
            # and the rest (unread_since IS NULL) by latest activity, both
            # answered from this one index without sorting the table.
            (("unread_since", "last_activity_at"), False),
            # The unread half's order (overdue first, then oldest unread, then id) from the index
            # alone, the table untouched (store/migrations/step_005_inbox_index.py).
            (("unread_since", "first_response_at", "due_on", "status", "id"), False),
        )


class Message(BaseModel):
    id = pw.AutoField()
    report = pw.ForeignKeyField(Report, on_delete="CASCADE", backref="messages")
    report_id: int
    author = pw.CharField(max_length=16)  # reporter | adviser
    adviser = pw.ForeignKeyField(Adviser, null=True, on_delete="SET NULL")
    adviser_id: int | None
    sealed_body = pw.BlobField(
        null=True
    )  # sealed with the case key, bound to its id and author, an adviser by id (set just after insert)
    body: str  # not a column: the text, on a message just written
    created_at = pw.DateTimeField()
    read_at = pw.DateTimeField(null=True)  # read by the other side

    class Meta:
        indexes = ((("report", "created_at"), False),)


class Note(BaseModel):
    """Internal notes: advisers only, never shown to the reporter."""

    id = pw.AutoField()
    report = pw.ForeignKeyField(Report, on_delete="CASCADE", backref="notes")
    report_id: int
    adviser = pw.ForeignKeyField(Adviser, null=True, on_delete="SET NULL")
    adviser_id: int | None
    sealed_body = pw.BlobField(null=True)  # sealed with the case key, bound to its id and adviser (set after insert)
    body: str  # not a column: the text, on a note just written
    created_at = pw.DateTimeField()

    class Meta:
        indexes = ((("report", "created_at"), False),)


class ReporterSession(BaseModel):
    id = pw.AutoField()
    token_hash = pw.BlobField(unique=True)  # sha256 of a 256-bit random token
    report = pw.ForeignKeyField(Report, on_delete="CASCADE", backref="sessions")
    report_id: int
    created_at = pw.DateTimeField()
    last_seen_at = pw.DateTimeField()
    expires_at = pw.DateTimeField(index=True)  # absolute expiry
    # The case key sealed under a key derived from the cookie's token (sealing.session_key): the
    # database alone cannot open it, and ending the session deletes it.
    sealed_key = pw.BlobField(null=True)


class AuditEvent(BaseModel):
    """Who did what and when. No reporter content, ever.

    Case and adviser are kept as plain values, not foreign keys, so the trail
    outlives a purged case or a renamed account.
    """

    id = pw.AutoField()
    at = pw.DateTimeField(index=True)
    adviser_id = pw.IntegerField(null=True, index=True)
    adviser_name = pw.CharField(max_length=64, default="")
    action = pw.CharField(max_length=32, index=True)
    report_id = pw.IntegerField(null=True, index=True)
    reference = pw.CharField(max_length=16, default="")
    detail = pw.CharField(max_length=500, default="")


class Closure(BaseModel):
    id = pw.AutoField()
    start = pw.DateField()
    end = pw.DateField()  # inclusive
    note = pw.CharField(max_length=300, default="")  # English
    # The note in the site's other languages: a JSON object, language code -> text.
    note_translations = pw.TextField(default="{}")
    created_at = pw.DateTimeField()

    def note_in(self, language: str) -> str:
        """The note in ``language``; the English note where it has none."""
        try:
            translated = json.loads(self.note_translations or "{}").get(language)
        except (ValueError, AttributeError):
            translated = None
        return translated or self.note


class FormToken(BaseModel):
    """Single-use tokens for the report form (no double submissions).

    Only a hash is kept; ``used_at`` is set in the same transaction that saves
    the report, so a refresh or double click is answered "already received".
    """

    id = pw.AutoField()
    token_hash = pw.BlobField(unique=True)
    created_at = pw.DateTimeField(index=True)
    used_at = pw.DateTimeField(null=True)


class Notification(BaseModel):
    """One e-mail-worthy event for advisers ("new:<report id>", "overdue:<report id>").

    The unique event key is what makes a notification go out at most once per
    event however often the worker runs. No content: the report is a plain id.
    Added during schema version 1 (no deployment existed yet).
    """

    id = pw.AutoField()
    event = pw.CharField(max_length=64, unique=True)
    kind = pw.CharField(max_length=16)  # new | overdue
    report_id = pw.IntegerField(null=True, index=True)
    created_at = pw.DateTimeField()
    sent_at = pw.DateTimeField(null=True, index=True)  # sent, or dropped as no longer relevant
    skipped = pw.BooleanField(default=False)  # dropped: the case was read or answered first
    attempts = pw.IntegerField(default=0)
    next_attempt_at = pw.DateTimeField()
    claim = pw.CharField(max_length=32, default="")  # which worker is sending it
    claimed_until = pw.DateTimeField(null=True)
    last_error = pw.CharField(max_length=200, default="")


class Attachment(BaseModel):
    """A reporter's file (cleaned by store.evidence), its content in sealed chunks (AttachmentChunk).

    Readable: what statistics and limits need and what says nothing of the
    content (kind, size, media type, how many chunks, the minute it came).
    Sealed with the case key: the file's name and the list of what was
    removed from it (store/attachments.py says how).
    """

    id = pw.AutoField()
    report = pw.ForeignKeyField(Report, on_delete="CASCADE", backref="attachments")
    report_id: int
    # The reporter message it came with; NULL: it came with the report itself.
    message = pw.ForeignKeyField(Message, null=True, on_delete="CASCADE", backref="attachments")
    message_id: int | None
    kind = pw.CharField(max_length=16)  # store.evidence.Kind's name: JPEG, PDF, DOCX…
    media_type = pw.CharField(max_length=100)
    size = pw.IntegerField()  # bytes of the cleaned file
    chunk_count = pw.IntegerField()
    sealed_name = pw.BlobField()
    sealed_removed = pw.BlobField()  # JSON list of sentences, sealed
    created_at = pw.DateTimeField()  # to the minute (a reporter-side time)

    class Meta:
        indexes = ((("report", "id"), False),)


class AttachmentChunk(BaseModel):
    """One sealed piece of an attachment's bytes (store.attachments.CHUNK_BYTES before sealing)."""

    attachment = pw.ForeignKeyField(Attachment, on_delete="CASCADE", backref="chunks")
    attachment_id: int
    n = pw.IntegerField()  # 0, 1, 2… in the file's order
    sealed = pw.BlobField()

    class Meta:
        table_name = "attachment_chunk"
        primary_key = pw.CompositeKey("attachment", "n")


class ThrottleCounter(BaseModel):
    """How many attempts (code guesses, reports) one client, or everyone, made in one window.

    ``key_hash`` is an HMAC of the client's address (or IPv6 network) under a
    key derived per UTC day from a secret that is never in the database
    (store/throttle.py); ``"*"`` counts everyone together. ``window_end``
    (seconds since the epoch, a multiple of the window) is the only time
    kept, so nothing says when within its window an attempt came. Rows are
    deleted once their window has ended. In the store (not in memory) so that
    several web instances share the limits.
    """

    name = pw.CharField(max_length=32)  # which throttle: code, code_global, report, report_site
    key_hash = pw.BlobField()
    window_end = pw.BigIntegerField(index=True)
    count = pw.IntegerField()

    class Meta:
        table_name = "throttle_counter"
        primary_key = pw.CompositeKey("name", "key_hash", "window_end")


class CaseKey(BaseModel):
    """A case key sealed to one holder: an adviser, the recovery key, or the intake key (store/keys.py).

    ``sealed_key`` is a sealed box to the holder's public key (anyone can write one, so the web process
    seals new cases with public keys only). ``wrapped_key`` is the same key sealed under a key only the
    adviser's private key derives, written by their app the first time it opens the case: opening it
    then costs a symmetric decryption instead of a public-key one.
    """

    id = pw.AutoField()
    report = pw.ForeignKeyField(Report, on_delete="CASCADE", backref="keys")
    report_id: int
    holder = pw.CharField(max_length=16)  # adviser | recovery | intake
    adviser = pw.ForeignKeyField(Adviser, null=True, on_delete="CASCADE", backref="case_keys")
    adviser_id: int | None
    sealed_key = pw.BlobField()
    wrapped_key = pw.BlobField(null=True)

    class Meta:
        table_name = "case_key"
        indexes = (
            (("report", "holder", "adviser"), True),
            (("adviser", "report"), False),
        )


ALL_MODELS = [
    Setting,
    Adviser,
    Report,
    Message,
    Note,
    ReporterSession,
    AuditEvent,
    Closure,
    FormToken,
    Notification,
    ThrottleCounter,
    CaseKey,
    Attachment,
    AttachmentChunk,
]
