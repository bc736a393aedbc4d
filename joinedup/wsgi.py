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
