"""The project's URLs plus /bench/bare/, a Django view that does nothing (the baseline)."""

from django.http import HttpResponse
from django.urls import path

from xiaoneng.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *project_urlpatterns]
