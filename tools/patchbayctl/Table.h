// Table.h: human output — aligned columns for lists and "key: value" blocks for single records.
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_TABLE_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_TABLE_H

#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace patchbay {
namespace ctl {

/// Columns are padded to their widest cell (counted in UTF-8 code points, so names with accents
/// stay aligned); empty cells print as "-" so every row splits into the same number of fields.
/// Block mode prints "key: value" lines with the values aligned.
class Table
{
public:
    explicit Table(std::vector<std::string> headers);
    Table() = default;

    void row(std::vector<std::string> cells);
    std::size_t rows() const { return _rows.size(); }
    void print(std::ostream& out) const;

    /// "key: value" lines, keys padded; a value "" prints "-".
    static void block(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& lines,
                      const std::string& indent = std::string());

    static std::size_t width(const std::string& text);

private:
    std::vector<std::string> _headers;
    std::vector<std::vector<std::string>> _rows;
};

} // namespace ctl
} // namespace patchbay

#endif
