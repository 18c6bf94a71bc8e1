"""Forms of the account pages: they validate input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.forms import DateInput
from members.models import Kpmi, KpmiRole, Member


class MemberInviteForm(forms.Form):
    email = forms.EmailField(
        label=_("Send the code by e-mail to (optional)"),
        required=False,
        help_text=_("Leave empty to hand the code over in person."),
    )


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=KpmiRole.Role.choices)
    member = forms.ModelChoiceField(label=_("A member of this KPMI"), queryset=Member.objects.none(), required=False)
    user = forms.ModelChoiceField(label=_("Or an existing account"), queryset=None, required=False)
    full_name = forms.CharField(label=_("Or a new person: full name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail for the invitation (optional)"),
        required=False,
        help_text=_("Without an e-mail the code is shown here, to hand over in person."),
    )
    since = forms.DateField(label=_("Since"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, kpmi: Kpmi, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(kpmi=kpmi, anonymised_at__isnull=True).order_by(
            "full_name", "pk"
        )
        # People who already log in: a supervisor often keeps several groups.
        self.fields["user"].queryset = (
            get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"
        self.fields["since"].initial = timezone.localdate()

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data.get("full_name", "").split())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = [name for name in ("member", "user", "full_name") if data.get(name)]
        if len(chosen) != 1 and not self.errors:
            raise forms.ValidationError(
                _("Choose a member, an existing account, or give a new person's name: one of them.")
            )
        return data


class RoleEndForm(forms.Form):
    until = forms.DateField(label=_("Last day in the role"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["until"].initial = timezone.localdate()


class ActivateForm(forms.Form):
    code = forms.CharField(label=_("Invitation code"), max_length=64)
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        required=False,
        help_text=_("Leave as it is, or choose another: letters, digits and @ . + - _ only."),
    )
    password1 = forms.CharField(
        label=_("New password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("New password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords are not the same."))
        return data


class OfficerAssignForm(forms.Form):
    association = forms.ModelChoiceField(label=_("Association"), queryset=None)
    user = forms.ModelChoiceField(label=_("An existing account"), queryset=None, required=False)
    full_name = forms.CharField(label=_("Or a new person: full name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("E-mail for the invitation (optional)"),
        required=False,
        help_text=_("Without an e-mail the code is shown here, to hand over in person."),
    )
    title = forms.CharField(label=_("Job title (optional)"), max_length=100, required=False)
    since = forms.DateField(label=_("Since"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from associations.models import Association

        super().__init__(*args, **kwargs)
        self.fields["association"].queryset = Association.objects.order_by("pk")
        self.fields["since"].initial = timezone.localdate()
        # Officer is one per login: only people who are not officers yet.
        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, officer__isnull=True)
            .order_by("first_name", "last_name", "username")
        )
        self.fields["user"].label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data.get("full_name", "").split())

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("user")) == bool(data.get("full_name")) and not self.errors:
            raise forms.ValidationError(_("Choose an existing account, or give a new person's name: one of them."))
        return data


class PersonInviteForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("E-mail for the invitation (optional)"),
        required=False,
        help_text=_("Without an e-mail the code is shown here, to hand over in person."),
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data.get("full_name", "").split())
        if not name:
            raise forms.ValidationError(_("Give the person's name."))
        return name
