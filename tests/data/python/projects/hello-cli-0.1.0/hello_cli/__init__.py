"""Says hello. A fixture for cleanroom's tests: pure Python, one console script."""
import sys

__version__ = "0.1.0"


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--version":
        print("hello-cli " + __version__)
        return 0
    print("Hello, %s!" % (args[0] if args else "world"))
    return 0
