// The slots of an extension's type that its managed wrapper class exposes as
// dunder methods. The numbers are shared with python/ferry/_support.py
// (NATIVE_SLOTS), which builds the wrapper class; keep both in step.
#pragma once

namespace ferry {

enum class NativeSlot : int {
    new_ = 1, init = 2, call = 3, repr = 4, str = 5, hash = 6, iter = 7, next = 8,
    len = 9, getitem = 10, setitem = 11, delitem = 12, contains = 13, richcompare = 14,
    bool_ = 15, getattr = 16, setattr = 17, delattr = 18, descr_get = 19, descr_set = 20,
    descr_delete = 21,
    // Not a slot: mp_subscript without sq_item or tp_iter, which CPython's
    // iter() does not take for a sequence (the class's __iter__ is None).
    not_iterable = 22,
    // Not a slot either: sq_item without tp_iter, iterable as a sequence
    // even where a base's class says it is not (numpy's void under generic).
    sequence_iterable = 23,
    // Operators (python/ferry/_support.py builds them from the names the layer
    // sends): number slots from 100 in the order of FERRY_NUMBER_SLOTS, then
    // the sequence operators.
    number_first = 100,
};

// FERRY_NUMBER_SLOTS(X): X(PyNumberMethods field, dunder, reflected dunder or
// nullptr, arity). Binary slots are called with either operand first, as
// CPython does; the reflected dunder calls them with the operands swapped.
#define FERRY_NUMBER_SLOTS(X)                                                          \
    X(nb_add, "__add__", "__radd__", 2) X(nb_subtract, "__sub__", "__rsub__", 2)         \
    X(nb_multiply, "__mul__", "__rmul__", 2) X(nb_remainder, "__mod__", "__rmod__", 2)   \
    X(nb_divmod, "__divmod__", "__rdivmod__", 2) X(nb_power, "__pow__", "__rpow__", 3)   \
    X(nb_negative, "__neg__", nullptr, 1) X(nb_positive, "__pos__", nullptr, 1)          \
    X(nb_absolute, "__abs__", nullptr, 1) X(nb_invert, "__invert__", nullptr, 1)         \
    X(nb_lshift, "__lshift__", "__rlshift__", 2) X(nb_rshift, "__rshift__", "__rrshift__", 2) \
    X(nb_and, "__and__", "__rand__", 2) X(nb_xor, "__xor__", "__rxor__", 2)              \
    X(nb_or, "__or__", "__ror__", 2) X(nb_int, "__int__", nullptr, 1)                    \
    X(nb_float, "__float__", nullptr, 1) X(nb_index, "__index__", nullptr, 1)            \
    X(nb_inplace_add, "__iadd__", nullptr, 2) X(nb_inplace_subtract, "__isub__", nullptr, 2) \
    X(nb_inplace_multiply, "__imul__", nullptr, 2) X(nb_inplace_remainder, "__imod__", nullptr, 2) \
    X(nb_inplace_power, "__ipow__", nullptr, 3) X(nb_inplace_lshift, "__ilshift__", nullptr, 2) \
    X(nb_inplace_rshift, "__irshift__", nullptr, 2) X(nb_inplace_and, "__iand__", nullptr, 2) \
    X(nb_inplace_xor, "__ixor__", nullptr, 2) X(nb_inplace_or, "__ior__", nullptr, 2)    \
    X(nb_floor_divide, "__floordiv__", "__rfloordiv__", 2)                               \
    X(nb_true_divide, "__truediv__", "__rtruediv__", 2)                                  \
    X(nb_inplace_floor_divide, "__ifloordiv__", nullptr, 2)                              \
    X(nb_inplace_true_divide, "__itruediv__", nullptr, 2)                                \
    X(nb_matrix_multiply, "__matmul__", "__rmatmul__", 2)                                \
    X(nb_inplace_matrix_multiply, "__imatmul__", nullptr, 2)

// The sequence operators, used when the number slot of the same dunder is absent.
#define FERRY_SEQUENCE_SLOTS(X)                                                        \
    X(sq_concat, "__add__", nullptr, 2) X(sq_repeat, "__mul__", "__rmul__", 2)           \
    X(sq_inplace_concat, "__iadd__", nullptr, 2) X(sq_inplace_repeat, "__imul__", nullptr, 2)

enum class OperatorSlot : int {
#define X(field, name, rname, arity) field,
    FERRY_NUMBER_SLOTS(X) FERRY_SEQUENCE_SLOTS(X)
#undef X
    count
};

// A reflected call: the slot's operands are (other, self).
constexpr int kReflected = 1 << 16;

} // namespace ferry
