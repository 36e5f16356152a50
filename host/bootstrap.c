/* _ferry_host: the HPy universal module PyPy loads (normal link namespace).
 *
 * It opens the layer (libferry.so) in a link namespace of its own with
 * dlmopen(LM_ID_NEWLM), so that every Py* symbol of the extensions loaded
 * later binds to the layer and never to PyPy's own cpyext exports, and then
 * forwards each call to the layer's single entry point with its HPyContext.
 * It also owns ferry.NativeObject, the HPy type whose instances are the
 * managed wrappers of native (C-allocated) objects.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include "hpy.h"

/* Shared with host/entry.h (the layer side); keep both in step. */
#include "entry_codes.h"

typedef HPy (*ferry_entry_fn)(HPyContext *, int, HPy, const HPy *, HPy_ssize_t, HPy);

static ferry_entry_fn layer_entry;

typedef struct { void *native; } NativeObject;
HPyType_HELPERS(NativeObject)

/* No tp_destroy: PyPy 7.3.11 asserts in the finalizer of instances of Python
   subclasses of an HPy type. The wrapper's reference to its native object is
   dropped by a weakref callback instead (python/ferry/_support.py). */
static HPyDef *NativeObject_defines[] = { NULL };
static HPyType_Spec NativeObject_spec = {
    .name = "_ferry_host.NativeObject",
    .basicsize = sizeof(NativeObject),
    .flags = HPy_TPFLAGS_DEFAULT | HPy_TPFLAGS_BASETYPE,
    .defines = NativeObject_defines,
};

/* open_layer(path): dlmopen the layer into a new namespace; returns None. */
HPyDef_METH(open_layer, "open_layer", open_layer_impl, HPyFunc_O)
static HPy open_layer_impl(HPyContext *ctx, HPy self, HPy path)
{
    (void)self;
    if (layer_entry) {
        HPyErr_SetString(ctx, ctx->h_RuntimeError, "ferry: the layer is already open");
        return HPy_NULL;
    }
    const char *p = HPyUnicode_AsUTF8AndSize(ctx, path, NULL);
    if (!p)
        return HPy_NULL;
    void *lib = dlmopen(LM_ID_NEWLM, p, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        char msg[1024];
        snprintf(msg, sizeof msg, "ferry: cannot open the layer: %s", dlerror());
        HPyErr_SetString(ctx, ctx->h_ImportError, msg);
        return HPy_NULL;
    }
    layer_entry = (ferry_entry_fn)dlsym(lib, "ferry_entry");
    if (!layer_entry) {
        HPyErr_SetString(ctx, ctx->h_ImportError, "ferry: the layer lacks its entry points");
        layer_entry = NULL;
        return HPy_NULL;
    }
    return HPy_Dup(ctx, ctx->h_None);
}

/* Every other function is one line: forward to the layer with its code. */
#define FORWARD(NAME, CODE)                                                       \
    HPyDef_METH(NAME, #NAME, NAME##_impl, HPyFunc_KEYWORDS)                       \
    static HPy NAME##_impl(HPyContext *ctx, HPy self, HPy *args,                  \
                           HPy_ssize_t nargs, HPy kw)                             \
    {                                                                             \
        if (!layer_entry) {                                                       \
            HPyErr_SetString(ctx, ctx->h_RuntimeError, "ferry: layer not open");  \
            return HPy_NULL;                                                      \
        }                                                                         \
        return layer_entry(ctx, CODE, self, args, nargs, kw);                     \
    }
FERRY_ENTRY_CODES(FORWARD)
#undef FORWARD

#define DEFREF(NAME, CODE) &NAME,
static HPyDef *module_defines[] = { &open_layer, FERRY_ENTRY_CODES(DEFREF) NULL };
#undef DEFREF

static HPyModuleDef moduledef = {
    .name = "_ferry_host",
    .doc = "ferry's host bootstrap: opens the layer and forwards calls to it",
    .size = -1,
    .defines = module_defines,
};

HPy_MODINIT(_ferry_host)
static HPy init__ferry_host_impl(HPyContext *ctx)
{
    HPy m = HPyModule_Create(ctx, &moduledef);
    if (HPy_IsNull(m))
        return HPy_NULL;
    HPy t = HPyType_FromSpec(ctx, &NativeObject_spec, NULL);
    if (HPy_IsNull(t) || HPy_SetAttr_s(ctx, m, "NativeObject", t) < 0) {
        HPy_Close(ctx, m);
        return HPy_NULL;
    }
    HPy_Close(ctx, t);
    return m;
}
