import json
import os
import tempfile
import unittest
from unittest import mock

from cleanroom_buildbot import store as stores
from cleanroom_buildbot.store import DirectoryStore, StoreError
from tests.fixtures import plan, node, write_outputs


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


class StoreTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = os.path.join(self.tmp.name, "store")
        self.out = os.path.join(self.tmp.name, "out")
        self.store = DirectoryStore(self.root)
        self.plan = plan()
        self.wh = node(self.plan, "wh")

    def tearDown(self):
        self.tmp.cleanup()

    def entries(self):
        return sorted(os.listdir(os.path.join(self.root, "nodes")))

    def test_publish_then_fetch_gives_the_same_bytes(self):
        write_outputs(self.out, self.wh)
        self.assertFalse(self.store.has(self.wh))
        self.assertTrue(self.store.publish(self.wh, self.out))
        self.assertTrue(self.store.has(self.wh))
        other = os.path.join(self.tmp.name, "other")
        self.store.fetch(self.wh, other)
        for name in self.wh["outputs"]:
            self.assertEqual(read(os.path.join(other, name)), read(os.path.join(self.out, name)))
        manifest = json.loads(read(os.path.join(self.root, "nodes", self.wh["input_hash"], "manifest.json")))
        self.assertEqual(manifest["outputs"][self.wh["outputs"][0]],
                         stores.sha256_file(os.path.join(self.out, self.wh["outputs"][0])))
        self.assertEqual(os.listdir(os.path.join(self.root, "tmp")), [])

    def test_a_second_publish_keeps_the_first_entry(self):
        write_outputs(self.out, self.wh)
        self.store.publish(self.wh, self.out)
        write_outputs(self.out, self.wh, salt="second")
        self.assertFalse(self.store.publish(self.wh, self.out))
        fetched = os.path.join(self.tmp.name, "f")
        self.store.fetch(self.wh, fetched)
        self.assertNotIn("second", read(os.path.join(fetched, self.wh["outputs"][0])))

    def test_a_publish_that_dies_midway_leaves_no_entry(self):
        write_outputs(self.out, self.wh)
        real_copy = stores._copy_synced
        calls = []

        def dying_copy(src, dst):
            calls.append(src)
            if len(calls) == 2:
                raise KeyboardInterrupt  # stands for the worker being killed
            return real_copy(src, dst)

        with mock.patch.object(stores, "_copy_synced", dying_copy), self.assertRaises(KeyboardInterrupt):
            self.store.publish(self.wh, self.out)
        self.assertEqual(self.entries(), [])
        self.assertFalse(self.store.has(self.wh))
        self.assertTrue(self.store.publish(self.wh, self.out))

    def test_a_publish_killed_before_the_rename_leaves_no_entry(self):
        write_outputs(self.out, self.wh)
        with mock.patch.object(stores.os, "rename", side_effect=KeyboardInterrupt), \
                self.assertRaises(KeyboardInterrupt):
            self.store.publish(self.wh, self.out)
        self.assertEqual(self.entries(), [])

    def test_missing_outputs_are_not_published(self):
        with self.assertRaises(StoreError) as e:
            self.store.publish(self.wh, self.out)
        self.assertIn("did not write", str(e.exception))
        self.assertEqual(self.entries(), [])

    def test_a_damaged_entry_is_refused_and_nothing_is_left_in_out(self):
        write_outputs(self.out, self.wh)
        self.store.publish(self.wh, self.out)
        name = self.wh["outputs"][0]
        with open(os.path.join(self.root, "nodes", self.wh["input_hash"], name), "a") as f:
            f.write("tampered")
        fresh = os.path.join(self.tmp.name, "fresh")
        with self.assertRaises(StoreError) as e:
            self.store.fetch(self.wh, fresh)
        self.assertIn("damaged", str(e.exception))
        self.assertNotIn(name, os.listdir(fresh))
        self.assertEqual([f for f in os.listdir(fresh) if f.startswith(".")], [])

    def test_an_entry_of_other_outputs_is_an_error_not_a_miss(self):
        write_outputs(self.out, self.wh)
        self.store.publish(self.wh, self.out)
        other = dict(self.wh, outputs=["something_else.deb"])
        with self.assertRaises(StoreError):
            self.store.has(other)

    def test_verify_nodes_store_only_a_manifest(self):
        v = node(self.plan, "verify-app")
        self.assertTrue(self.store.publish(v, self.out))
        self.assertTrue(self.store.has(v))
        self.assertEqual(os.listdir(os.path.join(self.root, "nodes", v["input_hash"])), ["manifest.json"])

    def test_plans_are_kept_by_their_sha256(self):
        digest = self.store.put_plan('{"x": 1}')
        self.assertEqual(self.store.get_plan(digest), '{"x": 1}')
        with open(os.path.join(self.root, "plans", digest + ".json"), "w") as f:
            f.write('{"x": 2}')
        with self.assertRaises(StoreError):
            self.store.get_plan(digest)
        with self.assertRaises(StoreError):
            self.store.get_plan("../../etc/passwd")

    def test_a_directory_that_is_no_store_is_refused_for_reading(self):
        with self.assertRaises(StoreError) as e:
            DirectoryStore(os.path.join(self.tmp.name, "typo"), create=False)
        self.assertIn("not an artifact store", str(e.exception))

    def test_a_store_of_another_format_is_refused(self):
        with open(os.path.join(self.root, "format.json"), "w") as f:
            json.dump({"format_version": 9}, f)
        with self.assertRaises(StoreError) as e:
            DirectoryStore(self.root)
        self.assertIn("format 9", str(e.exception))


if __name__ == "__main__":
    unittest.main()
