"""`python -m xiaoneng.planimport FILE...`: the same as `xiaoneng extract-plan`."""

import sys

from .cli import main

sys.exit(main(sys.argv[1:]))
