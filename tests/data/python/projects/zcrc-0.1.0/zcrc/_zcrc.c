/* crc32(bytes) -> int, computed by the system zlib. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <zlib.h>

static PyObject *zcrc_crc32(PyObject *self, PyObject *args) {
  Py_buffer data;
  (void)self;
  if (!PyArg_ParseTuple(args, "y*", &data)) return NULL;
  uLong crc = crc32(0L, (const Bytef *)data.buf, (uInt)data.len);
  PyBuffer_Release(&data);
  return PyLong_FromUnsignedLong(crc);
}

static PyObject *zcrc_zlib_version(PyObject *self, PyObject *unused) {
  (void)self;
  (void)unused;
  return PyUnicode_FromString(zlibVersion());
}

static PyMethodDef methods[] = {
    {"crc32", zcrc_crc32, METH_VARARGS, "CRC-32 of a bytes-like object."},
    {"zlib_version", zcrc_zlib_version, METH_NOARGS, "The zlib version linked at run time."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_zcrc", NULL, -1, methods};

PyMODINIT_FUNC PyInit__zcrc(void) { return PyModule_Create(&module); }
