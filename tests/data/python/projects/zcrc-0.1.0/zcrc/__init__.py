"""CRC-32 through the system zlib. A fixture for cleanroom's tests: a C extension."""
import sys

from ._zcrc import crc32, zlib_version

__version__ = "0.1.0"


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "--version":
        print("zcrc %s (zlib %s)" % (__version__, zlib_version()))
        return 0
    for arg in args:
        print("%08x %s" % (crc32(arg.encode()), arg))
    return 0
