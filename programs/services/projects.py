"""Volunteer projects (Platform association): publish, sign up, confirm the team, complete (which logs
the deployment for the team), cancel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kpmi_si.audit.services import audit_log, diff_fields
from kpmi_si.notifications.services import notification_send
from members.models import Level, Member

from .. import permissions
from ..models import (
    Activity,
    Deployment,
    Kind,
    ProjectSignup,
    VolunteerProject,
)
from .common import _notify_member
from .work import _activity_record

# --- Volunteer projects (Platform association) ------------------------------------------------------

PROJECT_FIELDS = VolunteerProject.EDITABLE_FIELDS


CANCEL_REASON_MAX = 500


def _require_project_officer(actor: Any) -> None:
    if not permissions.can_run_projects(actor):
        raise PermissionDenied


def _move_project(*, actor: Any, project: VolunteerProject, to: str, action: str, note: str = "") -> None:
    if not project.can_move_to(to):
        raise ValidationError(
            _("This project is %(state)s; it cannot become %(new)s.")
            % {"state": project.get_status_display(), "new": VolunteerProject.Status(to).label}
        )
    old = project.status
    project.status = to
    project.save(update_fields=["status", "activity"])
    audit_log(actor=actor, action=action, target=project, changes={"status": [old, to]}, note=note)


@transaction.atomic
def project_publish(*, actor: Any, data: dict[str, Any]) -> VolunteerProject:
    _require_project_officer(actor)
    project = VolunteerProject(created_by=actor)
    for name in PROJECT_FIELDS:
        setattr(project, name, data.get(name))
    project.full_clean(exclude=["created_by", "activity"])
    if project.desa_id and project.desa.kecamatan_id != project.kecamatan_id:
        raise ValidationError({"desa": _("This village is not in the chosen district.")})
    if project.end_date < project.start_date:
        raise ValidationError({"end_date": _("The end cannot be before the start.")})
    project.save()
    audit_log(
        actor=actor,
        action="project.publish",
        target=project,
        changes=diff_fields({}, {name: getattr(project, name) for name in (*PROJECT_FIELDS, "status")}),
    )
    return project


@transaction.atomic
def project_sign_up(*, actor: Any, project: VolunteerProject, member: Member) -> ProjectSignup:
    """A manager joins the candidates of a project, while it is open and not full."""
    if not permissions.can_sign_up_member(actor, member):
        raise PermissionDenied
    # Lock the project: two managers taking the last place at once must not both get it.
    project = VolunteerProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    if project.status != VolunteerProject.Status.OPEN:
        raise ValidationError(_("This project is no longer open for sign-up."))
    if member.level < Level.MANAGER:
        raise ValidationError(_("Only managers can work on volunteer projects."))
    earlier = project.signups.filter(member=member).first()
    if earlier is not None and earlier.status != ProjectSignup.Status.WITHDRAWN:
        raise ValidationError(_("%(name)s has already signed up for this project.") % {"name": member.full_name})
    taken = project.signups.filter(status__in=ProjectSignup.TAKES_A_PLACE).count()
    if taken >= project.team_size:
        raise ValidationError(
            _("This project is full: it needs %(n)s managers and has them.") % {"n": project.team_size}
        )
    if earlier is not None:
        # Withdrawn before: the same row comes back (one sign-up per member and project).
        earlier.signed_up_by = actor
        signup = _move_signup(actor=actor, signup=earlier, to=ProjectSignup.Status.SIGNED_UP, action="project.sign_up")
    else:
        try:
            with transaction.atomic():
                signup = ProjectSignup.objects.create(
                    project=project, member=member, kpmi_id=member.kpmi_id, signed_up_by=actor
                )
        except IntegrityError:
            raise ValidationError(
                _("%(name)s has already signed up for this project.") % {"name": member.full_name}
            ) from None
        audit_log(actor=actor, action="project.sign_up", target=signup, changes={"status": [None, signup.status]})
    _notify_project_officers(
        project,
        lambda: (
            _("%(member)s (%(kpmi)s) signed up for %(project)s.")
            % {"member": member.full_name, "kpmi": member.kpmi.name, "project": project.title}
        ),
    )
    return signup


def _move_signup(*, actor: Any, signup: ProjectSignup, to: str, action: str) -> ProjectSignup:
    """Move one sign-up along its state machine, refusing any edge it does not allow."""
    if not signup.can_move_to(to):
        raise ValidationError(
            _("This sign-up is %(state)s; it cannot become %(new)s.")
            % {"state": signup.get_status_display(), "new": ProjectSignup.Status(to).label}
        )
    old = signup.status
    signup.status = to
    signup.save(update_fields=["status", "signed_up_by"])
    audit_log(actor=actor, action=action, target=signup, changes={"status": [old, to]})
    return signup


@transaction.atomic
def project_signup_withdraw(*, actor: Any, signup: ProjectSignup) -> ProjectSignup:
    """A manager takes back their sign-up (or a keeper of their group does, as they may sign them
    up), while the project is still open: once the team is confirmed, the officer counts on them."""
    signup = ProjectSignup.objects.select_related("member__kpmi", "member__user").get(pk=signup.pk)
    if not permissions.can_sign_up_member(actor, signup.member):
        raise PermissionDenied
    # The project first, as project_confirm_team locks it: a withdrawal and a confirmation are
    # applied one after the other, never half of each.
    project = VolunteerProject.objects.select_for_update(of=("self",)).get(pk=signup.project_id)
    signup = ProjectSignup.objects.select_for_update(of=("self",)).select_related("member__kpmi").get(pk=signup.pk)
    if project.status != VolunteerProject.Status.OPEN:
        raise ValidationError(
            _("The project is %(state)s: a sign-up can no longer be withdrawn; ask the officer.")
            % {"state": project.get_status_display()}
        )
    _move_signup(actor=actor, signup=signup, to=ProjectSignup.Status.WITHDRAWN, action="project.signup_withdraw")
    member = signup.member
    _notify_project_officers(
        project,
        lambda: (
            _("%(member)s (%(kpmi)s) withdrew from %(project)s.")
            % {"member": member.full_name, "kpmi": member.kpmi.name, "project": project.title}
        ),
    )
    return signup


def _notify_project_officers(project: VolunteerProject, message: Callable[[], str]) -> None:
    officers = get_user_model().objects.filter(officer__association__code=permissions.PLATFORM, is_active=True)
    for user in officers:
        notification_send(recipient=user, message=message, link=project.get_absolute_url())


@transaction.atomic
def project_confirm_team(*, actor: Any, project: VolunteerProject, signup_ids: Iterable[int]) -> list[ProjectSignup]:
    """The officer picks the team among the sign-ups; the others are told they were not selected."""
    _require_project_officer(actor)
    project = VolunteerProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    chosen_ids = set(signup_ids)
    signups = list(project.signups.select_related("member__kpmi", "member__user"))
    team = [s for s in signups if s.pk in chosen_ids and s.status == ProjectSignup.Status.SIGNED_UP]
    if not team:
        raise ValidationError(_("Choose at least one manager for the team."))
    if len(team) > project.team_size:
        raise ValidationError(_("The project needs %(n)s managers; you chose more.") % {"n": project.team_size})
    _move_project(actor=actor, project=project, to=VolunteerProject.Status.TEAM_CONFIRMED, action="project.confirm")
    for signup in signups:
        if signup.status != ProjectSignup.Status.SIGNED_UP:
            continue
        new = ProjectSignup.Status.CONFIRMED if signup in team else ProjectSignup.Status.NOT_SELECTED
        _move_signup(actor=actor, signup=signup, to=new, action="project.signup_decide")
        _notify_member(
            signup.member,
            (
                lambda s=signup: (
                    _("%(member)s is in the team of %(project)s.")
                    % {"member": s.member.full_name, "project": project.title}
                )
            )
            if new == ProjectSignup.Status.CONFIRMED
            else (
                lambda s=signup: (
                    _("%(member)s was not selected for %(project)s.")
                    % {"member": s.member.full_name, "project": project.title}
                )
            ),
            project.get_absolute_url(),
        )
    return team


@transaction.atomic
def project_complete(
    *, actor: Any, project: VolunteerProject, date: dt.date, beneficiaries: int, summary: str = ""
) -> Activity:
    """Close a project: one ICT deployment, credited to every team member whatever their KPMI.
    It is logged for the KPMI of the first team member (whose keepers may then correct it) and,
    being recorded by the officer, counts at once."""
    _require_project_officer(actor)
    project = (
        VolunteerProject.objects.select_for_update(of=("self",)).select_related("kecamatan", "desa").get(pk=project.pk)
    )
    if not project.can_move_to(VolunteerProject.Status.COMPLETED):
        raise ValidationError(
            _("This project is %(state)s; it cannot be completed.") % {"state": project.get_status_display()}
        )
    if date < project.start_date:
        raise ValidationError(
            {
                "date": _("The project started on %(date)s; it cannot be completed before that.")
                % {"date": project.start_date.strftime("%d-%m-%Y")}
            }
        )
    team = [
        s.member
        for s in project.signups.filter(status=ProjectSignup.Status.CONFIRMED)
        .select_related("member__kpmi", "member__user")
        .order_by("created_at", "pk")
    ]
    activity = _activity_record(
        actor=actor,
        kind=Kind.DEPLOYMENT,
        kpmi=team[0].kpmi,
        data={
            "title": project.title,
            "date": date,
            "kecamatan": project.kecamatan,
            "desa": project.desa,
            "summary": summary or project.needs,
            "evidence_url": "",
            "deployment_kind": project.deployment_kind,
            "site_type": project.site_type,
            "site_name": project.site_name,
            "beneficiaries": beneficiaries,
            "operational_status": Deployment.OperationalStatus.IN_USE,
        },
        credited=team,
        approved=True,
    )
    project.activity = activity
    _move_project(
        actor=actor,
        project=project,
        to=VolunteerProject.Status.COMPLETED,
        action="project.complete",
        note=f"activity {activity.pk}",
    )
    for member in team:
        _notify_member(
            member,
            lambda m=member: (
                _("%(project)s is completed; the deployment is credited to %(member)s.")
                % {"project": project.title, "member": m.full_name}
            ),
            activity.get_absolute_url(),
        )
    return activity


@transaction.atomic
def project_cancel(*, actor: Any, project: VolunteerProject, reason: str = "") -> VolunteerProject:
    """The officer calls a project off, while it is open or its team is confirmed (a completed
    project has its deployment logged: nothing to cancel). Every manager signed up or in the team,
    and the keepers of their groups, are told. The sign-ups stay as they were, for the record."""
    _require_project_officer(actor)
    project = VolunteerProject.objects.select_for_update(of=("self",)).get(pk=project.pk)
    reason = (reason or "").strip()
    if len(reason) > CANCEL_REASON_MAX:
        raise ValidationError({"reason": _("Keep the reason under %(n)s characters.") % {"n": CANCEL_REASON_MAX}})
    _move_project(
        actor=actor, project=project, to=VolunteerProject.Status.CANCELLED, action="project.cancel", note=reason
    )
    signed_up = project.signups.filter(status__in=ProjectSignup.TAKES_A_PLACE).select_related(
        "member__kpmi", "member__user"
    )
    for signup in signed_up:
        _notify_member(
            signup.member,
            lambda s=signup: (
                (
                    _("%(project)s, which %(member)s signed up for, is cancelled. Reason: %(reason)s")
                    if reason
                    else _("%(project)s, which %(member)s signed up for, is cancelled.")
                )
                % {"project": project.title, "member": s.member.full_name, "reason": reason}
            ),
            project.get_absolute_url(),
        )
    return project
