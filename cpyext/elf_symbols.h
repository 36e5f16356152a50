// elf_symbols.h — read an extension module's dynamic symbols before dlopen.
//
// The extension loader inspects a candidate `.so` with this module before it
// hands the file to the dynamic linker, so that a wrong file (not ELF, another
// architecture, not a shared object, truncated) becomes a clear Python
// exception instead of a crash or a vague dlerror(), and so that the loader can
// compare what the module imports with what ferry exports.
//
// Terms:
//   undefined  dynamic symbols the module imports (st_shndx == SHN_UNDEF,
//              non-empty name; weak references included), e.g. PyUnicode_New.
//   defined    global or weak function/object symbols the module exports,
//              e.g. PyInit__speedups.
//   needed     the DT_NEEDED entries: libraries the module asks the dynamic
//              linker to load, e.g. libc.so.6.
//
// Rules:
//   * Plain POSIX I/O (open/pread), no libelf, no mmap: the file is read in
//     the pieces that are needed and every offset, size and string is bounds
//     checked against the file size, so a truncated or hostile file yields an
//     error, never a read outside the data.
//   * Only what ferry can load is accepted: ELFCLASS64, little-endian,
//     EM_X86_64, ET_DYN.
//   * The symbol table is found through the section headers (.dynsym and its
//     linked string table); when they are stripped, through PT_DYNAMIC
//     (DT_SYMTAB, DT_STRTAB, and DT_HASH or DT_GNU_HASH for the count).
//   * No exceptions: the result carries an error string, empty on success.
//     Every error message starts with the path, then ": ".
//   * `undefined` and `defined` are sorted and free of duplicates (so
//     std::binary_search works); `needed` keeps the file's (load) order.

#pragma once

#include <string>
#include <vector>

namespace ferry::elf {

struct Inspection {
    std::string error;                       // empty on success; "<path>: <reason>" otherwise
    std::vector<std::string> undefined;      // imported symbol names
    std::vector<std::string> defined;        // exported function/object names
    std::vector<std::string> needed;         // DT_NEEDED library names

    bool ok() const { return error.empty(); }
    bool imports(const std::string &name) const;
    bool exports(const std::string &name) const;
};

// Inspect the ELF file at `path`. Never throws except std::bad_alloc.
Inspection inspect(const std::string &path);

}  // namespace ferry::elf
