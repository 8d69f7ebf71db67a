"""Pure Python, yet its wheel is platform-tagged. A fixture for cleanroom's tests."""
__version__ = "0.1.0"
