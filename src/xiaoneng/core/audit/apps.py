from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_guards(sender, using="default", **kwargs):
    """Re-install the append-only triggers after every migrate (SQLite drops them on table rebuilds)."""
    from django.db import connections

    from .guards import install_guards

    connection = connections[using]
    if (
        connection.vendor in ("sqlite", "postgresql")
        and "audit_auditevent" in connection.introspection.table_names()
    ):
        install_guards(connection)


class AuditConfig(AppConfig):
    name = "xiaoneng.core.audit"
    label = "audit"

    def ready(self) -> None:
        post_migrate.connect(_ensure_guards, sender=self, dispatch_uid="audit_ensure_guards")
