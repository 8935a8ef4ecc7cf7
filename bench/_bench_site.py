"""Settings for the load benchmarks (bench/_loadkit.py): production settings plus one bare view."""

from xiaoneng.settings import *  # noqa: F403

ROOT_URLCONF = "_bench_urls"
