"""The artifact store: a plan node's outputs kept under its input hash, in a
directory every worker reaches (NFS, a shared mount; docs/ci.md).

Layout (format 1):
    format.json                    {"format_version": 1}
    nodes/<input_hash>/manifest.json   id, kind, input_hash, sha256 of each output
    nodes/<input_hash>/<output>        the files, as the node wrote them
    plans/<sha256>.json            plans, by the sha256 of their bytes
    snapshots/<id>.tar.zst         `cleanroom snapshot export` of a snapshot
    tmp/                           writes in progress

Everything is written under tmp/ first and renamed into place, so a worker
killed at any moment leaves either a complete entry or none: a reader never
sees half an entry, and the entry's presence is what says "built". An entry
is never changed once there: the same input hash means the same bytes, so a
second worker publishing the same node keeps the first one's entry.
"""
import errno
import hashlib
import json
import os
import shutil
import tempfile

STORE_VERSION = 1
_CHUNK = 1 << 20


class StoreError(Exception):
    """The store cannot do what was asked; the message says why, in one line."""


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(path):
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _copy_synced(src, dst):
    """Copies src to dst (a new file) and returns the sha256 of what was written."""
    h = hashlib.sha256()
    with open(src, "rb") as i, open(dst, "xb") as o:
        while chunk := i.read(_CHUNK):
            h.update(chunk)
            o.write(chunk)
        o.flush()
        os.fsync(o.fileno())
    return h.hexdigest()


class DirectoryStore:
    def __init__(self, root, create=True):
        self.root = os.path.abspath(root)
        marker = os.path.join(self.root, "format.json")
        if not os.path.exists(marker):
            if not create:
                raise StoreError(f"'{self.root}' is not an artifact store (no format.json)")
            for sub in ("nodes", "plans", "snapshots", "tmp"):
                os.makedirs(os.path.join(self.root, sub), exist_ok=True)
            self._write_atomic(marker, json.dumps({"format_version": STORE_VERSION}).encode())
        try:
            with open(marker, encoding="utf-8") as f:
                version = json.load(f).get("format_version")
        except (OSError, ValueError, AttributeError) as e:
            raise StoreError(f"'{marker}' is unreadable: {e}") from None
        if version != STORE_VERSION:
            raise StoreError(f"'{self.root}' is an artifact store of format {version!r}; this reads {STORE_VERSION}")

    # -- paths ---------------------------------------------------------------
    def entry(self, input_hash):
        return os.path.join(self.root, "nodes", input_hash)

    def snapshot_archive(self, snapshot_id):
        return os.path.join(self.root, "snapshots", f"{snapshot_id}.tar.zst")

    def _tmp_dir(self):
        return tempfile.mkdtemp(dir=os.path.join(self.root, "tmp"), prefix="in-progress-")

    def _write_atomic(self, path, data):
        directory = os.path.dirname(path)
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.rename(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        _fsync_dir(directory)

    # -- node entries --------------------------------------------------------
    def manifest(self, node):
        """The entry's manifest when the store holds this node's outputs, else None.
        An entry that does not match the node (other outputs, other id) is an
        error, not a miss: it means two plans disagree about one input hash."""
        path = os.path.join(self.entry(node["input_hash"]), "manifest.json")
        try:
            with open(path, encoding="utf-8") as f:
                manifest = json.load(f)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            raise StoreError(f"'{path}' is unreadable: {e}") from None
        if (not isinstance(manifest, dict) or manifest.get("format_version") != STORE_VERSION
                or manifest.get("input_hash") != node["input_hash"]
                or not isinstance(manifest.get("outputs"), dict)
                or sorted(manifest["outputs"]) != sorted(node["outputs"])):
            raise StoreError(f"'{path}' does not describe node {node['id']!r} with outputs {node['outputs']}")
        return manifest

    def has(self, node):
        return self.manifest(node) is not None

    def publish(self, node, out_dir):
        """Copies the node's outputs from out_dir into the store. Returns False
        when the store already held them (another worker was first)."""
        if self.has(node):
            return False
        missing = [n for n in node["outputs"] if not os.path.isfile(os.path.join(out_dir, n))]
        if missing:
            raise StoreError(f"node {node['id']!r} did not write {', '.join(missing)} into '{out_dir}'")
        tmp = self._tmp_dir()
        try:
            outputs = {n: _copy_synced(os.path.join(out_dir, n), os.path.join(tmp, n)) for n in node["outputs"]}
            manifest = {"format_version": STORE_VERSION, "id": node["id"], "kind": node["kind"],
                        "input_hash": node["input_hash"], "outputs": outputs}
            with open(os.path.join(tmp, "manifest.json"), "x", encoding="utf-8") as f:
                json.dump(manifest, f, indent=2, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            _fsync_dir(tmp)
            os.chmod(tmp, 0o755)
            try:
                os.rename(tmp, self.entry(node["input_hash"]))
            except OSError as e:
                if e.errno not in (errno.EEXIST, errno.ENOTEMPTY):
                    raise
                return False  # published meanwhile by another worker: same inputs, same bytes
            _fsync_dir(os.path.join(self.root, "nodes"))
            return True
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    def fetch(self, node, out_dir):
        """Copies the node's outputs into out_dir, each checked against the
        manifest's sha256 and renamed into place only when it matches."""
        manifest = self.manifest(node)
        if manifest is None:
            raise StoreError(f"the store holds no outputs of node {node['id']!r} ({node['input_hash'][:12]})")
        os.makedirs(out_dir, exist_ok=True)
        for name, want in sorted(manifest["outputs"].items()):
            dst = os.path.join(out_dir, name)
            if os.path.isfile(dst) and sha256_file(dst) == want:
                continue
            tmp = os.path.join(out_dir, f".{name}.fetching-{os.getpid()}")
            try:
                got = _copy_synced(os.path.join(self.entry(node["input_hash"]), name), tmp)
                if got != want:
                    raise StoreError(f"node {node['id']!r}: '{name}' in the store has sha256 {got}, "
                                     f"its manifest says {want}: the store entry is damaged")
                os.rename(tmp, dst)
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)

    # -- plans ---------------------------------------------------------------
    def put_plan(self, text):
        data = text.encode() if isinstance(text, str) else text
        digest = hashlib.sha256(data).hexdigest()
        path = os.path.join(self.root, "plans", f"{digest}.json")
        if not os.path.exists(path):
            self._write_atomic(path, data)
        return digest

    def get_plan(self, digest):
        if not (len(digest) == 64 and all(c in "0123456789abcdef" for c in digest)):
            raise StoreError(f"{digest!r} is not a sha256")
        path = os.path.join(self.root, "plans", f"{digest}.json")
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as e:
            raise StoreError(f"'{path}': {e.strerror}") from None
        if hashlib.sha256(data).hexdigest() != digest:
            raise StoreError(f"'{path}' does not have the sha256 its name says: the store is damaged")
        return data.decode()

    # -- snapshots -----------------------------------------------------------
    def put_snapshot(self, snapshot_id, export):
        """Stores a snapshot archive once: export(path) writes it to a temp path."""
        dst = self.snapshot_archive(snapshot_id)
        if os.path.exists(dst):
            return False
        tmp = self._tmp_dir()
        try:
            archive = os.path.join(tmp, "snapshot.tar.zst")
            export(archive)
            os.chmod(archive, 0o644)
            os.rename(archive, dst)
            _fsync_dir(os.path.dirname(dst))
            return True
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
