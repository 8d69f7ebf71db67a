// Linked into executables that take libarchive from its static archive
// (Dependencies.cmake). libarchive's pax and GNU tar writers report a file
// type they cannot store (a socket) through one internal function, and the
// object that defines it also holds the table of every write format: linking
// it brought in all of them, and through the xar format libxml2 and ICU, 33 MB
// of the executable and half of the pointers the loader relocates at every
// start, for formats cleanroom never writes. Defining the function here keeps
// that object out. Its signature has been the same since libarchive 3.6.
#include <archive.h>
#include <archive_entry.h>

#include <cerrno>

extern "C" void __archive_write_entry_filetype_unsupported(struct archive* a,
                                                           struct archive_entry* entry,
                                                           const char* format) {
  const char* type = "this type of file";
  switch (archive_entry_filetype(entry)) {
    case AE_IFSOCK: type = "a socket"; break;
    case AE_IFIFO: type = "a named pipe"; break;
    case AE_IFCHR: type = "a character device"; break;
    case AE_IFBLK: type = "a block device"; break;
    case AE_IFLNK: type = "a symbolic link"; break;
    case AE_IFDIR: type = "a directory"; break;
    default: break;
  }
  archive_set_error(a, EINVAL, "%s: the %s format cannot store %s", archive_entry_pathname(entry),
                    format, type);
}
