import os

from django.core.wsgi import get_wsgi_application

from kpmi_si import heap

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kpmi_si.settings")

application = get_wsgi_application()
# What loading the site created lives as long as the worker: out of the collector's walks (kpmi_si.heap).
heap.settle()
