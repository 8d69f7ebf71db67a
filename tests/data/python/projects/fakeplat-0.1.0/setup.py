# The pure-fallback trap in its simplest form: the distribution says it has
# extension modules, so the wheel is tagged for the platform, yet it holds
# only Python code, as when an optional C extension silently failed to build.
from setuptools import setup
from setuptools.dist import Distribution


class PlatformDistribution(Distribution):
    def has_ext_modules(self):
        return True


setup(packages=["fakeplat"], distclass=PlatformDistribution)
