// JsonText.cpp: tolerant JSON accessors and the pretty printer behind --json.
#include "JsonText.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Stringifier.h>

#include <cstdio>
#include <sstream>

namespace patchbay {
namespace ctl {

namespace {

void indent(std::ostream& out, int depth)
{
    out << '\n' << std::string(static_cast<std::size_t>(depth) * 2, ' ');
}

void print(std::ostream& out, const Poco::Dynamic::Var& value, int depth)
{
    if (value.type() == typeid(Poco::JSON::Object::Ptr))
    {
        const auto object = value.extract<Poco::JSON::Object::Ptr>();
        if (!object || object->size() == 0)
        {
            out << "{}";
            return;
        }
        out << '{';
        bool first = true;
        // getNames() follows insertion order for objects parsed with order kept; begin() would not.
        for (const auto& name : object->getNames())
        {
            out << (first ? "" : ",");
            first = false;
            indent(out, depth + 1);
            out << JsonText::quote(name) << ": ";
            print(out, object->get(name), depth + 1);
        }
        indent(out, depth);
        out << '}';
    }
    else if (value.type() == typeid(Poco::JSON::Array::Ptr))
    {
        const auto array = value.extract<Poco::JSON::Array::Ptr>();
        if (!array || array->size() == 0)
        {
            out << "[]";
            return;
        }
        out << '[';
        for (std::size_t i = 0; i < array->size(); ++i)
        {
            out << (i ? "," : "");
            indent(out, depth + 1);
            print(out, array->get(static_cast<unsigned>(i)), depth + 1);
        }
        indent(out, depth);
        out << ']';
    }
    else
        Poco::JSON::Stringifier::condense(value, out);
}

} // namespace

void JsonText::pretty(std::ostream& out, const Poco::Dynamic::Var& value)
{
    print(out, value, 0);
    out << '\n';
}

std::string JsonText::compact(const Poco::Dynamic::Var& value)
{
    std::ostringstream out;
    Poco::JSON::Stringifier::condense(value, out);
    return out.str();
}

std::string JsonText::quote(const std::string& text)
{
    std::string out = "\"";
    for (const unsigned char c : text)
    {
        switch (c)
        {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20)
            {
                char buffer[8];
                std::snprintf(buffer, sizeof buffer, "\\u%04x", c);
                out += buffer;
            }
            else
                out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

Poco::JSON::Object::Ptr JsonText::object(const Poco::Dynamic::Var& value)
{
    if (value.type() == typeid(Poco::JSON::Object::Ptr))
        return value.extract<Poco::JSON::Object::Ptr>();
    return nullptr;
}

Poco::JSON::Object::Ptr JsonText::object(const Poco::JSON::Object::Ptr& parent, const std::string& key)
{
    if (!parent || !parent->has(key))
        return nullptr;
    return object(parent->get(key));
}

Poco::JSON::Array::Ptr JsonText::array(const Poco::JSON::Object::Ptr& parent, const std::string& key)
{
    if (!parent || !parent->has(key))
        return nullptr;
    const Poco::Dynamic::Var value = parent->get(key);
    if (value.type() == typeid(Poco::JSON::Array::Ptr))
        return value.extract<Poco::JSON::Array::Ptr>();
    return nullptr;
}

Poco::JSON::Array::Ptr JsonText::list(const Poco::Dynamic::Var& body, const std::string& key)
{
    if (body.type() == typeid(Poco::JSON::Array::Ptr))
        return body.extract<Poco::JSON::Array::Ptr>();
    if (auto result = array(object(body), key))
        return result;
    return new Poco::JSON::Array;
}

std::string JsonText::text(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    if (!object || !object->has(key))
        return std::string();
    const Poco::Dynamic::Var value = object->get(key);
    if (value.isEmpty())
        return std::string();
    try
    {
        if (value.type() == typeid(bool))
            return value.extract<bool>() ? "true" : "false";
        if (value.isString() || value.isNumeric())
            return value.convert<std::string>();
        return compact(value);
    }
    catch (const Poco::Exception&)
    {
        return std::string();
    }
}

std::int64_t JsonText::integer(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    if (!object || !object->has(key))
        return 0;
    try
    {
        return object->get(key).convert<std::int64_t>();
    }
    catch (const Poco::Exception&)
    {
        return 0;
    }
}

bool JsonText::flag(const Poco::JSON::Object::Ptr& object, const std::string& key)
{
    if (!object || !object->has(key))
        return false;
    try
    {
        return object->get(key).convert<bool>();
    }
    catch (const Poco::Exception&)
    {
        return false;
    }
}

} // namespace ctl
} // namespace patchbay
