// The slots of an extension's type that its managed wrapper class exposes as
// dunder methods. The numbers are shared with python/ferry/_support.py
// (NATIVE_SLOTS), which builds the wrapper class; keep both in step.
#pragma once

namespace ferry {

enum class NativeSlot : int {
    new_ = 1, init = 2, call = 3, repr = 4, str = 5, hash = 6, iter = 7, next = 8,
    len = 9, getitem = 10, setitem = 11, delitem = 12, contains = 13, richcompare = 14,
    bool_ = 15, getattr = 16, setattr = 17, delattr = 18,
};

} // namespace ferry
