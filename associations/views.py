"""Association pages: the dashboard of targets against actuals, periods, targets, evaluations."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.forms import apply_service_errors, id_from, post_data
from members.permissions import officer_association_code
from programs import permissions as award_permissions

from . import exports, permissions, selectors, services
from .filters import ResultFilter
from .forms import DefaultTargetsForm, OverrideForm, PeriodYearForm
from .metrics import KPMI, METRICS, PERCENT, THOUSAND_RUPIAH, Metric, metrics_of
from .models import Association, Evaluation, Period, Target, TargetResult
from .templatetags.dashboard_rows import ROW_FIELDS


def _association_or_403(request: HttpRequest, code: str, check=permissions.can_view_dashboard) -> Association:
    if officer_association_code(request.user) == code:
        # An officer's own association came with the officer code (members.permissions): no query.
        association = request.user.officer.association
    else:
        try:
            association = selectors.association_by_code(code=code)
        except Association.DoesNotExist:
            raise Http404 from None
    if not check(request.user, code):
        raise PermissionDenied
    return association


def _chosen_period(request: HttpRequest) -> Period | None:
    pk = id_from(request.GET.get("period") or request.POST.get("period"))
    if pk is not None:
        period = Period.objects.filter(pk=pk).first()
        if period is not None:
            return period
    return selectors.current_period()


@login_required
@require_GET
def dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """Target against actual for every KPMI or manager, for one metric of the association."""
    association = _association_or_403(request, code)
    metrics = metrics_of(code)
    # The period comes from the list the filter shows: one query for both.
    periods = selectors.period_list()
    pk = id_from(request.GET.get("period"))
    period = next((p for p in periods if p.pk == pk), None) or selectors.current_period_among(periods)
    metric = (
        METRICS.get(request.GET.get("metric", "")) if request.GET.get("metric") in {m.code for m in metrics} else None
    )
    metric = metric or (metrics[0] if metrics else None)
    context = {
        "association": association,
        "metrics": metrics,
        "metric": metric,
        "period": period,
        "periods": periods,
        "can_manage_targets": permissions.can_manage_targets(request.user, code),
        "can_evaluate": permissions.can_evaluate(request.user),
        "can_grant_awards": award_permissions.can_grant_awards(request.user),
    }
    if period is not None and metric is not None:
        sort = request.GET.get("sort", selectors.DEFAULT_SORT)
        if request.GET.get("format") == "xlsx":
            rows = selectors.results(period=period, metric=metric, filters=request.GET, sort=sort)
            return exports.results_xlsx(association=association, period=period, metric=metric, results=rows)
        # The page's stored numbers, the latest evaluation and the district filter's choices in one
        # statement; the rows as plain values (templatetags.dashboard_rows renders them).
        numbers = selectors.dashboard_numbers(
            period=period,
            metric=metric,
            filters=request.GET,
            sort=sort,
            page=request.GET.get("page"),
            per_page=settings.PAGE_SIZE,
            fields=ROW_FIELDS,
            kecamatan_choices=ResultFilter.base_filters["kecamatan"].queryset,
        )
        totals, evaluation, trend = numbers.totals, numbers.evaluation, numbers.trend
        paginator = Paginator((), settings.PAGE_SIZE)
        paginator.count = totals.subjects  # counted with the totals: no COUNT(*) of its own
        # The stored numbers date from the last successful evaluation, or from a later refresh of a row.
        finished = (
            evaluation.finished_at
            if evaluation is not None and evaluation.status == Evaluation.Status.SUCCEEDED
            else None
        )
        context.update(
            sort=sort,
            per_manager=metric.subject != KPMI,
            page=Page(numbers.rows, numbers.page_number, paginator),
            totals=totals,
            evaluation=evaluation,
            computed_at=max((at for at in (finished, totals.last_written) if at is not None), default=None)
            if finished is not None
            else numbers.succeeded_at,
            trend_data={
                "label": _chart_label(metric),
                "labels": [month.strftime("%Y-%m") for month, _n in trend],
                "values": [n for _month, n in trend],
            },
            kecamatan_data={
                "labels": [row["kecamatan__name"] for row in numbers.by_kecamatan],
                "actual": [row["actual"] for row in numbers.by_kecamatan],
                "target": [row["target"] for row in numbers.by_kecamatan],
                "actualLabel": _("Actual"),
                "targetLabel": _("Target"),
            },
            # The filter box's district select shows the choices read above (templatetags.dashboard_filter).
            district_choices=numbers.kecamatan_choices,
            query_without_sort="&".join(
                f"{k}={v}" for k, v in request.GET.items() if k not in ("sort", "page", "format")
            ),
        )
    return render(request, "associations/dashboard.html", context)


def _chart_label(metric: Metric) -> str:
    """A chart shows stored numbers: thousands of Rupiah or a percentage say so in the legend."""
    if metric.unit == THOUSAND_RUPIAH:
        return _("%(metric)s (thousand Rp)") % {"metric": metric.label}
    if metric.unit == PERCENT:
        return _("%(metric)s (%%)") % {"metric": metric.label}
    return str(metric.label)


@login_required
@require_GET
def result_records(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The records behind one number of the dashboard."""
    association = _association_or_403(request, code)
    result = get_object_or_404(
        TargetResult.objects.select_related("period", "kpmi", "member"), pk=pk, association=association
    )
    metric = METRICS[result.metric]
    subject = result.kpmi if metric.subject == KPMI else result.member
    records = metric.records(subject, result.period.start, result.period.end)
    return render(
        request,
        "associations/result_records.html",
        {
            "association": association,
            "result": result,
            "metric": metric,
            "subject": subject,
            "records": records,
            "records_template": metric.records_template,
            "can_grant_awards": award_permissions.can_grant_awards(request.user),
        },
    )


@login_required
@require_POST
def evaluation_start(request: HttpRequest, code: str) -> HttpResponse:
    _association_or_403(request, code)
    if not permissions.can_evaluate(request.user):
        raise PermissionDenied
    period = get_object_or_404(Period, pk=id_from(request.POST.get("period")) or 0)
    try:
        services.evaluation_request(actor=request.user, period=period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.info(request, _("The evaluation of %(period)s has started.") % {"period": period.name})
    return redirect(_dashboard_back(request.POST.get("next", ""), code=code, period=period))


def _dashboard_back(raw: str, *, code: str, period: Period) -> str:
    """Back to the dashboard as the officer left it (metric, filters, sort, page) for the period just
    evaluated. Only a relative URL of this association's own dashboard is followed: anything else in
    `next` (another path, another site, a scheme) is ignored, so the form cannot be used to redirect
    elsewhere."""
    home = reverse("associations:home", args=[code])
    query = QueryDict(mutable=True)
    try:
        parts = urlsplit(str(raw))
    except ValueError:
        parts = None
    if parts is not None and not parts.scheme and not parts.netloc and parts.path == home:
        query = QueryDict(parts.query, mutable=True)
    query.pop("format", None)
    query["period"] = str(period.pk)
    return f"{home}?{query.urlencode()}"


@login_required
@require_GET
def evaluation_status(request: HttpRequest, pk: int) -> JsonResponse:
    if not permissions.can_evaluate(request.user):
        raise PermissionDenied
    evaluation = get_object_or_404(Evaluation, pk=pk)
    return JsonResponse(
        {
            "status": evaluation.status,
            "label": evaluation.get_status_display(),
            "percent": evaluation.percent,
            "active": evaluation.is_active,
            "error": evaluation.error,
        }
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest, code: str) -> HttpResponse:
    """Default targets per metric, and overrides for single groups or managers."""
    association = _association_or_403(request, code, permissions.can_manage_targets)
    period = _chosen_period(request)
    if period is None:
        messages.info(request, _("Open a period first."))
        return redirect("associations:periods")
    metrics = metrics_of(code)
    existing = list(selectors.targets_of(period=period, association=association))
    defaults = {t.metric: t.value for t in existing if t.kpmi_id is None and t.member_id is None}
    defaults_form = DefaultTargetsForm(
        request.POST if request.POST.get("form") == "defaults" else None, metrics=metrics, initial_values=defaults
    )
    # A POST that names no form (or a made-up one) goes to the override form, which says what is missing,
    # rather than the page coming back with nothing saved and nothing said.
    posted_override = request.method == "POST" and request.POST.get("form") != "defaults"
    override_form = OverrideForm(request.POST if posted_override else None, metrics=metrics)
    if request.method == "POST":
        form = defaults_form if request.POST.get("form") == "defaults" else override_form
        if form.is_valid():
            try:
                if form is defaults_form:
                    # All the defaults or none: a refusal of the third must not leave the first two saved.
                    with transaction.atomic():
                        for metric in metrics:
                            value = form.cleaned_data.get(metric.code)
                            if value is not None:
                                services.target_set(
                                    actor=request.user,
                                    period=period,
                                    association=association,
                                    metric=metric.code,
                                    value=value,
                                )
                else:
                    data = form.cleaned_data
                    services.target_set(
                        actor=request.user,
                        period=period,
                        association=association,
                        metric=data["metric"],
                        value=data["value"],
                        kpmi=data.get("kpmi"),
                        member=data.get("member"),
                    )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, _("Targets saved."))
                return redirect(f"{reverse('associations:targets', args=[code])}?period={period.pk}")
    labels = {m.code: m.label for m in metrics}
    overrides = [t for t in existing if t.kpmi_id or t.member_id]
    for target in overrides:
        target.metric_label = labels.get(target.metric, target.metric)
    return render(
        request,
        "associations/targets.html",
        {
            "association": association,
            "period": period,
            "periods": selectors.periods(),
            "defaults_form": defaults_form,
            "override_form": override_form,
            "overrides": overrides,
        },
    )


@login_required
@require_POST
def target_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    association = _association_or_403(request, code, permissions.can_manage_targets)
    target = get_object_or_404(Target.objects.select_related("period", "association"), pk=pk, association=association)
    try:
        services.target_delete(actor=request.user, target=target)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The override was removed."))
    return redirect(f"{reverse('associations:targets', args=[code])}?period={target.period_id}")


@login_required
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    if not permissions.can_open_period(request.user):
        raise PermissionDenied
    form = PeriodYearForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_open_year(
                actor=request.user, year=form.cleaned_data["year"], quarters=form.cleaned_data["quarters"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Period %(name)s is open.") % {"name": period.name})
            return redirect("associations:periods")
    return render(
        request,
        "associations/periods.html",
        {"form": form, "periods": selectors.periods(), "can_close": permissions.can_close_period(request.user)},
    )


@login_required
@require_POST
def period_close(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.can_close_period(request.user):
        raise PermissionDenied
    period = get_object_or_404(Period, pk=pk)
    try:
        services.period_close(actor=request.user, period=period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Period %(name)s is closed; its results are frozen.") % {"name": period.name})
    return redirect("associations:periods")
