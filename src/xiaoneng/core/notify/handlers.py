"""Durable delivery: each e-mail or SMS is a Job row created with the decision to send it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from xiaoneng.core.jobs.registry import job_handler

from .sms import sms_backend


@job_handler("notify.email")
def send_email_job(job) -> dict:
    payload = job.payload
    sent = send_mail(payload["subject"], payload["body"], settings.DEFAULT_FROM_EMAIL, payload["to"])
    return {"sent": sent}


@job_handler("notify.sms")
def send_sms_job(job) -> dict:
    sms_backend().send(job.payload["phone"], job.payload["text"])
    return {"sent": 1}
