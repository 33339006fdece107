// JsonBody.cpp: strict parsing of admin request bodies and the typed accessors' checks.
#include "admin/JsonBody.h"

#include <cmath>
#include <set>

#include "admin/AdminProblem.h"

namespace patchbay::host {

JsonBody::JsonBody(std::string text) : _text(std::move(text))
{
    if (_text.find_first_not_of(" \t\r\n") == std::string::npos)
        throw AdminProblem::badRequest("", "a JSON request body is required");
    if (!_doc.parse(_text))
    {
        const std::size_t offset = _doc.errorOffset();
        AdminProblem p = AdminProblem::badRequest(
            "", std::string("invalid JSON: ") + (_doc.errorMessage() ? _doc.errorMessage() : "syntax error") + " at offset " +
                    std::to_string(offset));
        p.withOffset(offset);
        throw p;
    }
}

std::string JsonBody::join(const std::string& path, std::string_view key)
{
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

std::string JsonBody::index(const std::string& path, std::size_t i)
{
    return path + "[" + std::to_string(i) + "]";
}

const char* JsonBody::describe(const Value& value) noexcept
{
    switch (value.type())
    {
    case Value::Type::Missing: return "nothing";
    case Value::Type::Null: return "null";
    case Value::Type::Bool: return value.asBool() ? "true" : "false";
    case Value::Type::Number: return "a number";
    case Value::Type::String: return "a string";
    case Value::Type::Array: return "an array";
    case Value::Type::Object: return "an object";
    }
    return "a value";
}

void JsonBody::expectObject(const Value& value, const std::string& path, std::initializer_list<std::string_view> allowed)
{
    if (!value.isObject()) throw AdminProblem::badRequest(path, "expected an object, got " + std::string(describe(value)));
    std::set<std::string_view> seen;
    for (const Value& m : value)
    {
        const std::string field = join(path, m.key());
        bool known = false;
        for (std::string_view a : allowed) known = known || a == m.key();
        if (!known)
        {
            std::string list;
            for (std::string_view a : allowed)
                if (a.substr(0, 3) != "has") list += (list.empty() ? "" : ", ") + std::string(a);
            throw AdminProblem::badRequest(field, "unknown field (allowed here: " + list + ")");
        }
        if (!seen.insert(m.key()).second) throw AdminProblem::badRequest(field, "duplicate field");
    }
}

void JsonBody::expectArray(const Value& value, const std::string& path)
{
    if (!value.isArray()) throw AdminProblem::badRequest(path, "expected an array, got " + std::string(describe(value)));
}

const JsonBody::Value* JsonBody::member(const Value& object, std::string_view key)
{
    const Value* v = object.find(key);
    return v && !v->isNull() ? v : nullptr;
}

std::optional<std::string> JsonBody::string(const Value& object, std::string_view key, const std::string& path,
                                            std::size_t maxLength)
{
    const Value* v = member(object, key);
    if (!v) return std::nullopt;
    const std::string field = join(path, key);
    if (!v->isString()) throw AdminProblem::badRequest(field, "expected a string, got " + std::string(describe(*v)));
    std::string_view s = v->asString();
    if (s.size() > maxLength)
        throw AdminProblem::badRequest(field, "too long (" + std::to_string(s.size()) + " bytes, at most " +
                                                  std::to_string(maxLength) + ")");
    return std::string(s);
}

std::string JsonBody::requiredString(const Value& object, std::string_view key, const std::string& path,
                                     std::size_t maxLength)
{
    std::optional<std::string> s = string(object, key, path, maxLength);
    if (!s || s->empty()) throw AdminProblem::badRequest(join(path, key), "required (a non-empty string)");
    return *s;
}

std::optional<bool> JsonBody::boolean(const Value& object, std::string_view key, const std::string& path)
{
    const Value* v = member(object, key);
    if (!v) return std::nullopt;
    if (v->type() != Value::Type::Bool)
        throw AdminProblem::badRequest(join(path, key), "expected true or false, got " + std::string(describe(*v)));
    return v->asBool();
}

std::optional<std::int64_t> JsonBody::integer(const Value& object, std::string_view key, const std::string& path,
                                              std::int64_t min, std::int64_t max)
{
    const Value* v = member(object, key);
    if (!v) return std::nullopt;
    const std::string range = std::to_string(min) + ".." + std::to_string(max);
    const std::string field = join(path, key);
    if (!v->isNumber()) throw AdminProblem::badRequest(field, "expected an integer in " + range + ", got " + describe(*v));
    std::int64_t n = 0;
    if (v->isInteger())
    {
        n = v->asInt64();
    }
    else
    {
        const double d = v->asDouble();
        if (!std::isfinite(d) || std::trunc(d) != d || d < -9.2e18 || d > 9.2e18)
            throw AdminProblem::badRequest(field, "expected an integer in " + range + ", got " + std::string(v->numberText()));
        n = static_cast<std::int64_t>(d);
    }
    if (n < min || n > max)
        throw AdminProblem::badRequest(field, "expected an integer in " + range + ", got " + std::to_string(n));
    return n;
}

} // namespace patchbay::host
