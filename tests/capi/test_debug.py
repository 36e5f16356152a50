"""ferry's debug mode (FERRY_DEBUG=1): reports of lifetime bugs, checked on
the text they print. ferry only: the misbehaving extension (debug/_ferrydebug.c)
would crash CPython or go unnoticed there. Each case runs in a subprocess with
the debug mode on, whatever mode the suite itself runs in."""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ON_FERRY = sys.implementation.name == 'pypy'


def build_dir():
    for p in sys.path:
        d = os.path.join(p, 'debug')
        if os.path.isdir(d) and any(n.startswith('_ferrydebug.') and n.endswith('.so') for n in os.listdir(d)):
            return d
    raise unittest.SkipTest('the build of tests/capi/debug is not on sys.path')


def run(code, mode='1'):
    env = dict(os.environ, FERRY_DEBUG=mode)
    env['PYTHONPATH'] = os.pathsep.join([build_dir()] + [p for p in sys.path if p])
    prog = 'import ferry\nferry.install()\nimport _ferrydebug as d\n' + code
    p = subprocess.run([sys.executable, '-c', prog], env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


EXT = r'\(_ferrydebug\.cpython-311-x86_64-linux-gnu\.so\)'


@unittest.skipUnless(ON_FERRY, 'ferry debug mode')
class TestDebugReports(unittest.TestCase):

    def test_double_decref(self):
        rc, out, err = run('d.double_decref()\nprint("survived")')
        self.assertEqual(rc, 0, err)
        self.assertIn('survived', out)
        self.assertRegex(err, r"ferry debug: Py_DECREF of a freed object \(its reference count went "
                              r"below zero\): a 'list' object made by PyList_New from double_decref\+0x[0-9a-f]+ "
                              + EXT + r", freed by _Py_Dealloc from double_decref\+0x[0-9a-f]+ " + EXT)
        self.assertIn('ferry debug: 1 misuse report(s) during the run', err)

    def test_abort(self):
        rc, out, err = run('d.double_decref()\nprint("survived")', mode='abort')
        self.assertNotEqual(rc, 0)
        self.assertNotIn('survived', out)
        self.assertIn('ferry debug: Py_DECREF of a freed object', err)

    def test_use_after_free(self):
        rc, out, err = run(
            'try:\n    d.use_after_free()\nexcept SystemError as e:\n    print("raised", e)\n')
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"raised ferry debug: use of a freed object in PyObject_Repr: a 'str' object "
                              r"made by PyUnicode_FromString from use_after_free\+0x[0-9a-f]+ " + EXT +
                              r", freed by _Py_Dealloc from use_after_free")
        self.assertIn('ferry debug: use of a freed object in PyObject_Repr', err)

    def test_borrowed_after_owner(self):
        rc, out, err = run(
            'try:\n    d.borrowed_after_owner()\nexcept SystemError as e:\n    print("raised", e)\n')
        self.assertEqual(rc, 0, err)
        self.assertRegex(out, r"raised ferry debug: use of a freed object in PyObject_Repr: a 'bytes' object "
                              r"made by PyBytes_FromString from borrowed_after_owner\+0x[0-9a-f]+ " + EXT +
                              r".*; it was freed when the 'tuple' holding it was \(made by _Py_BuildValue_SizeT "
                              r"from borrowed_after_owner.*\): a borrowed reference to it outlived its owner")

    def test_double_free(self):
        rc, out, err = run('d.double_free()')
        self.assertEqual(rc, 0, err)
        self.assertRegex(err, r"ferry debug: a block freed twice: .* made by PyMem_Malloc from "
                              r"double_free\+0x[0-9a-f]+ " + EXT)

    def test_leak_report(self):
        rc, out, err = run('d.leak_lists(3)\nd.keep_in_static()\n')
        self.assertEqual(rc, 0, err)
        self.assertRegex(err, r"ferry debug: 3 leaked object\(s\): alive at exit, referenced from nowhere "
                              r"the layer can see\n  3 x 'list' made by PyList_New from leak_lists\+0x[0-9a-f]+ "
                              + EXT + r"\n$")

    def test_clean_run_reports_nothing(self):
        rc, out, err = run('d.keep_in_static()\nimport json\njson.dumps([1, 2.5, "x", {"a": (1,)}])\n')
        self.assertEqual(rc, 0, err)
        self.assertNotIn('ferry debug', err)


if __name__ == '__main__':
    unittest.main()
