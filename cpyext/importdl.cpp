// Loading an extension module: check the file (ELF, architecture, the ABI tag
// in its name, every C API symbol it imports is one the layer exports), open
// it in the layer's link namespace, run PyInit_<name> with single- or
// multi-phase semantics. Mirrors Python/importdl.c.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <cstring>
#include <dlfcn.h>
#include <string>

#include "cpyext/elf_symbols.h"
#include "cpyext/internal.h"

using namespace ferry;

namespace {

const elf::Inspection &layer_exports() {
    static elf::Inspection self = [] {
        Dl_info info{};
        dladdr(reinterpret_cast<void *>(&PyModule_Create2), &info);
        return elf::inspect(info.dli_fname ? info.dli_fname : "");
    }();
    return self;
}

#include "cpython311_symbols.inc"

bool in_cpython311(const std::string &s) {
    return std::binary_search(std::begin(kCPython311Symbols), std::end(kCPython311Symbols), s.c_str(),
                              [](const char *a, const char *b) { return std::strcmp(a, b) < 0; });
}

bool is_c_api(const std::string &s) { return s.rfind("Py", 0) == 0 || s.rfind("_Py", 0) == 0; }

// ImportError with name and path set, as CPython's loader raises it.
PyObject *import_error(const std::string &message, const std::string &name, const std::string &path) {
    PyObject *msg = PyUnicode_FromString(message.c_str());
    PyObject *n = PyUnicode_FromString(name.c_str());
    PyObject *p = PyUnicode_DecodeFSDefault(path.c_str());
    if (msg && n && p)
        PyErr_SetImportError(msg, n, p);
    Py_XDECREF(msg);
    Py_XDECREF(n);
    Py_XDECREF(p);
    return nullptr;
}

// "x.cpython-39-x86_64-linux-gnu.so" names the Python it was built for.
bool wrong_abi_tag(const std::string &path, std::string *tag) {
    auto slash = path.rfind('/');
    std::string file = path.substr(slash == std::string::npos ? 0 : slash + 1);
    auto pos = file.find(".cpython-");
    if (pos == std::string::npos)
        return false;
    auto end = file.rfind(".so");
    *tag = file.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
    return *tag != "cpython-311-x86_64-linux-gnu";
}

} // namespace

namespace ferry {

PyObject *load_extension(const std::string &name, const std::string &path, PyObject *spec) {
    std::string tag;
    if (wrong_abi_tag(path, &tag))
        return import_error(path + ": built for another Python (" + tag +
                            "); ferry loads CPython 3.11 (cpython-311-x86_64-linux-gnu) and abi3 extensions",
                            name, path);
    elf::Inspection file = elf::inspect(path);
    if (!file.ok())
        return import_error(file.error, name, path);
    const elf::Inspection &layer = layer_exports();
    std::string foreign, missing;
    size_t n_foreign = 0, n_missing = 0;
    for (const std::string &s : file.undefined) {
        if (!is_c_api(s) || layer.exports(s))
            continue;
        if (in_cpython311(s))
            missing += (n_missing++ ? ", " : "") + s;
        else
            foreign += (n_foreign++ ? ", " : "") + s;
    }
    if (n_foreign)
        return import_error(path + ": built for another Python: it imports " + std::to_string(n_foreign) +
                            " symbol(s) that CPython 3.11 does not have: " + foreign +
                            (n_missing ? "; and " + std::to_string(n_missing) +
                                             " that ferry does not implement yet: " + missing
                                       : std::string()),
                            name, path);
    if (n_missing)
        return import_error(path + ": needs " + std::to_string(n_missing) +
                            " C API symbol(s) that ferry does not implement yet: " + missing,
                            name, path);

    std::string shortname = name.substr(name.rfind('.') == std::string::npos ? 0 : name.rfind('.') + 1);
    std::string init_name = "PyInit_" + shortname;
    if (!file.exports(init_name))
        return import_error(path + ": dynamic module does not define module export function (" +
                            init_name + ")", name, path);
    void *lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        return import_error(path + ": " + dlerror(), name, path);
    note_static_segments(lib);
    auto init = reinterpret_cast<PyObject *(*)()>(dlsym(lib, init_name.c_str()));
    if (!init)
        return import_error(path + ": dynamic module does not define module export function (" +
                            init_name + ")", name, path);

    // As CPython's _Py_PackageContext: a single-phase module created under
    // its short name gets the full dotted name (regex._regex, not _regex).
    package_context() = name;
    PyObject *m = init();
    package_context().clear();
    if (!m) {
        if (!PyErr_Occurred())
            PyErr_Format(PyExc_SystemError, "initialization of %s failed without raising an exception",
                         shortname.c_str());
        return nullptr;
    }
    if (Py_TYPE(m) == &PyModuleDef_Type) {
        auto *def = reinterpret_cast<PyModuleDef *>(m);
        PyObject *mod = PyModule_FromDefAndSpec2(def, spec, PYTHON_API_VERSION);
        if (!mod)
            return nullptr;
        // PEP 489: importlib sets the module's attributes between create and
        // exec; the exec slots see __spec__, __loader__ and __file__.
        if (PyModule_Check(mod)) {
            PyObject *loader = PyObject_GetAttrString(spec, "loader");
            PyObject *file = PyUnicode_DecodeFSDefault(path.c_str());
            bool ok = loader && file && PyObject_SetAttrString(mod, "__spec__", spec) == 0 &&
                      PyObject_SetAttrString(mod, "__loader__", loader) == 0 &&
                      PyObject_SetAttrString(mod, "__file__", file) == 0;
            Py_XDECREF(loader);
            Py_XDECREF(file);
            if (!ok) {
                Py_DECREF(mod);
                return nullptr;
            }
        }
        if (PyModule_Check(mod) && PyModule_ExecDef(mod, def) < 0) {
            Py_DECREF(mod);
            return nullptr;
        }
        return mod;
    }
    if (PyErr_Occurred()) {
        Py_DECREF(m);
        PyErr_Format(PyExc_SystemError, "initialization of %s raised unreported exception",
                     shortname.c_str());
        return nullptr;
    }
    if (!PyModule_Check(m)) {
        Py_DECREF(m);
        PyErr_Format(PyExc_SystemError, "initialization of %s did not return an extension module",
                     shortname.c_str());
        return nullptr;
    }
    PyModuleDef *def = PyModule_GetDef(m);
    if (def && PyState_AddModule(m, def) < 0) {
        Py_DECREF(m);
        return nullptr;
    }
    return m;
}

} // namespace ferry
