"""The world the security crawler walks: data of unit A (the signed-in liaison's) and unit B.

Apps extend it in ``seeds_<app>.py`` beside this file (imported automatically), never with a
list of URLs:

* add a seed function (``from .seeds import seed, World, KWARG_KINDS``) with ``@seed``: it creates rows of A with ``world.add_a(kind, obj)``
  and rows of B with ``pk=world.b_pk()`` and ``world.add_b(kind, obj, *markers)``, where the
  markers are distinctive strings of B (names, titles) that must never reach A's liaison;
* if a URL kwarg names its object (``campaign_id``), map it in ``KWARG_KINDS``; kwargs not
  listed there (``pk``...) are tried with the ids of every kind;
* register the text fields of A's rows that users type in ``world.text_setters``; the XSS
  check writes its payloads through them.

B's rows get explicit primary keys far above anything auto-numbered (with gaps, because
SQLite's AUTOINCREMENT continues after the largest id), so an id of B never names a row
of A in another table and a 200 on a URL carrying B's id is a real leak.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# kwarg name in a URL pattern → kind of object registered with add_a/add_b.
KWARG_KINDS: dict[str, str] = {
    "unit_id": "unit",
    "unit_pk": "unit",
    "person_id": "person",
    "person_pk": "person",
    "user_id": "person",
    "file_id": "file",
    "stored_file_id": "file",
}

B_PK_BASE = 7_000_000
B_PK_STRIDE = 1_000


@dataclass
class World:
    office: Any
    unit_a: Any
    liaison_a: Any
    unit_b: Any = None
    liaison_b: Any = None
    a_objects: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    b_objects: dict[str, list[Any]] = field(default_factory=lambda: defaultdict(list))
    b_markers: set[str] = field(default_factory=set)
    # Strings to search for B with (?q=...), the most telling first.
    b_queries: list[str] = field(default_factory=list)
    # (label, max_length, callable storing a value into a text field of A's data).
    text_setters: list[tuple[str, int, Callable[[str], None]]] = field(default_factory=list)
    _next_b: int = 0

    def b_pk(self) -> int:
        self._next_b += 1
        return B_PK_BASE + self._next_b * B_PK_STRIDE

    def add_a(self, kind: str, *objects: Any) -> None:
        self.a_objects[kind].extend(getattr(obj, "pk", obj) for obj in objects)

    def add_b(self, kind: str, obj: Any, *markers: str) -> None:
        self.b_objects[kind].append(getattr(obj, "pk", obj))
        self.b_markers.update(marker for marker in markers if marker)

    def ids(self, side: str, kind: str | None) -> list[Any]:
        objects = self.a_objects if side == "a" else self.b_objects
        if kind is not None and kind in objects:
            return list(objects[kind])
        return [value for values in objects.values() for value in values]


SEEDS: list[Callable[[World], None]] = []


def seed(function: Callable[[World], None]) -> Callable[[World], None]:
    SEEDS.append(function)
    return function


# --- org: units and people ---------------------------------------------------------------
@seed
def seed_org(world: World) -> None:
    from django.utils import timezone

    from xiaoneng.core.jobs.services import worker_heartbeat
    from xiaoneng.org.models import RankingGroup, RoleAssignment, Unit, UnitKind, User

    worker_heartbeat()  # so /healthz answers 200, not 503, while the crawler walks
    world.add_a("unit", world.unit_a)
    world.add_a("person", world.liaison_a)
    group = RankingGroup.objects.filter(name="市直组").first() or RankingGroup.objects.create(name="市直组", order=2)
    world.unit_b = Unit.objects.create(
        pk=world.b_pk(), name="乙市第七人民医院", short_name="乙七院", kind=UnitKind.HOSPITAL,
        parent=world.unit_a.parent, ranking_group=group, order=2)
    world.add_b("unit", world.unit_b, "乙市第七人民医院", "乙七院")
    for username, full_name, role in (("yiqi_liaison", "乙七联络员", "liaison"),
                                      ("yiqi_leader", "乙七分管领导", "unit_leader")):
        person = User(pk=world.b_pk(), username=username, full_name=full_name, unit=world.unit_b,
                      phone="13912345678", must_change_password=False, password_changed_at=timezone.now())
        person.set_unusable_password()
        person.save()
        RoleAssignment.objects.create(user=person, role=role)
        world.add_b("person", person, username, full_name)
        if role == "liaison":
            world.liaison_b = person
    world.b_queries.extend(["乙市第七人民医院", "乙七联络员"])

    unit_a, liaison_a = world.unit_a, world.liaison_a
    world.text_setters.extend([
        ("unit name", 200, lambda value: Unit.objects.filter(pk=unit_a.pk).update(name=value)),
        ("unit short name", 50, lambda value: Unit.objects.filter(pk=unit_a.pk).update(short_name=value)),
        ("person full name", 100, lambda value: User.objects.filter(pk=liaison_a.pk).update(full_name=value)),
        ("person job title", 100, lambda value: User.objects.filter(pk=liaison_a.pk).update(title=value)),
    ])


# --- core: stored files ------------------------------------------------------------------
@seed
def seed_files(world: World) -> None:
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tests.files import samples
    from xiaoneng.core.files.services import file_store
    from xiaoneng.core.models import StoredFile
    from xiaoneng.org.models import Unit

    file_a = file_store(upload=samples.upload("甲县自查报告.pdf", samples.PDF), unit=world.unit_a,
                        user=world.liaison_a, linked_to=world.unit_a)
    world.add_a("file", file_a)
    secret = b"%PDF-1.4\n% \xe4\xb9\x99\xe4\xb8\x83\xe9\x99\xa2 B-ONLY-CONTENT\n%%EOF\n"
    name = default_storage.save("crawl/b-file", ContentFile(secret))
    file_b = StoredFile.objects.create(
        pk=world.b_pk(), unit=world.unit_b, original_name="乙七院机密自查报告.pdf", kind="pdf",
        content_type="application/pdf", size=len(secret), sha256="0" * 64, storage_name=name,
        uploaded_by=world.liaison_b, linked_type=_content_type(Unit), linked_id=world.unit_b.pk)
    world.add_b("file", file_b, "乙七院机密自查报告", "B-ONLY-CONTENT")
    world.text_setters.append(
        ("file name", 200, lambda value: StoredFile.objects.filter(pk=file_a.pk).update(original_name=value)))


def _content_type(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model)


def _load_app_seeds() -> None:
    """Import every ``seeds_<app>.py`` beside this file: each registers its ``@seed`` functions."""
    import importlib
    import pkgutil
    from pathlib import Path

    for module in sorted(pkgutil.iter_modules([str(Path(__file__).parent)]), key=lambda m: m.name):
        if module.name.startswith("seeds_"):
            importlib.import_module(f"{__package__}.{module.name}")


def build_world(*, office: Any, unit_a: Any, liaison_a: Any) -> World:
    _load_app_seeds()
    world = World(office=office, unit_a=unit_a, liaison_a=liaison_a)
    for function in SEEDS:
        function(world)
    return world
