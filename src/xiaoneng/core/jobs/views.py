from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import job_get_for_user


@login_required
def job_status(request, pk: int):
    """The status of a job the user started; polled by htmx until it is done."""
    job = job_get_for_user(user=request.user, pk=pk)
    return render(request, "jobs/_status.html", {"job": job})
