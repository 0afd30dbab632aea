"""Schema 4 → 5: reporters' files (store/attachments.py), sealed in chunks in the database.

Two new tables, empty; nothing existing changes. They are defined here as
schema 4 has them (frozen: later schemas may change the models).
"""

import peewee as pw
from playhouse.migrate import SchemaMigrator

from . import Step


class _Report(pw.Model):
    class Meta:
        table_name = "report"


class _Message(pw.Model):
    class Meta:
        table_name = "message"


class _Attachment(pw.Model):
    id = pw.AutoField()
    report = pw.ForeignKeyField(_Report, on_delete="CASCADE", column_name="report_id")
    message = pw.ForeignKeyField(_Message, null=True, on_delete="CASCADE", column_name="message_id")
    kind = pw.CharField(max_length=16)
    media_type = pw.CharField(max_length=100)
    size = pw.IntegerField()
    chunk_count = pw.IntegerField()
    sealed_name = pw.BlobField()
    sealed_removed = pw.BlobField()
    created_at = pw.DateTimeField()

    class Meta:
        table_name = "attachment"
        indexes = ((("report", "id"), False),)


class _AttachmentChunk(pw.Model):
    attachment = pw.ForeignKeyField(_Attachment, on_delete="CASCADE", column_name="attachment_id")
    n = pw.IntegerField()
    sealed = pw.BlobField()

    class Meta:
        table_name = "attachment_chunk"
        primary_key = pw.CompositeKey("attachment", "n")


def apply(db: pw.Database, migrator: SchemaMigrator) -> list[str]:
    tables = [_Attachment, _AttachmentChunk]
    with db.bind_ctx(tables):
        db.create_tables(tables, safe=True)
    return ["reporters can attach files: two new tables (attachment, attachment_chunk), empty"]


STEP = Step(4, "reporters' files, sealed in chunks", apply)
