"""Every app mounts its own urls module here."""

from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("xiaoneng.core.urls")),
    path("account/", include("xiaoneng.core.security.urls")),
    path("audit/", include("xiaoneng.core.audit.urls")),
    path("jobs/", include("xiaoneng.core.jobs.urls")),
    path("org/", include("xiaoneng.org.urls")),
    path("calendar/", include("xiaoneng.core.workdays.urls")),
    path("campaigns/", include("xiaoneng.campaigns.urls")),
    path("publicity/bulletins/", include("xiaoneng.publicity.bulletins.urls")),
    path("publicity/", include("xiaoneng.publicity.urls")),
    path("assessment/results/", include("xiaoneng.assessment.results.urls")),
    path("assessment/", include("xiaoneng.assessment.urls")),
    path("supervision/", include("xiaoneng.assessment.supervision.urls")),
    path("feedback/escalation/", include("xiaoneng.feedback.escalation.urls")),
    path("feedback/", include("xiaoneng.feedback.urls")),
    path("surveys/", include("xiaoneng.feedback.surveys.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]

handler400 = "xiaoneng.core.views.error_400"
handler403 = "xiaoneng.core.views.error_403"
handler404 = "xiaoneng.core.views.error_404"
handler500 = "xiaoneng.core.views.error_500"
