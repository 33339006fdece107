// AdminRouteTable.cpp: template matching of admin API paths.
#include "admin/AdminRouteTable.h"

namespace patchbay::host {

void AdminRouteTable::add(std::string method, std::string pattern, AdminAccess access, AdminEndpoint endpoint)
{
    AdminRoute route;
    route.method = std::move(method);
    route.pattern = std::move(pattern);
    route.access = access;
    route.endpoint = std::move(endpoint);
    std::string_view p = route.pattern;
    while (!p.empty())
    {
        if (p.front() == '/') p.remove_prefix(1);
        const auto slash = p.find('/');
        route.segments.emplace_back(p.substr(0, slash));
        p = slash == std::string_view::npos ? std::string_view() : p.substr(slash);
    }
    _routes.push_back(std::move(route));
}

AdminRouteTable::Match AdminRouteTable::match(const std::string& method, const std::vector<std::string>& segments) const
{
    Match m;
    const std::string& wanted = method == "HEAD" ? std::string("GET") : method;
    for (const auto& route : _routes)
    {
        if (route.segments.size() != segments.size()) continue;
        std::vector<std::string> params;
        bool ok = true;
        for (std::size_t i = 0; ok && i < segments.size(); ++i)
        {
            const std::string& s = route.segments[i];
            if (!s.empty() && s.front() == '{')
            {
                if (segments[i].empty()) ok = false;
                else params.push_back(segments[i]);
            }
            else
            {
                ok = s == segments[i];
            }
        }
        if (!ok) continue;
        if (route.method == wanted)
        {
            m.route = &route;
            m.params = std::move(params);
            return m;
        }
        m.pathKnown = true;
        m.allow += (m.allow.empty() ? "" : ", ") + route.method;
    }
    return m;
}

} // namespace patchbay::host
