/* The trashcan (Py_TRASHCAN_BEGIN / Py_TRASHCAN_END, _PyTrash_begin,
 * _PyTrash_end, _PyTrash_cond of Objects/object.c): a GC type whose instances
 * form a chain through `next`; freeing the head frees the chain, each
 * tp_dealloc inside the trashcan. The test reads how deep the deallocator
 * bodies nested and in which order the nodes were freed.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "ferrytest.h"

typedef struct {
    PyObject_HEAD
    PyObject *next;
    long index;
} TrashNode;

static long depth = 0, max_depth = 0, freed = 0;
static unsigned long long order_digest = 0;

static int
trashnode_traverse(TrashNode *self, visitproc visit, void *arg)
{
    Py_VISIT(self->next);
    return 0;
}

static void trashnode_dealloc(TrashNode *self);

static void
trashnode_dealloc(TrashNode *self)
{
    PyObject_GC_UnTrack(self);
    Py_TRASHCAN_BEGIN(self, trashnode_dealloc)
    depth++;
    if (depth > max_depth) {
        max_depth = depth;
    }
    order_digest = order_digest * 1000003ULL + (unsigned long long)self->index;
    freed++;
    Py_CLEAR(self->next);
    PyObject_GC_Del(self);
    depth--;
    Py_TRASHCAN_END
}

static PyTypeObject TrashNode_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "_ferrytest.TrashNode",
    .tp_basicsize = sizeof(TrashNode),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_dealloc = (destructor)trashnode_dealloc,
    .tp_traverse = (traverseproc)trashnode_traverse,
};

/* A chain of n nodes (head index 0), made and freed in C:
 * (freed, max_depth, order digest). */
static PyObject *
trashcan_chain(PyObject *Py_UNUSED(m), PyObject *arg)
{
    Py_ssize_t n = PyLong_AsSsize_t(arg);
    if (n == -1 && PyErr_Occurred()) {
        return NULL;
    }
    PyObject *next = NULL;
    for (Py_ssize_t i = n - 1; i >= 0; i--) {
        TrashNode *node = PyObject_GC_New(TrashNode, &TrashNode_Type);
        if (node == NULL) {
            Py_XDECREF(next);
            return NULL;
        }
        node->next = next;
        node->index = (long)i;
        PyObject_GC_Track(node);
        next = (PyObject *)node;
    }
    depth = max_depth = freed = 0;
    order_digest = 0;
    Py_XDECREF(next);
    return Py_BuildValue("(llK)", freed, max_depth, order_digest);
}

/* _PyTrash_cond: 1 when dealloc is the object's type's own tp_dealloc. */
static PyObject *
trashcan_cond(PyObject *Py_UNUSED(m), PyObject *Py_UNUSED(ignored))
{
    TrashNode *node = PyObject_GC_New(TrashNode, &TrashNode_Type);
    if (node == NULL) {
        return NULL;
    }
    node->next = NULL;
    node->index = -1;
    int own = _PyTrash_cond((PyObject *)node, (destructor)trashnode_dealloc);
    int other = _PyTrash_cond((PyObject *)node, (destructor)PyObject_GC_Del);
    Py_DECREF(node);
    return Py_BuildValue("(ii)", own, other);
}

static PyMethodDef trashcan_methods[] = {
    {"trashcan_chain", trashcan_chain, METH_O, NULL},
    {"trashcan_cond", trashcan_cond, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

int
ferrytest_init_trashcan(PyObject *m)
{
    if (PyType_Ready(&TrashNode_Type) < 0) {
        return -1;
    }
    return PyModule_AddFunctions(m, trashcan_methods);
}
