"""docs/ci.md shows the master.cfg the integration test runs, byte for byte."""
import os
import unittest

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(os.path.dirname(HERE))


class DocsTest(unittest.TestCase):
    def test_ci_md_shows_the_real_master_cfg(self):
        with open(os.path.join(ROOT, "docs", "ci.md"), encoding="utf-8") as f:
            doc = f.read()
        section = doc[doc.index("### master.cfg"):]
        block = section[section.index("```python\n") + len("```python\n"):]
        block = block[:block.index("```\n")]
        with open(os.path.join(HERE, "master.cfg"), encoding="utf-8") as f:
            self.assertEqual(block, f.read())


if __name__ == "__main__":
    unittest.main()
