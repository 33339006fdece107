// AdminRequest.cpp: query parsing, percent-decoding and tenant scoping of admin requests.
#include "admin/AdminRequest.h"

#include <charconv>

#include "admin/AdminProblem.h"

namespace patchbay::host {
namespace {

int hexDigit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

} // namespace

AdminRequest::AdminRequest(const sdk::HttpRequest& http, AdminPrincipal principal, std::vector<std::string> params)
    : _http(http), _principal(std::move(principal)), _params(std::move(params))
{
    std::string_view q = _http.query;
    while (!q.empty())
    {
        const auto amp = q.find('&');
        std::string_view pair = q.substr(0, amp);
        q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
        if (pair.empty()) continue;
        const auto eq = pair.find('=');
        auto name = percentDecode(pair.substr(0, eq), true);
        auto value = percentDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
        if (!name || !value) throw AdminProblem::badRequest("", "malformed percent-encoding in the query string");
        _query.emplace_back(std::move(*name), std::move(*value));
    }
}

std::optional<std::string> AdminRequest::percentDecode(std::string_view text, bool plusIsSpace)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i)
    {
        const char c = text[i];
        if (c == '%')
        {
            if (i + 2 >= text.size()) return std::nullopt;
            const int hi = hexDigit(text[i + 1]), lo = hexDigit(text[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        else
        {
            out += plusIsSpace && c == '+' ? ' ' : c;
        }
    }
    return out;
}

void AdminRequest::allowQuery(std::initializer_list<std::string_view> allowed) const
{
    for (const auto& [name, value] : _query)
    {
        bool known = false;
        for (std::string_view a : allowed) known = known || a == name;
        if (!known)
        {
            std::string list;
            for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
            throw AdminProblem::badRequest(name, "unknown query parameter" +
                                                     (list.empty() ? std::string(" (none are accepted here)")
                                                                   : " (accepted here: " + list + ")"));
        }
    }
}

std::optional<std::string> AdminRequest::query(std::string_view name) const
{
    for (const auto& [n, v] : _query)
        if (n == name) return v;
    return std::nullopt;
}

std::int64_t AdminRequest::queryInteger(std::string_view name, std::int64_t min, std::int64_t max, std::int64_t fallback) const
{
    const auto text = query(name);
    if (!text || text->empty()) return fallback;
    std::int64_t n = 0;
    const char* end = text->data() + text->size();
    auto r = std::from_chars(text->data(), end, n);
    const std::string range = std::to_string(min) + ".." + std::to_string(max);
    if (r.ec != std::errc() || r.ptr != end || n < min || n > max)
        throw AdminProblem::badRequest(std::string(name), "expected an integer in " + range);
    return n;
}

const JsonBody& AdminRequest::body() const
{
    if (!_body) _body = std::make_unique<JsonBody>(_http.body);
    return *_body;
}

void AdminRequest::requireOperator() const
{
    if (!_principal.isOperator) throw AdminProblem::forbidden("this endpoint needs the operator token");
}

std::string AdminRequest::scopeTenant(const std::optional<std::string>& requested, std::string_view field) const
{
    if (_principal.isOperator) return requested.value_or(std::string());
    if (requested && !requested->empty() && *requested != _principal.tenantId)
        throw AdminProblem(404, "unknown tenant", std::string(field));
    return _principal.tenantId;
}

} // namespace patchbay::host
