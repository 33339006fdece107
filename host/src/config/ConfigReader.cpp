// ConfigReader.cpp: type checks and error wording for config validation.
#include "config/ConfigReader.h"

#include <Poco/Exception.h>

#include <algorithm>
#include <cmath>

namespace patchbay::host {

namespace {

bool isPlainKey(const std::string& key)
{
    if (key.empty()) return false;
    return std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '$';
    });
}

std::string quoted(const std::string& s)
{
    std::string out = "\"";
    for (char c : s)
    {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20)
            out += '?';
        else
            out += c;
    }
    return out + "\"";
}

std::string joinChoices(const std::vector<std::string>& choices)
{
    std::string s;
    for (std::size_t i = 0; i < choices.size(); ++i)
    {
        if (i) s += i + 1 == choices.size() ? " or " : ", ";
        s += quoted(choices[i]);
    }
    return s;
}

} // namespace

std::string ConfigReader::childPath(const std::string& path, const std::string& key)
{
    if (!isPlainKey(key)) return path + "[" + quoted(key) + "]";
    return path.empty() ? key : path + "." + key;
}

std::string ConfigReader::indexPath(const std::string& path, std::size_t index)
{
    return path + "[" + std::to_string(index) + "]";
}

bool ConfigReader::isObject(const Poco::Dynamic::Var& value)
{
    return value.type() == typeid(Poco::JSON::Object::Ptr);
}

bool ConfigReader::isArray(const Poco::Dynamic::Var& value)
{
    return value.type() == typeid(Poco::JSON::Array::Ptr);
}

std::string ConfigReader::describe(const Poco::Dynamic::Var& value)
{
    if (value.isEmpty()) return "null";
    if (isObject(value)) return "an object";
    if (isArray(value)) return "an array";
    if (value.isBoolean()) return value.convert<bool>() ? "true" : "false";
    if (value.isString())
    {
        // Values may hold interpolated secrets: quote short ones only, and never in full.
        std::string s = value.convert<std::string>();
        if (s.size() > 40) return "a string";
        return "the string " + quoted(s);
    }
    if (value.isNumeric()) return "the number " + value.convert<std::string>();
    return "an unsupported value";
}

Poco::JSON::Object::Ptr ConfigReader::object(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                                             const std::string& path)
{
    if (!obj || !obj->has(key)) return nullptr;
    Poco::Dynamic::Var v = obj->get(key);
    if (!isObject(v))
    {
        error(path, "expected an object, got " + describe(v));
        return nullptr;
    }
    return v.extract<Poco::JSON::Object::Ptr>();
}

Poco::JSON::Array::Ptr ConfigReader::array(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                                           const std::string& path)
{
    if (!obj || !obj->has(key)) return nullptr;
    Poco::Dynamic::Var v = obj->get(key);
    if (!isArray(v))
    {
        error(path, "expected an array, got " + describe(v));
        return nullptr;
    }
    return v.extract<Poco::JSON::Array::Ptr>();
}

void ConfigReader::allowOnly(const Poco::JSON::Object::Ptr& obj, const std::string& path,
                             std::initializer_list<const char*> allowed)
{
    if (!obj) return;
    for (const auto& name : obj->getNames())
    {
        bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* a) { return name == a; });
        if (known) continue;
        std::string list;
        for (const char* a : allowed)
        {
            if (!list.empty()) list += ", ";
            list += a;
        }
        error(childPath(path, name), "unknown key (allowed here: " + list + ")");
    }
}

bool ConfigReader::string(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path,
                          std::string& target, bool allowEmpty)
{
    if (!obj || !obj->has(key)) return false;
    Poco::Dynamic::Var v = obj->get(key);
    if (!v.isString())
    {
        error(path, "expected a string, got " + describe(v));
        return false;
    }
    std::string s = v.convert<std::string>();
    if (!allowEmpty && s.empty())
    {
        error(path, "expected a non-empty string");
        return false;
    }
    target = std::move(s);
    return true;
}

bool ConfigReader::boolean(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path,
                           bool& target)
{
    if (!obj || !obj->has(key)) return false;
    Poco::Dynamic::Var v = obj->get(key);
    if (!v.isBoolean())
    {
        error(path, "expected true or false, got " + describe(v));
        return false;
    }
    target = v.convert<bool>();
    return true;
}

bool ConfigReader::integer(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path,
                           std::int64_t min, std::int64_t max, std::int64_t& target)
{
    if (!obj || !obj->has(key)) return false;
    Poco::Dynamic::Var v = obj->get(key);
    std::string expected = "an integer in " + std::to_string(min) + ".." + std::to_string(max);
    if (v.isBoolean() || !v.isNumeric())
    {
        error(path, "expected " + expected + ", got " + describe(v));
        return false;
    }
    if (!v.isInteger())
    {
        // 16.0 is an integer to an operator; 16.5 is not.
        double d = v.convert<double>();
        if (!std::isfinite(d) || std::floor(d) != d || d < static_cast<double>(min) || d > static_cast<double>(max))
        {
            error(path, "expected " + expected + ", got " + describe(v));
            return false;
        }
        target = static_cast<std::int64_t>(d);
        return true;
    }
    std::int64_t n = 0;
    try
    {
        n = v.convert<std::int64_t>();
    }
    catch (const Poco::Exception&)
    {
        error(path, "expected " + expected + ", got " + describe(v));
        return false;
    }
    if (n < min || n > max)
    {
        error(path, "expected " + expected + ", got " + describe(v));
        return false;
    }
    target = n;
    return true;
}

bool ConfigReader::choice(const Poco::JSON::Object::Ptr& obj, const std::string& key, const std::string& path,
                          const std::vector<std::string>& choices, std::size_t& target)
{
    if (!obj || !obj->has(key)) return false;
    return choiceValue(obj->get(key), path, choices, target);
}

bool ConfigReader::choiceValue(const Poco::Dynamic::Var& value, const std::string& path,
                               const std::vector<std::string>& choices, std::size_t& target)
{
    if (value.isString())
    {
        std::string s = value.convert<std::string>();
        for (std::size_t i = 0; i < choices.size(); ++i)
        {
            if (choices[i] == s)
            {
                target = i;
                return true;
            }
        }
    }
    error(path, "expected one of " + joinChoices(choices) + ", got " + describe(value));
    return false;
}

} // namespace patchbay::host
