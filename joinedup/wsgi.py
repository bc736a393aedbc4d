import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "joinedup.settings")
application = get_wsgi_application()

# What start-up loaded lives as long as the process. Frozen, a full garbage collection no
# longer walks it: unfrozen, that walk added about 90 ms to every tenth request or so of a
# long list page (benchmarks/pages.py).
gc.collect()
gc.freeze()
# A list page makes tens of thousands of short-lived objects: at Python's default threshold
# (700) that is several young-generation collections per request, and every few requests one
# of the older generations too. A higher first threshold collects once every request or two
# instead; memory grows by a few megabytes at most.
gc.set_threshold(10_000, 20, 20)
