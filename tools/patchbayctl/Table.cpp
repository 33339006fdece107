// Table.cpp: column widths and padding of human output.
#include "Table.h"

#include <algorithm>

namespace patchbay {
namespace ctl {

namespace {

/// Control characters in server-provided text would break the table's lines.
std::string cell(const std::string& text)
{
    if (text.empty())
        return "-";
    std::string out = text;
    for (char& c : out)
        if (static_cast<unsigned char>(c) < 0x20)
            c = ' ';
    return out;
}

} // namespace

Table::Table(std::vector<std::string> headers):
    _headers(std::move(headers))
{
}

void Table::row(std::vector<std::string> cells)
{
    cells.resize(_headers.size());
    for (auto& c : cells)
        c = cell(c);
    _rows.push_back(std::move(cells));
}

std::size_t Table::width(const std::string& text)
{
    std::size_t count = 0;
    for (const unsigned char c : text)
        if ((c & 0xC0) != 0x80)
            ++count;
    return count;
}

void Table::print(std::ostream& out) const
{
    std::vector<std::size_t> widths;
    for (const auto& h : _headers)
        widths.push_back(width(h));
    for (const auto& r : _rows)
        for (std::size_t i = 0; i < r.size(); ++i)
            widths[i] = std::max(widths[i], width(r[i]));
    const auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (std::size_t i = 0; i < cells.size(); ++i)
        {
            text += cells[i];
            if (i + 1 < cells.size())
                text += std::string(widths[i] - width(cells[i]) + 2, ' ');
        }
        out << text << '\n';
    };
    line(_headers);
    for (const auto& r : _rows)
        line(r);
}

void Table::block(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& lines,
                  const std::string& indent)
{
    std::size_t keyWidth = 0;
    for (const auto& [key, value] : lines)
        keyWidth = std::max(keyWidth, width(key));
    for (const auto& [key, value] : lines)
    {
        // A multi-line value (a prompt) continues under its first line, keeping the keys scannable.
        std::string text = value.empty() ? "-" : value;
        const std::string continuation = "\n" + indent + std::string(keyWidth + 2, ' ');
        for (std::size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + continuation.size()))
            text.replace(at, 1, continuation);
        out << indent << key << ':' << std::string(keyWidth - width(key) + 1, ' ') << text << '\n';
    }
}

} // namespace ctl
} // namespace patchbay
