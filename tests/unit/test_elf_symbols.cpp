// test_elf_symbols.cpp — ferry::elf::inspect on a real Debian extension and on
// broken input: every bad file must give an error that starts with its path,
// never a crash or an out-of-bounds read.

#include "cpyext/elf_symbols.h"

#include <catch2/catch.hpp>

#include <elf.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

using ferry::elf::inspect;
using ferry::elf::Inspection;

namespace {

// From Debian's python3-markupsafe: a small CPython 3.11 extension.
const std::string kSpeedups =
    "/usr/lib/python3/dist-packages/markupsafe/_speedups.cpython-311-x86_64-linux-gnu.so";

using Bytes = std::vector<unsigned char>;

Bytes read_all(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A file under $TMPDIR holding `bytes`, removed at scope exit.
struct TempFile {
    std::string path;
    explicit TempFile(const Bytes &bytes) {
        const char *dir = std::getenv("TMPDIR");
        std::string templ = std::string(dir && *dir ? dir : "/tmp") + "/ferry-elf-XXXXXX";
        int fd = ::mkstemp(templ.data());
        REQUIRE(fd >= 0);
        path = templ;
        std::size_t done = 0;
        while (done < bytes.size()) {
            ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
            REQUIRE(n > 0);
            done += static_cast<std::size_t>(n);
        }
        ::close(fd);
    }
    ~TempFile() { ::unlink(path.c_str()); }
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;
};

template <typename Header>
Bytes bytes_of(const Header &h) {
    const auto *p = reinterpret_cast<const unsigned char *>(&h);
    return Bytes(p, p + sizeof h);
}

// A bare 64-bit little-endian ELF header (no program or section headers).
Elf64_Ehdr elf64_header(unsigned machine, unsigned type) {
    Elf64_Ehdr h{};
    std::memcpy(h.e_ident, ELFMAG, SELFMAG);
    h.e_ident[EI_CLASS] = ELFCLASS64;
    h.e_ident[EI_DATA] = ELFDATA2LSB;
    h.e_ident[EI_VERSION] = EV_CURRENT;
    h.e_type = static_cast<Elf64_Half>(type);
    h.e_machine = static_cast<Elf64_Half>(machine);
    h.e_version = EV_CURRENT;
    h.e_ehsize = sizeof h;
    return h;
}

bool starts_with(const std::string &s, const std::string &prefix) {
    return s.compare(0, prefix.size(), prefix) == 0;
}

// The error must be "<path>: ..." and contain `what`.
void require_error(const Inspection &r, const std::string &path, const std::string &what) {
    INFO("error: " << r.error);
    REQUIRE_FALSE(r.ok());
    CHECK(starts_with(r.error, path + ": "));
    CHECK(r.error.find(what) != std::string::npos);
    CHECK(r.undefined.empty());
    CHECK(r.defined.empty());
}

}  // namespace

TEST_CASE("inspect reads a Debian extension's imports and exports", "[elf]") {
    REQUIRE(::access(kSpeedups.c_str(), R_OK) == 0);  // needs python3-markupsafe
    Inspection r = inspect(kSpeedups);
    INFO("error: " << r.error);
    REQUIRE(r.ok());

    CHECK(r.imports("PyUnicode_New"));
    CHECK(r.imports("_Py_Dealloc"));
    CHECK(r.imports("_Py_NoneStruct"));
    CHECK(r.exports("PyInit__speedups"));
    CHECK_FALSE(r.imports("PyInit__speedups"));
    CHECK_FALSE(r.exports("PyUnicode_New"));
    CHECK(r.needed == std::vector<std::string>{"libc.so.6"});

    CHECK(std::is_sorted(r.undefined.begin(), r.undefined.end()));
    CHECK(std::adjacent_find(r.undefined.begin(), r.undefined.end()) == r.undefined.end());
}

TEST_CASE("inspect finds the symbols through PT_DYNAMIC when section headers are stripped", "[elf]") {
    Bytes so = read_all(kSpeedups);
    REQUIRE(so.size() > sizeof(Elf64_Ehdr));
    Elf64_Ehdr h;
    std::memcpy(&h, so.data(), sizeof h);
    h.e_shoff = 0;
    h.e_shnum = 0;
    h.e_shstrndx = 0;
    std::memcpy(so.data(), &h, sizeof h);
    TempFile stripped(so);

    Inspection with_sections = inspect(kSpeedups);
    Inspection without = inspect(stripped.path);
    INFO("error: " << without.error);
    REQUIRE(without.ok());
    CHECK(without.undefined == with_sections.undefined);
    CHECK(without.defined == with_sections.defined);
    CHECK(without.needed == with_sections.needed);
}

TEST_CASE("inspect rejects a file that is not ELF", "[elf]") {
    const std::string text = "#!/bin/sh\necho this is not a shared object\n";
    TempFile f(Bytes(text.begin(), text.end()));
    require_error(inspect(f.path), f.path, "is not an ELF file");
}

TEST_CASE("inspect rejects an empty file", "[elf]") {
    TempFile f(Bytes{});
    require_error(inspect(f.path), f.path, "is not an ELF file");
}

TEST_CASE("inspect reports a missing file", "[elf]") {
    const std::string path = "/nonexistent/ferry/missing.cpython-311-x86_64-linux-gnu.so";
    require_error(inspect(path), path, "No such file or directory");
}

TEST_CASE("inspect rejects a directory", "[elf]") {
    require_error(inspect("/tmp"), "/tmp", "is not a regular file");
}

TEST_CASE("inspect rejects a truncated shared object", "[elf]") {
    Bytes so = read_all(kSpeedups);
    REQUIRE(so.size() > 100);
    TempFile f(Bytes(so.begin(), so.begin() + 100));
    require_error(inspect(f.path), f.path, "is truncated");
}

TEST_CASE("inspect rejects other architectures", "[elf]") {
    SECTION("32-bit i386") {
        Elf32_Ehdr h{};
        std::memcpy(h.e_ident, ELFMAG, SELFMAG);
        h.e_ident[EI_CLASS] = ELFCLASS32;
        h.e_ident[EI_DATA] = ELFDATA2LSB;
        h.e_ident[EI_VERSION] = EV_CURRENT;
        h.e_type = ET_DYN;
        h.e_machine = EM_386;
        TempFile f(bytes_of(h));
        Inspection r = inspect(f.path);
        require_error(r, f.path, "was built for another architecture");
        CHECK(r.error.find("32-bit") != std::string::npos);
        CHECK(r.error.find("i386") != std::string::npos);
    }
    SECTION("64-bit aarch64") {
        TempFile f(bytes_of(elf64_header(EM_AARCH64, ET_DYN)));
        Inspection r = inspect(f.path);
        require_error(r, f.path, "was built for another architecture");
        CHECK(r.error.find("aarch64") != std::string::npos);
    }
    SECTION("64-bit big-endian s390x") {
        Elf64_Ehdr h = elf64_header(0, ET_DYN);
        h.e_ident[EI_DATA] = ELFDATA2MSB;
        h.e_machine = static_cast<Elf64_Half>(EM_S390 << 8);  // stored big-endian
        TempFile f(bytes_of(h));
        Inspection r = inspect(f.path);
        require_error(r, f.path, "was built for another architecture");
        CHECK(r.error.find("big-endian s390") != std::string::npos);
    }
}

TEST_CASE("inspect rejects ELF files that are not shared objects", "[elf]") {
    SECTION("relocatable object") {
        TempFile f(bytes_of(elf64_header(EM_X86_64, ET_REL)));
        require_error(inspect(f.path), f.path, "is not a shared object");
    }
    SECTION("core dump") {
        TempFile f(bytes_of(elf64_header(EM_X86_64, ET_CORE)));
        require_error(inspect(f.path), f.path, "is not a shared object");
    }
}

TEST_CASE("inspect rejects a shared object with neither sections nor dynamic segment", "[elf]") {
    TempFile f(bytes_of(elf64_header(EM_X86_64, ET_DYN)));
    require_error(inspect(f.path), f.path, "cannot find its dynamic symbols");
}

TEST_CASE("inspect fails cleanly on every truncation and corruption of a real object", "[elf]") {
    const Bytes so = read_all(kSpeedups);
    REQUIRE(so.size() > 1000);

    // Every prefix length in coarse steps, plus the lengths around the headers.
    for (std::size_t len = 0; len < so.size(); len += (len < 128 ? 1 : 61)) {
        TempFile f(Bytes(so.begin(), so.begin() + static_cast<std::ptrdiff_t>(len)));
        Inspection r = inspect(f.path);
        INFO("length " << len << ": " << r.error);
        CHECK((r.ok() || starts_with(r.error, f.path + ": ")));
    }

    // Overwrite each 8-byte word of the file with hostile values; the result
    // may be ok or an error, never a crash.
    for (std::size_t off = 0; off + 8 <= so.size(); off += 8) {
        for (std::uint64_t value : {~std::uint64_t{0}, std::uint64_t{0x7fffffff}, std::uint64_t{0}}) {
            Bytes bad = so;
            std::memcpy(bad.data() + off, &value, sizeof value);
            TempFile f(bad);
            Inspection r = inspect(f.path);
            INFO("offset " << off << ": " << r.error);
            CHECK((r.ok() || starts_with(r.error, f.path + ": ")));
        }
    }
}
