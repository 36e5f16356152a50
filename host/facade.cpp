// The host facade over HPy 0.0.4 (see host.h). Every use of HPyContext in the
// layer is in this file.
#include "host.h"
#include "utf8.h"

#include <algorithm>
#include <cstdio>
#include <ffi.h>
#include <pthread.h>
#include <cstdlib>
#include <cstring>
#include <string>
#include <initializer_list>
#include <unordered_set>
#include <utility>
#include <vector>

#include "gc_bridge/stats.h"
#include "hpy.h"

namespace ferry::host {
namespace {

HPyContext *g_ctx = nullptr;
Handle g_builtins[static_cast<int>(Builtin::count)];
Handle g_helpers[static_cast<int>(Helper::count)];

const char *const kBuiltinNames[] = {
#define FERRY_BUILTIN(name, pyname) pyname,
#include "builtins.def"
#undef FERRY_BUILTIN
};
const char *const kHelperNames[] = {
#define FERRY_HELPER(name) #name,
#include "helpers.def"
#undef FERRY_HELPER
};

// FERRY_DEBUG_HANDLES=1: the handles the layer holds are known, so that
// closing one it does not hold (a second time, or a call's argument) aborts
// where it happens. Otherwise the host hands the freed handle out again, and
// a later use of the stale one finds another object, or none: a crash in
// HPy_Type, far from the cause.
bool g_track_handles = false;
std::unordered_set<intptr_t> *g_live_handles = nullptr;

[[noreturn, gnu::cold]] void handle_misuse(const char *what, intptr_t h) {
    std::fprintf(stderr, "ferry: fatal: %s (handle %ld)\n", what, static_cast<long>(h));
    std::fflush(stderr);
    std::abort();
}
[[gnu::cold]] void track_new(intptr_t h) {
    if (h && !g_live_handles->insert(h).second)
        handle_misuse("the host handed out a handle the layer holds already: one was closed twice before", h);
}
[[gnu::cold]] void track_close(intptr_t h) {
    if (!g_live_handles->erase(h))
        handle_misuse("closing a handle the layer does not hold (closed before, or a call's argument)", h);
}

inline HPy H(Handle h) { return HPy{h.raw}; }
// A new handle from the host, the layer's to close.
inline Handle W(HPy h) {
    if (g_track_handles) [[unlikely]]
        track_new(h._i);
    return Handle{h._i};
}
// The result of a call into the host that may have run Python code
// (counted when statistics are on).
inline Handle C(HPy h) {
    ++code_epoch;
    if (stats::enabled) [[unlikely]]
        stats::host_call();
    return W(h);
}
template <typename T> inline T Ci(T r) {
    ++code_epoch;
    if (stats::enabled) [[unlikely]]
        stats::host_call();
    return r;
}

// `held`: what the layer hands the host to keep while the wrapper lives
// (gc_bridge/cycles.cpp), traced by the classes of C types that are GC.
struct NativeObjectData {
    void *native;
    HPyField held;
};

} // namespace

uint64_t code_epoch = 1;

void bind_context(void *hpy_context) {
    g_ctx = static_cast<HPyContext *>(hpy_context);
    static bool checked = false;
    if (!checked) [[unlikely]] {
        checked = true;
        const char *track = std::getenv("FERRY_DEBUG_HANDLES");
        if (track && *track && std::strcmp(track, "0") != 0) {
            g_live_handles = new std::unordered_set<intptr_t>;
            g_track_handles = true;
        }
    }
}
void *context() { return g_ctx; }

namespace {

// The host's handle table, grown once at start-up (FERRY_HANDLE_RESERVE
// handles, 65536 unless set; 0: not). PyPy 7.3.11's JIT-compiled code that
// calls a function of C keeps the table's array across the call: when the
// call grew the table (a new array), a handle at the old array's length, the
// call's result say, was read past the old array's end: a crash in 1 run of
// 70 of bitarray's suite under a 64k nursery (in 4 core dumps, the handle was
// the old array's length each time). With room made before any such code
// runs, the table grows only past that many live handles: 0 crashes in 244
// runs. (Start-up: no measurable time or memory.)
void reserve_handles() {
    const char *v = std::getenv("FERRY_HANDLE_RESERVE");
    size_t n = v && *v ? std::strtoul(v, nullptr, 10) : size_t{1} << 16;
    std::vector<HPy> hs(n);
    for (size_t i = 0; i < n; i++)
        hs[i] = HPy_Dup(g_ctx, g_ctx->h_None);
    for (size_t i = n; i-- > 0;)   // (the free list hands the lowest out first)
        HPy_Close(g_ctx, hs[i]);
}

} // namespace

bool bind_support(Handle support) {
    HPy table = HPy_GetAttr_s(g_ctx, H(support), "BUILTINS");
    if (HPy_IsNull(table))
        return false;
    for (int i = 0; i < static_cast<int>(Builtin::count); i++) {
        HPy v = HPy_GetItem_s(g_ctx, table, kBuiltinNames[i]);
        if (HPy_IsNull(v)) {
            HPy_Close(g_ctx, table);
            return false;
        }
        g_builtins[i] = W(v);
    }
    HPy_Close(g_ctx, table);
    for (int i = 0; i < static_cast<int>(Helper::count); i++) {
        HPy v = HPy_GetAttr_s(g_ctx, H(support), kHelperNames[i]);
        if (HPy_IsNull(v))
            return false;
        g_helpers[i] = W(v);
    }
    reserve_handles();
    return true;
}

Handle borrowed(Builtin b) { return g_builtins[static_cast<int>(b)]; }

Handle dup(Handle h) { return W(HPy_Dup(g_ctx, H(h))); }
Handle hand_over(Handle h) {
    if (g_track_handles && h) [[unlikely]]
        g_live_handles->erase(h.raw);
    return h;
}
void close(Handle h) {
    if (h) {
        if (g_track_handles) [[unlikely]]
            track_close(h.raw);
        HPy_Close(g_ctx, H(h));
    }
}
bool is(Handle a, Handle b) { return HPy_Is(g_ctx, H(a), H(b)); }
Handle type(Handle h) { return W(HPy_Type(g_ctx, H(h))); }
int type_check(Handle obj, Handle t) { return HPy_TypeCheck(g_ctx, H(obj), H(t)); }

// PyPy's long variants take a fast path its long long ones lack (AsLong 6 ns
// against AsLongLong 14 ns, FromLong 15 ns against FromLongLong 27 ns, with
// a close): on LP64 they are the same width.
static_assert(sizeof(long) == sizeof(long long));
Handle long_from(long long v) { return W(HPyLong_FromLong(g_ctx, static_cast<long>(v))); }
Handle long_from_unsigned(unsigned long long v) {
    return W(HPyLong_FromUnsignedLong(g_ctx, static_cast<unsigned long>(v)));
}
long long long_as(Handle h, bool *overflow) {
    long long v = HPyLong_AsLong(g_ctx, H(h));
    *overflow = false;
    if (v == -1 && HPyErr_Occurred(g_ctx)) {
        *overflow = HPyErr_ExceptionMatches(g_ctx, g_ctx->h_OverflowError);
        if (*overflow)
            HPyErr_Clear(g_ctx);
    }
    return v;
}
unsigned long long long_as_unsigned(Handle h, bool *overflow) {
    unsigned long long v = HPyLong_AsUnsignedLong(g_ctx, H(h));
    *overflow = false;
    if (v == (unsigned long long)-1 && HPyErr_Occurred(g_ctx)) {
        *overflow = HPyErr_ExceptionMatches(g_ctx, g_ctx->h_OverflowError);
        if (*overflow)
            HPyErr_Clear(g_ctx);
    }
    return v;
}
double long_as_double(Handle h) { return HPyLong_AsDouble(g_ctx, H(h)); }
Handle float_from(double v) { return W(HPyFloat_FromDouble(g_ctx, v)); }
double float_as(Handle h) { return HPyFloat_AsDouble(g_ctx, H(h)); }
Handle bool_from(bool v) { return W(HPyBool_FromLong(g_ctx, v)); }

Handle unicode_from_latin1(const char *s, size_t n) {
    return W(HPyUnicode_DecodeLatin1(g_ctx, s, (HPy_ssize_t)n, "strict"));
}
Handle unicode_from_utf8_z(const char *s) { return W(HPyUnicode_FromString(g_ctx, s)); }
namespace {
// UTF-8 that HPyUnicode_FromString may take as it is: well formed and
// without NUL.
bool plain_utf8(const unsigned char *p, size_t n) {
    for (const unsigned char *end = p + n; p < end;) {
        uint32_t cp = 0;
        int len = utf8_sequence(p, end, cp);
        if (len == 0 || cp == 0)
            return false;
        p += len;
    }
    return true;
}
} // namespace

Handle unicode_from_utf8(const char *s, size_t n) {
    // HPy 0.0.4 has no sized UTF-8 decoder: plain UTF-8 goes through
    // HPyUnicode_FromString, the rest through bytes.decode (its errors).
    if (plain_utf8(reinterpret_cast<const unsigned char *>(s), n))
        return unicode_from_utf8_z(std::string(s, n).c_str());
    HPy b = HPyBytes_FromStringAndSize(g_ctx, s, (HPy_ssize_t)n);
    if (HPy_IsNull(b))
        return {};
    HPy decode = HPy_GetAttr_s(g_ctx, b, "decode");
    HPy_Close(g_ctx, b);
    if (HPy_IsNull(decode))
        return {};
    HPy args = HPyTuple_FromArray(g_ctx, nullptr, 0);
    HPy r = HPy_CallTupleDict(g_ctx, decode, args, HPy_NULL);
    HPy_Close(g_ctx, args);
    HPy_Close(g_ctx, decode);
    return W(r);
}
const char *unicode_as_utf8(Handle h, ptrdiff_t *size) {
    HPy_ssize_t n = 0;
    const char *s = HPyUnicode_AsUTF8AndSize(g_ctx, H(h), &n);
    if (size)
        *size = n;
    return s;
}
Handle bytes_from(const char *s, size_t n) {
    return W(HPyBytes_FromStringAndSize(g_ctx, s, (HPy_ssize_t)n));
}
const char *bytes_data(Handle h, ptrdiff_t *size) {
    *size = HPyBytes_GET_SIZE(g_ctx, H(h));
    return HPyBytes_AS_STRING(g_ctx, H(h));
}

Handle tuple_from(const Handle *items, size_t n) {
    static_assert(sizeof(Handle) == sizeof(HPy));
    for (size_t i = 0; i < n; i++)
        if (!items[i]) {   // the host asserts on a null handle; make it an exception
            HPyErr_SetString(g_ctx, g_ctx->h_SystemError, "ferry: null handle in a tuple");
            return {};
        }
    return W(HPyTuple_FromArray(g_ctx, reinterpret_cast<HPy *>(const_cast<Handle *>(items)),
                                (HPy_ssize_t)n));
}
Handle list_new() { return W(HPyList_New(g_ctx, 0)); }
int list_append(Handle list, Handle item) { return HPyList_Append(g_ctx, H(list), H(item)); }
ptrdiff_t exact_length(Handle o) { return HPy_Length(g_ctx, H(o)); }
Handle exact_item(Handle o, ptrdiff_t i) { return W(HPy_GetItem_i(g_ctx, H(o), i)); }
int exact_contains(Handle d, Handle key) { return HPy_Contains(g_ctx, H(d), H(key)); }
Handle exact_getitem(Handle d, Handle key) { return W(HPy_GetItem(g_ctx, H(d), H(key))); }
int64_t identity_hash(Handle o) { return HPy_Hash(g_ctx, H(o)); }
Handle id_of(Handle o) {
    Handle t = tuple_from(&o, 1);
    if (!t)
        return {};
    HPy r = HPy_CallTupleDict(g_ctx, H(borrowed(Builtin::id)), H(t), HPy_NULL);
    close(t);
    return W(r);
}
Handle dict_new() { return W(HPyDict_New(g_ctx)); }

Handle getattr(Handle o, Handle name) { return C(HPy_GetAttr(g_ctx, H(o), H(name))); }
Handle getattr_s(Handle o, const char *name) { return C(HPy_GetAttr_s(g_ctx, H(o), name)); }
int setattr(Handle o, Handle name, Handle v) { return Ci(HPy_SetAttr(g_ctx, H(o), H(name), H(v))); }
int setattr_s(Handle o, const char *name, Handle v) {
    return Ci(HPy_SetAttr_s(g_ctx, H(o), name, H(v)));
}
int hasattr_s(Handle o, const char *name) { return Ci(HPy_HasAttr_s(g_ctx, H(o), name)); }
Handle getitem(Handle o, Handle key) { return C(HPy_GetItem(g_ctx, H(o), H(key))); }
Handle getitem_i(Handle o, ptrdiff_t i) { return C(HPy_GetItem_i(g_ctx, H(o), i)); }
int setitem(Handle o, Handle key, Handle v) { return Ci(HPy_SetItem(g_ctx, H(o), H(key), H(v))); }
int contains(Handle o, Handle key) { return Ci(HPy_Contains(g_ctx, H(o), H(key))); }
Handle call(Handle callable, Handle args, Handle kw) {
    return C(HPy_CallTupleDict(g_ctx, H(callable), H(args), H(kw)));
}
namespace {
// callable(*args); runs_code: whether it counts as Python code that ran
// (code_epoch).
Handle call_args(Handle callable, const Handle *args, size_t n, bool runs_code) {
    Handle t = tuple_from(args, n);
    if (!t)
        return {};
    HPy r = HPy_CallTupleDict(g_ctx, H(callable), H(t), HPy_NULL);
    close(t);
    if (runs_code)
        return C(r);
    if (stats::enabled) [[unlikely]]
        stats::host_call();
    return W(r);
}
} // namespace

Handle call_with(Handle callable, std::initializer_list<Handle> args) {
    return call_args(callable, args.begin(), args.size(), true);
}
Handle call_helper(Helper which, std::initializer_list<Handle> args) {
    return call_with(g_helpers[static_cast<int>(which)], args);
}
Handle call_scan(Helper which, Handle container) {
    return call_args(g_helpers[static_cast<int>(which)], &container, 1, false);
}
Handle repr(Handle o) { return C(HPy_Repr(g_ctx, H(o))); }
Handle str(Handle o) { return C(HPy_Str(g_ctx, H(o))); }
Handle ascii(Handle o) { return C(HPy_ASCII(g_ctx, H(o))); }
Handle bytes_of(Handle o) { return C(HPy_Bytes(g_ctx, H(o))); }
Handle rich_compare(Handle a, Handle b, int op) {
    return C(HPy_RichCompare(g_ctx, H(a), H(b), op));
}
int rich_compare_bool(Handle a, Handle b, int op) {
    return Ci(HPy_RichCompareBool(g_ctx, H(a), H(b), op));
}
int64_t hash(Handle o) { return Ci(HPy_Hash(g_ctx, H(o))); }
int is_true(Handle o) { return Ci(HPy_IsTrue(g_ctx, H(o))); }
ptrdiff_t length(Handle o) { return Ci(HPy_Length(g_ctx, H(o))); }
int callable_check(Handle o) { return Ci(HPyCallable_Check(g_ctx, H(o))); }
Handle import_module(const char *name) { return C(HPyImport_ImportModule(g_ctx, name)); }

Handle number_binary(NumberOp op, Handle a, Handle b) {
    using F = HPy (*)(HPyContext *, HPy, HPy);
    static const F table[] = {
        HPy_Add, HPy_Subtract, HPy_Multiply, HPy_MatrixMultiply, HPy_FloorDivide,
        HPy_TrueDivide, HPy_Remainder, HPy_Divmod, HPy_Lshift, HPy_Rshift, HPy_And,
        HPy_Xor, HPy_Or, HPy_InPlaceAdd, HPy_InPlaceSubtract, HPy_InPlaceMultiply,
        HPy_InPlaceMatrixMultiply, HPy_InPlaceFloorDivide, HPy_InPlaceTrueDivide,
        HPy_InPlaceRemainder, HPy_InPlaceLshift, HPy_InPlaceRshift, HPy_InPlaceAnd,
        HPy_InPlaceXor, HPy_InPlaceOr,
    };
    return C(table[static_cast<int>(op)](g_ctx, H(a), H(b)));
}
Handle number_power(Handle a, Handle b, Handle c, bool inplace) {
    return C(inplace ? HPy_InPlacePower(g_ctx, H(a), H(b), H(c))
                     : HPy_Power(g_ctx, H(a), H(b), H(c)));
}
Handle number_unary(UnaryOp op, Handle a) {
    using F = HPy (*)(HPyContext *, HPy);
    static const F table[] = {HPy_Negative, HPy_Positive, HPy_Absolute, HPy_Invert,
                              HPy_Index,    HPy_Long,     HPy_Float};
    return C(table[static_cast<int>(op)](g_ctx, H(a)));
}

namespace {

BufferGet g_buffer_get = nullptr;
BufferRelease g_buffer_release = nullptr;

int native_getbuffer(HPyContext *ctx, HPy self, HPy_buffer *view, int flags) {
    void *native = static_cast<NativeObjectData *>(HPy_AsStruct(ctx, self))->native;
    int r = g_buffer_get(native, view, flags);
    if (r == 0)
        view->obj = HPy_Dup(ctx, self);
    return r;
}

void native_releasebuffer(HPyContext *ctx, HPy self, HPy_buffer *view) {
    g_buffer_release(static_cast<NativeObjectData *>(HPy_AsStruct(ctx, self))->native, view);
}

HPyDef g_getbuffer_def = {
    .kind = HPyDef_Kind_Slot,
    .slot = {HPy_bf_getbuffer, reinterpret_cast<HPyCFunction>(reinterpret_cast<void (*)()>(native_getbuffer)), nullptr},
};
HPyDef g_releasebuffer_def = {
    .kind = HPyDef_Kind_Slot,
    .slot = {HPy_bf_releasebuffer, reinterpret_cast<HPyCFunction>(reinterpret_cast<void (*)()>(native_releasebuffer)), nullptr},
};

int native_traverse(void *self, HPyFunc_visitproc visit, void *arg) {
    HPy_VISIT(&static_cast<NativeObjectData *>(self)->held);
    return 0;
}
HPyDef g_traverse_def = {
    .kind = HPyDef_Kind_Slot,
    .slot = {HPy_tp_traverse, reinterpret_cast<HPyCFunction>(reinterpret_cast<void (*)()>(native_traverse)), nullptr},
};

} // namespace

void set_buffer_hooks(BufferGet get, BufferRelease release) {
    g_buffer_get = get;
    g_buffer_release = release;
}

Handle native_class(const char *qualified_name, std::span<const Handle> bases, bool basetype,
                    bool exports_buffer, bool traced) {
    // The spec and its name must outlive the type: kept for the layer's life.
    auto *spec = new HPyType_Spec{};
    spec->name = strdup(qualified_name);
    spec->basicsize = sizeof(NativeObjectData);
    spec->flags = HPy_TPFLAGS_DEFAULT | (basetype ? HPy_TPFLAGS_BASETYPE : 0) |
                  (traced ? HPy_TPFLAGS_HAVE_GC : 0);
    auto **defines = new HPyDef *[4]{};
    int n = 0;
    if (exports_buffer && g_buffer_get) {
        defines[n++] = &g_getbuffer_def;
        defines[n++] = &g_releasebuffer_def;
    }
    if (traced)
        defines[n++] = &g_traverse_def;
    spec->defines = defines;
    std::vector<HPyType_SpecParam> params;
    for (Handle b : bases)
        params.push_back({HPyType_SpecParam_Base, H(b)});
    params.push_back({(HPyType_SpecParam_Kind)0, HPy_NULL});
    return W(HPyType_FromSpec(g_ctx, spec, bases.empty() ? nullptr : params.data()));
}

Handle native_wrap(Handle cls, void *native) {
    NativeObjectData *data = nullptr;
    HPy h = HPy_New(g_ctx, H(cls), &data);
    if (HPy_IsNull(h))
        return {};
    data->native = native;
    return W(h);
}
namespace {

// The entries of direct_function. The first kThunks functions of each arity
// get a precompiled entry that reads its target from a table (a call costs an
// indirect call); the rest get a libffi closure (a call also goes through
// libffi's generic argument marshalling: about 15 ns more on PyPy here).
struct Direct {
    DirectTarget target;
    void *data;
};

inline HPy call_direct(const Direct &d, HPyContext *ctx, const HPy *args, HPy_ssize_t nargs, HPy kw) {
    g_ctx = ctx;
    static_assert(sizeof(Handle) == sizeof(HPy));
    return H(hand_over(d.target(d.data, reinterpret_cast<const Handle *>(args), nargs, Handle{kw._i})));
}

constexpr size_t kThunks = 1024;
Direct g_thunk_targets[3][kThunks];
size_t g_thunks_used[3];

template <size_t I>
HPy thunk_noargs(HPyContext *ctx, HPy) {
    return call_direct(g_thunk_targets[0][I], ctx, nullptr, 0, HPy_NULL);
}
template <size_t I>
HPy thunk_one(HPyContext *ctx, HPy, HPy arg) {
    return call_direct(g_thunk_targets[1][I], ctx, &arg, 1, HPy_NULL);
}
template <size_t I>
HPy thunk_any(HPyContext *ctx, HPy, HPy *args, HPy_ssize_t nargs, HPy kw) {
    return call_direct(g_thunk_targets[2][I], ctx, args, nargs, kw);
}

template <size_t... I>
constexpr auto thunk_tables(std::index_sequence<I...>) {
    struct Tables {
        HPyFunc_noargs noargs[sizeof...(I)];
        HPyFunc_o one[sizeof...(I)];
        HPyFunc_keywords any[sizeof...(I)];
    };
    return Tables{{&thunk_noargs<I>...}, {&thunk_one<I>...}, {&thunk_any<I>...}};
}
constexpr auto kThunkTables = thunk_tables(std::make_index_sequence<kThunks>{});

// FERRY_DIRECT_THUNKS=n: use at most n precompiled entries per arity (the
// tests run with 0 too, so that the libffi closures are exercised).
size_t thunk_limit() {
    static size_t limit = [] {
        const char *v = std::getenv("FERRY_DIRECT_THUNKS");
        return v && *v ? std::min<size_t>(std::strtoul(v, nullptr, 10), kThunks) : kThunks;
    }();
    return limit;
}

void *thunk_entry(Arity arity, const Direct &d) {
    int a = static_cast<int>(arity);
    if (g_thunks_used[a] >= thunk_limit())
        return nullptr;
    size_t i = g_thunks_used[a]++;
    g_thunk_targets[a][i] = d;
    return arity == Arity::noargs ? reinterpret_cast<void *>(kThunkTables.noargs[i])
           : arity == Arity::one  ? reinterpret_cast<void *>(kThunkTables.one[i])
                                  : reinterpret_cast<void *>(kThunkTables.any[i]);
}

// libffi's side: the HPy convention's arguments come as an array of pointers.
template <Arity A>
void closure_entry(ffi_cif *, void *ret, void **a, void *user) {
    auto *d = static_cast<Direct *>(user);
    auto *ctx = *static_cast<HPyContext **>(a[0]);   // a[1]: the host module, unused
    HPy r;
    if constexpr (A == Arity::noargs)
        r = call_direct(*d, ctx, nullptr, 0, HPy_NULL);
    else if constexpr (A == Arity::one)
        r = call_direct(*d, ctx, static_cast<HPy *>(a[2]), 1, HPy_NULL);
    else
        r = call_direct(*d, ctx, *static_cast<HPy **>(a[2]), *static_cast<HPy_ssize_t *>(a[3]),
                        *static_cast<HPy *>(a[4]));
    *static_cast<HPy *>(ret) = r;
}

// HPy is a struct of one intptr_t: passed and returned as one (SysV x86-64).
ffi_type *const kClosureArgs[] = {&ffi_type_pointer, &ffi_type_sint64, &ffi_type_pointer,
                                  &ffi_type_sint64, &ffi_type_sint64};
ffi_cif g_closure_cif[3];
bool g_closure_cif_ready = false;

void *closure_entry_for(Arity arity, const Direct &d) {
    static_assert(sizeof(HPy) == sizeof(int64_t) && sizeof(HPy_ssize_t) == sizeof(int64_t));
    if (!g_closure_cif_ready) {
        const unsigned nargs[] = {2, 3, 5};   // (ctx, self), (ctx, self, arg), (ctx, self, args, n, kw)
        for (int i = 0; i < 3; i++)
            if (ffi_prep_cif(&g_closure_cif[i], FFI_DEFAULT_ABI, nargs[i], &ffi_type_sint64,
                             const_cast<ffi_type **>(kClosureArgs)) != FFI_OK) {
                err_set_system_error("ferry: libffi cannot describe the HPy calling conventions");
                return nullptr;
            }
        g_closure_cif_ready = true;
    }
    void *code = nullptr;
    auto *closure = static_cast<ffi_closure *>(ffi_closure_alloc(sizeof(ffi_closure), &code));
    if (!closure) {
        err_no_memory();
        return nullptr;
    }
    using Fun = void (*)(ffi_cif *, void *, void **, void *);
    Fun fun = arity == Arity::noargs ? Fun(closure_entry<Arity::noargs>)
              : arity == Arity::one  ? Fun(closure_entry<Arity::one>)
                                     : Fun(closure_entry<Arity::any>);
    if (ffi_prep_closure_loc(closure, &g_closure_cif[static_cast<int>(arity)], fun, new Direct(d), code) !=
        FFI_OK) {
        ffi_closure_free(closure);
        err_set_system_error("ferry: libffi cannot make a closure");
        return nullptr;
    }
    return code;
}

} // namespace

Handle direct_function(Arity arity, const char *name, DirectTarget target, void *data) {
    Direct d{target, data};
    void *code = thunk_entry(arity, d);
    if (!code && !(code = closure_entry_for(arity, d)))
        return {};
    // HPy 0.0.4 makes functions only from a module's definition: one module
    // per function, both definitions kept for the layer's lifetime.
    // (The module sets the function as its attribute of that name: a getset
    // named like an attribute a module has of its own, as Cython's function
    // type has __dict__ and __doc__, would hit it: the module's __doc__, set
    // after the functions, left None in place of the getter.)
    static constexpr const char *kModuleOwn[] = {"__dict__", "__class__", "__doc__", "__name__",
                                                 "__package__", "__loader__", "__spec__"};
    bool clash = false;
    for (const char *own_name : kModuleOwn)
        clash = clash || std::strcmp(name, own_name) == 0;
    std::string own = clash ? std::string("ferry.") + name : std::string(name);
    name = strdup(own.c_str());
    auto *def = new HPyDef{};
    def->kind = HPyDef_Kind_Meth;
    def->meth.name = name;
    def->meth.impl = reinterpret_cast<HPyCFunction>(code);
    def->meth.signature = arity == Arity::noargs ? HPyFunc_NOARGS : arity == Arity::one ? HPyFunc_O
                                                                                       : HPyFunc_KEYWORDS;
    auto *defines = new HPyDef *[2] { def, nullptr };
    auto *mdef = new HPyModuleDef{};
    mdef->name = "ferry.direct";
    mdef->size = -1;
    mdef->defines = defines;
    HPy m = HPyModule_Create(g_ctx, mdef);
    if (HPy_IsNull(m))
        return {};
    HPy f = HPy_GetAttr_s(g_ctx, m, name);
    HPy_Close(g_ctx, m);
    return W(f);
}

void *native_unwrap(Handle h) {
    // No storage: an instance object.__new__ made, which the host allows, or
    // one of a builtin's layout (numpy's float64 also derives from a class
    // of C), for which the host raises "not a valid HPy object".
    auto *data = static_cast<NativeObjectData *>(HPy_AsStruct(g_ctx, H(h)));
    if (!data) {
        HPyErr_Clear(g_ctx);
        return nullptr;
    }
    return data->native;
}

void native_hold(Handle wrapper, Handle held) {
    auto *d = static_cast<NativeObjectData *>(HPy_AsStruct(g_ctx, H(wrapper)));
    HPyField_Store(g_ctx, H(wrapper), &d->held, held ? H(held) : HPy_NULL);
}

namespace {

// Moves the host's recursion limit by delta; returns the old limit (0 on failure).
long long adjust_recursion_limit(long long delta) {
    HPy empty = HPyTuple_FromArray(g_ctx, nullptr, 0);
    HPy cur = HPy_CallTupleDict(g_ctx, H(borrowed(Builtin::getrecursionlimit)), empty, HPy_NULL);
    HPy_Close(g_ctx, empty);
    if (HPy_IsNull(cur))
        return 0;
    long long old = HPyLong_AsLongLong(g_ctx, cur);
    HPy_Close(g_ctx, cur);
    HPy n = HPyLong_FromLongLong(g_ctx, old + delta);
    HPy args = HPyTuple_FromArray(g_ctx, &n, 1);
    HPy r = HPy_CallTupleDict(g_ctx, H(borrowed(Builtin::setrecursionlimit)), args, HPy_NULL);
    HPy_Close(g_ctx, args);
    HPy_Close(g_ctx, n);
    HPy_Close(g_ctx, r);
    return old;
}

} // namespace

bool err_occurred() { return HPyErr_Occurred(g_ctx); }
bool err_matches(Handle exc_type) { return HPyErr_ExceptionMatches(g_ctx, H(exc_type)); }
void err_clear() { HPyErr_Clear(g_ctx); }
bool err_fetch(Handle *type, Handle *value, Handle *tb) {
    // HPy 0.0.4 has no HPyErr_Fetch. WriteUnraisable hands the pending error to
    // sys.unraisablehook, which _support replaced with one that keeps it when
    // the object is FETCH_SENTINEL; fetch_error() then returns it.
    *type = *value = *tb = Handle{};
    if (!HPyErr_Occurred(g_ctx))
        return false;
    // At the recursion limit the hook (Python code) could not run: give it
    // room for the fetch. The limit functions are builtins and need no frame.
    long long limit = 0;
    if (HPyErr_ExceptionMatches(g_ctx, H(borrowed(Builtin::RecursionError))))
        limit = adjust_recursion_limit(100);
    HPyErr_WriteUnraisable(g_ctx, H(borrowed(Builtin::fetch_sentinel)));
    Handle triple = call_helper(Helper::fetch_error, {});
    if (limit)
        adjust_recursion_limit(-100);
    if (!triple) {
        HPyErr_Clear(g_ctx);
        return false;
    }
    *type = getitem_i(triple, 0);
    *value = getitem_i(triple, 1);
    *tb = getitem_i(triple, 2);
    close(triple);
    return bool(*type);
}
void err_set_object(Handle t, Handle v) { HPyErr_SetObject(g_ctx, H(t), H(v)); }
void err_set_string(Handle t, const char *msg) { HPyErr_SetString(g_ctx, H(t), msg); }
void err_set_system_error(const char *msg) { HPyErr_SetString(g_ctx, g_ctx->h_SystemError, msg); }
void err_no_memory() { HPyErr_NoMemory(g_ctx); }
Handle err_new_exception(const char *name, Handle base, Handle dict) {
    return W(HPyErr_NewException(g_ctx, name, H(base), H(dict)));
}
int err_warn(Handle category, const char *message, ptrdiff_t stack_level) {
    return Ci(HPyErr_WarnEx(g_ctx, H(category), message, stack_level));
}
void err_write_unraisable(Handle obj) { HPyErr_WriteUnraisable(g_ctx, H(obj)); }

namespace {

// PyPy's stack limit: sys.getrecursionlimit() / 1000 * 768 KB from where the
// thread started, measured here from the top of the thread's stack (a little
// above PyPy's start, so the guard errs on the safe side). 85% of it leaves
// room to report the error.
constexpr double kPyPyStackPerRecursion = 768.0 * 1024 / 1000;

// initial-exec: read at every entry; a general-dynamic access would call
// __tls_get_addr each time (the layer is a dlmopen'ed library).
__attribute__((tls_model("initial-exec"))) thread_local char *t_stack_top = nullptr;
__attribute__((tls_model("initial-exec"))) thread_local ptrdiff_t t_stack_budget = 0;

char *stack_top() {
    pthread_attr_t attr;
    void *addr = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        pthread_attr_getstack(&attr, &addr, &size);
        pthread_attr_destroy(&attr);
    }
    return static_cast<char *>(addr) + size;
}

ptrdiff_t stack_budget() {
    if (!borrowed(Builtin::getrecursionlimit))   // before bind_support
        return static_cast<ptrdiff_t>(1000 * kPyPyStackPerRecursion * 0.85);
    HPy empty = HPyTuple_FromArray(g_ctx, nullptr, 0);
    HPy r = HPy_CallTupleDict(g_ctx, H(borrowed(Builtin::getrecursionlimit)), empty, HPy_NULL);
    HPy_Close(g_ctx, empty);
    long long limit = HPy_IsNull(r) ? 1000 : HPyLong_AsLongLong(g_ctx, r);
    HPy_Close(g_ctx, r);
    return static_cast<ptrdiff_t>(limit * kPyPyStackPerRecursion * 0.85);
}

} // namespace

bool stack_exhausted() {
    char here;
    if (!t_stack_top) {
        t_stack_top = stack_top();
        t_stack_budget = stack_budget();
    }
    if (t_stack_top - &here < t_stack_budget)
        return false;
    t_stack_budget = stack_budget();   // sys.setrecursionlimit may have raised it
    return t_stack_top - &here >= t_stack_budget;
}

void *leave_python() { return reinterpret_cast<void *>(HPy_LeavePythonExecution(g_ctx)._i); }
void reenter_python(void *state) {
    ++code_epoch;   // (other threads ran)
    HPy_ReenterPythonExecution(g_ctx, HPyThreadState{reinterpret_cast<intptr_t>(state)});
}

void fatal(const char *message) {
    std::fprintf(stderr, "ferry: fatal: %s\n", message);
    std::fflush(stderr);
    std::abort();
}

} // namespace ferry::host
