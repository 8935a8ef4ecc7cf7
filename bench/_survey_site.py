"""Settings for bench/survey_load.py: the production settings plus one bare view for the baseline."""

from xiaoneng.settings import *  # noqa: F403

ROOT_URLCONF = "_survey_urls"
