// TempDir.h: a unique temporary directory per test (or per fixture), removed with everything in it at the end.
#ifndef PATCHBAY_TESTS_SUPPORT_TEMP_DIR_H
#define PATCHBAY_TESTS_SUPPORT_TEMP_DIR_H

#include <Poco/File.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace patchbay::testing {

/// Real files on the real filesystem (SQLite WAL, certificates, configs for real processes); a unique
/// directory keeps parallel ctest runs apart.
class TempDir
{
public:
    explicit TempDir(const std::string& prefix = "patchbay-test")
    {
        const char* base = std::getenv("TMPDIR");
        std::string pattern = std::string(base && *base ? base : "/tmp") + "/" + prefix + "-XXXXXX";
        std::vector<char> buffer(pattern.begin(), pattern.end());
        buffer.push_back('\0');
        if (!::mkdtemp(buffer.data()))
            throw std::runtime_error("mkdtemp failed for " + pattern);
        _path = buffer.data();
    }

    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    ~TempDir()
    {
        try
        {
            Poco::File(_path).remove(true);
        }
        catch (...)
        {
            // A leftover temp directory must not turn a passing test into a crash.
        }
    }

    const std::string& path() const noexcept { return _path; }
    std::string file(const std::string& name) const { return _path + "/" + name; }

    static void write(const std::string& path, const std::string& bytes)
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out)
            throw std::runtime_error("cannot write " + path);
    }

    static std::string read(const std::string& path)
    {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }

private:
    std::string _path;
};

} // namespace patchbay::testing

#endif
