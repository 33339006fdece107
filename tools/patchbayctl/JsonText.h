// JsonText.h: reading values out of API JSON tolerantly, and printing JSON the way --json promises (pretty, order kept).
#ifndef PATCHBAY_TOOLS_PATCHBAYCTL_JSON_TEXT_H
#define PATCHBAY_TOOLS_PATCHBAYCTL_JSON_TEXT_H

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <ostream>
#include <string>

namespace patchbay {
namespace ctl {

/// Human output must not die on a field the server left out or typed differently than expected:
/// every accessor falls back to an empty value instead of throwing.
class JsonText
{
public:
    /// Two-space indentation, members in the order received, "[]" and "{}" for empty containers.
    static void pretty(std::ostream& out, const Poco::Dynamic::Var& value);
    /// Compact one-line form (request bodies).
    static std::string compact(const Poco::Dynamic::Var& value);
    /// A JSON string literal.
    static std::string quote(const std::string& text);

    static Poco::JSON::Object::Ptr object(const Poco::Dynamic::Var& value);
    static Poco::JSON::Object::Ptr object(const Poco::JSON::Object::Ptr& parent, const std::string& key);
    static Poco::JSON::Array::Ptr array(const Poco::JSON::Object::Ptr& parent, const std::string& key);
    /// The list in a response: the body itself when it is an array, else its member `key`.
    static Poco::JSON::Array::Ptr list(const Poco::Dynamic::Var& body, const std::string& key);

    /// Any scalar as text ("" for absent/null; true/false for booleans).
    static std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key);
    static std::int64_t integer(const Poco::JSON::Object::Ptr& object, const std::string& key);
    static bool flag(const Poco::JSON::Object::Ptr& object, const std::string& key);
};

} // namespace ctl
} // namespace patchbay

#endif
