"""gan_course: the helper package behind the gan-course notebooks.

Importing it is light: no torch, no widgets, no matplotlib backend. Submodules
(`gan_course.data`, `gan_course.distributions`, `gan_course.plotting`, ...) are
imported where they are needed.
"""

from gan_course.runtime import budget_mode, by_budget, get_device, seed_everything

__version__ = "0.1.0"

__all__ = ["budget_mode", "by_budget", "get_device", "seed_everything", "__version__"]
