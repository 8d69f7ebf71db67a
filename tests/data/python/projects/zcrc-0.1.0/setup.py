# The C extension links the system zlib, so a venv holding this wheel needs
# the Debian package that ships libz.so.1 (zlib1g).
from setuptools import Extension, setup

setup(
    packages=["zcrc"],
    ext_modules=[Extension("zcrc._zcrc", ["zcrc/_zcrc.c"], libraries=["z"])],
)
