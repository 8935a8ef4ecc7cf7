"""Units, ranking groups, people and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE = "office", _("Office")
    LIAISON = "liaison", _("Unit liaison")
    UNIT_LEADER = "unit_leader", _("Unit leader")
    INSPECTOR = "inspector", _("Inspector")
    BUREAU_LEADER = "bureau_leader", _("Bureau leader")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# 三员分立: the three administrator roles are held by three different accounts, and an
# administrator holds no business role (it must not see business data it does not need).
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Roles the office grants to the bureau's staff; the administrators grant ADMIN_ROLES.
BUSINESS_ROLES = frozenset(set(Role) - ADMIN_ROLES)
# Roles that see every unit's business data.
BUREAU_WIDE_ROLES = frozenset({Role.OFFICE, Role.BUREAU_LEADER})
# Roles bound to one unit.
UNIT_ROLES = frozenset({Role.LIAISON, Role.UNIT_LEADER})


class UnitKind(models.TextChoices):
    BUREAU = "bureau", _("Bureau")
    OFFICE = "office", _("Office")
    COUNTY_BUREAU = "county_bureau", _("County/district health bureau")
    HOSPITAL = "hospital", _("Hospital")
    CDC = "cdc", _("Disease control centre")
    SUPERVISION = "supervision", _("Health supervision institute")
    BLOOD_CENTRE = "blood_centre", _("Blood centre")
    OTHER = "other", _("Other unit")


class RankingGroup(models.Model):
    """Units ranked against each other (e.g. county bureaus apart from city-level units)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("ranking group")
        verbose_name_plural = _("ranking groups")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """An organisation that reports and is assessed."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    ranking_group = models.ForeignKey(
        RankingGroup, verbose_name=_("ranking group"), null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    # Scoping: the unit a row belongs to is the unit itself.
    scope_unit_field = "pk"


class User(AbstractUser):
    """A person who signs in: belongs to one unit and holds roles."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="people"
    )
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)

    objects = UserManager()

    class Meta:
        ordering = ["unit__order", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.username

    scope_unit_field = "unit"

    @property
    def role_set(self) -> frozenset[str]:
        """The user's roles, read once per request object."""
        cached = getattr(self, "_role_cache", None)
        if cached is None:
            cached = frozenset(self.role_assignments.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_cache = cached
        return cached

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_set.intersection(roles))

    @property
    def is_admin_role_holder(self) -> bool:
        return bool(self.role_set & ADMIN_ROLES)

    @property
    def sees_all_units(self) -> bool:
        return bool(self.role_set & BUREAU_WIDE_ROLES)


class RoleAssignment(models.Model):
    """One role held by one user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="org_role_once_per_user"),
            # 三员分立 enforced by the database itself: at most one administrator role per account.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(role__in=["system_admin", "security_admin", "audit_admin"]),
                name="org_one_admin_role_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
