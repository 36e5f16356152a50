// elf_symbols.cpp — bounds-checked reader of an ELF shared object's dynamic
// symbols (see elf_symbols.h for the contract). Mirrors no CPython file: it
// stands in front of dlopen() in the extension loader (CPython's
// Python/dynload_shlib.c has no such check and relies on dlerror()).
//
// Only <elf.h> is used, for the on-disk layouts. Every structure is read with
// pread() after checking that it lies inside the file, so nothing here depends
// on the file being well formed.

#include "cpyext/elf_symbols.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>

namespace ferry::elf {

static_assert(std::endian::native == std::endian::little,
              "elf_symbols reads ELFDATA2LSB structures in place");

namespace {

// ---------------------------------------------------------------------------
// The file: an open descriptor and its size; reads are range-checked.

class File {
public:
    File() = default;
    File(const File &) = delete;
    File &operator=(const File &) = delete;
    ~File() {
        if (fd_ >= 0) ::close(fd_);
    }

    // Returns an empty string on success, the reason otherwise.
    std::string open(const std::string &path) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) return std::string("cannot open: ") + std::strerror(errno);
        struct stat st;
        if (::fstat(fd_, &st) != 0) return std::string("cannot stat: ") + std::strerror(errno);
        if (!S_ISREG(st.st_mode)) return "is not a regular file";
        size_ = static_cast<std::uint64_t>(st.st_size);
        return {};
    }

    std::uint64_t size() const { return size_; }

    // True when [offset, offset + length) lies inside the file (overflow-safe).
    bool contains(std::uint64_t offset, std::uint64_t length) const {
        return length <= size_ && offset <= size_ - length;
    }

    // Reads exactly `length` bytes at `offset`. False when the range is outside
    // the file or the file shrank under us.
    bool read(std::uint64_t offset, void *out, std::uint64_t length) const {
        if (!contains(offset, length)) return false;
        auto *p = static_cast<unsigned char *>(out);
        while (length > 0) {
            ssize_t n = ::pread(fd_, p, length, static_cast<off_t>(offset));
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) return false;
            p += n;
            offset += static_cast<std::uint64_t>(n);
            length -= static_cast<std::uint64_t>(n);
        }
        return true;
    }

    template <typename T>
    bool read_array(std::uint64_t offset, std::uint64_t count, std::vector<T> &out) const {
        if (count > size_ / sizeof(T)) return false;  // also guards the multiplication
        out.resize(count);
        return read(offset, out.data(), count * sizeof(T));
    }

private:
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

// ---------------------------------------------------------------------------
// Names for messages.

std::string machine_name(unsigned machine) {
    switch (machine) {
    case EM_386: return "i386";
    case EM_X86_64: return "x86-64";
    case EM_ARM: return "arm";
    case EM_AARCH64: return "aarch64";
    case EM_PPC: return "powerpc";
    case EM_PPC64: return "ppc64";
    case EM_S390: return "s390";
    case EM_MIPS: return "mips";
    case EM_SPARC: return "sparc";
    case EM_SPARCV9: return "sparc64";
    case EM_RISCV: return "riscv";
    case EM_IA_64: return "ia64";
    case 258: return "loongarch";  // EM_LOONGARCH, missing from older <elf.h>
    default: return "machine " + std::to_string(machine);
    }
}

std::string type_name(unsigned type) {
    switch (type) {
    case ET_NONE: return "no file type";
    case ET_REL: return "a relocatable object";
    case ET_EXEC: return "an executable";
    case ET_CORE: return "a core dump";
    default: return "ELF type " + std::to_string(type);
    }
}

// ---------------------------------------------------------------------------
// The parser. Each step returns false after setting `reason`.

// Where a table lies in the file.
struct Extent {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
};

class Parser {
public:
    explicit Parser(const File &file) : file_(file) {}

    std::string reason;

    bool run(Inspection &out) {
        return check_identity() && read_program_headers() && read_section_headers() &&
               read_dynamic() && read_symbols(out) && read_needed(out);
    }

private:
    bool fail(std::string why) {
        reason = std::move(why);
        return false;
    }

    bool check_identity() {
        const std::uint64_t size = file_.size();
        unsigned char ident[EI_NIDENT] = {};
        if (size == 0) return fail("is not an ELF file (it is empty)");
        if (size < SELFMAG || !file_.read(0, ident, SELFMAG) || std::memcmp(ident, ELFMAG, SELFMAG) != 0)
            return fail("is not an ELF file");
        if (!file_.read(0, ident, EI_NIDENT))
            return fail("is truncated: the ELF identification is incomplete");

        const unsigned cls = ident[EI_CLASS], data = ident[EI_DATA];
        if (cls != ELFCLASS32 && cls != ELFCLASS64)
            return fail("is not a valid ELF file: unknown ELF class " + std::to_string(cls));
        if (data != ELFDATA2LSB && data != ELFDATA2MSB)
            return fail("is not a valid ELF file: unknown data encoding " + std::to_string(data));

        // e_machine sits at offset 18 in both classes, in the file's byte order.
        unsigned char m[2];
        if (!file_.read(18, m, 2)) return fail("is truncated: the ELF header is incomplete");
        const unsigned machine = data == ELFDATA2LSB ? (m[0] | m[1] << 8) : (m[1] | m[0] << 8);
        if (cls != ELFCLASS64 || data != ELFDATA2LSB || machine != EM_X86_64) {
            return fail("was built for another architecture: " +
                        std::string(cls == ELFCLASS64 ? "64-bit " : "32-bit ") +
                        (data == ELFDATA2LSB ? "little-endian " : "big-endian ") +
                        machine_name(machine) +
                        " (ferry loads 64-bit little-endian x86-64 extensions)");
        }

        if (!file_.read(0, &eh_, sizeof eh_)) return fail("is truncated: the ELF header is incomplete");
        if (eh_.e_type != ET_DYN)
            return fail("is not a shared object: it is " + type_name(eh_.e_type));
        return true;
    }

    bool read_section_headers() {
        if (eh_.e_shoff == 0) return true;  // stripped: fall back on PT_DYNAMIC
        if (eh_.e_shentsize != sizeof(Elf64_Shdr))
            return fail("is corrupt: unexpected section header size " + std::to_string(eh_.e_shentsize));
        std::uint64_t count = eh_.e_shnum;
        if (count == 0) {  // extended numbering: the count is in section 0's sh_size
            Elf64_Shdr first;
            if (!file_.read(eh_.e_shoff, &first, sizeof first))
                return fail("is truncated: the section headers lie past the end of the file");
            count = first.sh_size;
        }
        if (!file_.read_array(eh_.e_shoff, count, sections_))
            return fail("is truncated: the section headers lie past the end of the file");
        return true;
    }

    bool read_program_headers() {
        std::uint64_t count = eh_.e_phnum;
        if (count == PN_XNUM) {  // extended numbering: the count is in section 0's sh_info
            Elf64_Shdr first;
            if (eh_.e_shoff == 0 || !file_.read(eh_.e_shoff, &first, sizeof first))
                return fail("is corrupt: extended program header count without section 0");
            count = first.sh_info;
        }
        if (count == 0) return true;
        if (eh_.e_phentsize != sizeof(Elf64_Phdr))
            return fail("is corrupt: unexpected program header size " + std::to_string(eh_.e_phentsize));
        if (!file_.read_array(eh_.e_phoff, count, segments_))
            return fail("is truncated: the program headers lie past the end of the file");
        return true;
    }

    // Reads the PT_DYNAMIC entries, up to DT_NULL.
    bool read_dynamic() {
        for (const Elf64_Phdr &ph : segments_) {
            if (ph.p_type != PT_DYNAMIC) continue;
            std::vector<Elf64_Dyn> entries;
            if (!file_.read_array(ph.p_offset, ph.p_filesz / sizeof(Elf64_Dyn), entries))
                return fail("is truncated: the dynamic section lies past the end of the file");
            for (const Elf64_Dyn &d : entries) {
                if (d.d_tag == DT_NULL) break;
                dynamic_.push_back(d);
            }
            has_dynamic_ = true;
            break;
        }
        return true;
    }

    std::optional<std::uint64_t> dynamic_value(std::int64_t tag) const {
        for (const Elf64_Dyn &d : dynamic_)
            if (d.d_tag == tag) return d.d_un.d_val;
        return std::nullopt;
    }

    // Maps a virtual address to a file offset through the PT_LOAD segments;
    // `available` receives how many file bytes the segment holds from there.
    std::optional<std::uint64_t> file_offset(std::uint64_t vaddr, std::uint64_t *available = nullptr) const {
        for (const Elf64_Phdr &ph : segments_) {
            if (ph.p_type != PT_LOAD || vaddr < ph.p_vaddr) continue;
            const std::uint64_t delta = vaddr - ph.p_vaddr;
            if (delta >= ph.p_filesz) continue;
            if (available) *available = ph.p_filesz - delta;
            return ph.p_offset + delta;
        }
        return std::nullopt;
    }

    // Finds .dynsym and its string table through the section headers.
    bool find_symbols_by_section(bool &found) {
        found = false;
        for (const Elf64_Shdr &sh : sections_) {
            if (sh.sh_type != SHT_DYNSYM) continue;
            if (sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_size % sizeof(Elf64_Sym) != 0)
                return fail("is corrupt: .dynsym has an unexpected entry size");
            if (!file_.contains(sh.sh_offset, sh.sh_size))
                return fail("is truncated: .dynsym lies past the end of the file");
            if (sh.sh_link == 0 || sh.sh_link >= sections_.size() ||
                sections_[sh.sh_link].sh_type != SHT_STRTAB)
                return fail("is corrupt: .dynsym is not linked to a string table");
            const Elf64_Shdr &str = sections_[sh.sh_link];
            if (!file_.contains(str.sh_offset, str.sh_size))
                return fail("is truncated: .dynstr lies past the end of the file");
            symtab_ = {sh.sh_offset, sh.sh_size};
            strtab_ = {str.sh_offset, str.sh_size};
            found = true;
            return true;
        }
        return true;
    }

    // Counts the symbols from DT_HASH (nchain) or DT_GNU_HASH (one past the
    // highest symbol reachable from a bucket).
    bool count_symbols_by_hash(std::uint64_t &count) {
        if (auto hash = dynamic_value(DT_HASH)) {
            auto off = file_offset(*hash);
            std::uint32_t header[2];
            if (!off || !file_.read(*off, header, sizeof header))
                return fail("is corrupt: DT_HASH points outside the file");
            count = header[1];
            return true;
        }
        auto gnu = dynamic_value(DT_GNU_HASH);
        if (!gnu) return fail("has no section headers and no symbol hash table: cannot count its dynamic symbols");
        auto off = file_offset(*gnu);
        std::uint32_t header[4];  // nbuckets, symoffset, bloom_size, bloom_shift
        if (!off || !file_.read(*off, header, sizeof header))
            return fail("is corrupt: DT_GNU_HASH points outside the file");
        const std::uint64_t nbuckets = header[0], symoffset = header[1], bloom = header[2];
        const std::uint64_t buckets_off = *off + sizeof header + bloom * sizeof(std::uint64_t);
        std::vector<std::uint32_t> buckets;
        if (!file_.read_array(buckets_off, nbuckets, buckets))
            return fail("is corrupt: the GNU hash buckets lie past the end of the file");
        std::uint64_t last = 0;
        for (std::uint32_t b : buckets) last = std::max<std::uint64_t>(last, b);
        if (last == 0) {  // every bucket empty: only the unhashed symbols
            count = symoffset;
            return true;
        }
        if (last < symoffset) return fail("is corrupt: a GNU hash bucket precedes the hashed symbols");
        // Walk the last chain, reading it in blocks; the file's end bounds the walk.
        const std::uint64_t chains_off = buckets_off + nbuckets * sizeof(std::uint32_t);
        std::uint64_t word_off = chains_off + (last - symoffset) * sizeof(std::uint32_t);
        std::vector<std::uint32_t> block;
        for (std::uint64_t index = last;;) {
            if (word_off >= file_.size())
                return fail("is corrupt: a GNU hash chain runs past the end of the file");
            const std::uint64_t words = std::min<std::uint64_t>(1024, (file_.size() - word_off) / sizeof(std::uint32_t));
            if (words == 0 || !file_.read_array(word_off, words, block))
                return fail("is corrupt: a GNU hash chain runs past the end of the file");
            for (std::uint32_t value : block) {
                if (value & 1) {  // the low bit ends a chain
                    count = index + 1;
                    return true;
                }
                ++index;
            }
            word_off += words * sizeof(std::uint32_t);
        }
    }

    // Finds the symbol and string tables through PT_DYNAMIC.
    bool find_symbols_by_dynamic() {
        if (!has_dynamic_)
            return fail("has no section headers and no dynamic segment: cannot find its dynamic symbols");
        auto symtab = dynamic_value(DT_SYMTAB);
        auto strtab = dynamic_value(DT_STRTAB);
        auto strsz = dynamic_value(DT_STRSZ);
        if (!symtab || !strtab || !strsz)
            return fail("has no section headers and its dynamic segment lacks DT_SYMTAB/DT_STRTAB/DT_STRSZ");
        if (auto syment = dynamic_value(DT_SYMENT); syment && *syment != sizeof(Elf64_Sym))
            return fail("is corrupt: DT_SYMENT is " + std::to_string(*syment));
        std::uint64_t count = 0;
        if (!count_symbols_by_hash(count)) return false;
        std::uint64_t available = 0;
        auto sym_off = file_offset(*symtab, &available);
        if (!sym_off || count > available / sizeof(Elf64_Sym))
            return fail("is corrupt: the dynamic symbol table lies outside the file");
        auto str_off = file_offset(*strtab, &available);
        if (!str_off || *strsz > available)
            return fail("is corrupt: the dynamic string table lies outside the file");
        symtab_ = {*sym_off, count * sizeof(Elf64_Sym)};
        strtab_ = {*str_off, *strsz};
        return true;
    }

    bool load_strings(const Extent &where, std::string &out) {
        out.resize(where.size);
        if (!file_.read(where.offset, out.data(), where.size))
            return fail("is truncated: the dynamic string table lies past the end of the file");
        return true;
    }

    // The NUL-terminated string at `offset`, or nullopt when it runs off the table.
    static std::optional<std::string> string_at(const std::string &table, std::uint64_t offset) {
        if (offset >= table.size()) return std::nullopt;
        const void *end = std::memchr(table.data() + offset, '\0', table.size() - offset);
        if (!end) return std::nullopt;
        return std::string(table.data() + offset, static_cast<const char *>(end));
    }

    bool read_symbols(Inspection &out) {
        bool found = false;
        if (!find_symbols_by_section(found)) return false;
        if (!found && !find_symbols_by_dynamic()) return false;

        std::vector<Elf64_Sym> symbols;
        if (!file_.read_array(symtab_.offset, symtab_.size / sizeof(Elf64_Sym), symbols))
            return fail("is truncated: the dynamic symbol table lies past the end of the file");
        if (!load_strings(strtab_, strings_)) return false;

        for (std::size_t i = 1; i < symbols.size(); ++i) {  // entry 0 is the null symbol
            const Elf64_Sym &s = symbols[i];
            auto name = string_at(strings_, s.st_name);
            if (!name) return fail("is corrupt: a symbol name lies outside the string table");
            if (name->empty()) continue;
            const unsigned bind = ELF64_ST_BIND(s.st_info), type = ELF64_ST_TYPE(s.st_info);
            if (s.st_shndx == SHN_UNDEF) {
                out.undefined.push_back(std::move(*name));
            } else if ((bind == STB_GLOBAL || bind == STB_WEAK || bind == STB_GNU_UNIQUE) &&
                       (type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_OBJECT || type == STT_TLS)) {
                out.defined.push_back(std::move(*name));
            }
        }
        return true;
    }

    // DT_NEEDED names live in the DT_STRTAB table, which is normally the one
    // .dynsym links to; load it separately only when it is not.
    bool read_needed(Inspection &out) {
        bool any = std::any_of(dynamic_.begin(), dynamic_.end(),
                               [](const Elf64_Dyn &d) { return d.d_tag == DT_NEEDED; });
        if (!any) return true;
        const std::string *table = &strings_;
        std::string other;
        auto strtab = dynamic_value(DT_STRTAB);
        auto strsz = dynamic_value(DT_STRSZ);
        std::uint64_t available = 0;
        auto off = strtab ? file_offset(*strtab, &available) : std::nullopt;
        if (!off || !strsz || *strsz > available)
            return fail("is corrupt: DT_NEEDED without a usable DT_STRTAB");
        if (*off != strtab_.offset || *strsz != strtab_.size) {
            if (!load_strings({*off, *strsz}, other)) return false;
            table = &other;
        }
        for (const Elf64_Dyn &d : dynamic_) {
            if (d.d_tag != DT_NEEDED) continue;
            auto name = string_at(*table, d.d_un.d_val);
            if (!name) return fail("is corrupt: a DT_NEEDED name lies outside the string table");
            out.needed.push_back(std::move(*name));
        }
        return true;
    }

    const File &file_;
    Elf64_Ehdr eh_{};
    std::vector<Elf64_Phdr> segments_;
    std::vector<Elf64_Shdr> sections_;
    std::vector<Elf64_Dyn> dynamic_;
    bool has_dynamic_ = false;
    Extent symtab_, strtab_;
    std::string strings_;
};

void sort_unique(std::vector<std::string> &names) {
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
}

}  // namespace

bool Inspection::imports(const std::string &name) const {
    return std::binary_search(undefined.begin(), undefined.end(), name);
}

bool Inspection::exports(const std::string &name) const {
    return std::binary_search(defined.begin(), defined.end(), name);
}

Inspection inspect(const std::string &path) {
    Inspection result;
    File file;
    if (std::string why = file.open(path); !why.empty()) {
        result.error = path + ": " + why;
        return result;
    }
    Parser parser(file);
    if (!parser.run(result)) {
        result = Inspection{};
        result.error = path + ": " + parser.reason;
        return result;
    }
    sort_unique(result.undefined);
    sort_unique(result.defined);
    // DT_NEEDED keeps its order: it is the order the dynamic linker loads in.
    return result;
}

}  // namespace ferry::elf
