// Well-formed UTF-8, as CPython reads it: shared by the facade (which hands
// plain UTF-8 to the host as it is) and the layer's codecs.
#pragma once
#include <cstdint>

namespace ferry {

// Length of the well-formed UTF-8 sequence at `s` (storing its code point),
// or 0 if the bytes there are malformed or truncated. Well-formed excludes
// overlong forms, surrogates and code points above U+10FFFF, as CPython does.
inline int utf8_sequence(const unsigned char *s, const unsigned char *end, uint32_t &cp) {
    const unsigned lead = s[0];
    if (lead < 0x80) {
        cp = lead;
        return 1;
    }
    int n;
    uint32_t min;
    if (lead >= 0xC2 && lead <= 0xDF) {
        n = 2, min = 0x80, cp = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        n = 3, min = 0x800, cp = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        n = 4, min = 0x10000, cp = lead & 0x07;
    } else {
        return 0;
    }
    if (end - s < n)
        return 0;
    for (int i = 1; i < n; ++i) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

} // namespace ferry
