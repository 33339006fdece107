// JsonBody.h: a parsed admin request body and field-path-aware typed accessors that reject bad input with a 400 naming the field.
#ifndef PATCHBAY_HOST_ADMIN_JSON_BODY_H
#define PATCHBAY_HOST_ADMIN_JSON_BODY_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include <patchbay/sdk/support/JsonDocument.h>

namespace patchbay::host {

/// Strict like the config loader: unknown and duplicate keys are errors (a typo must not silently
/// keep a default), `null` counts as absent. Field paths read like the API docs:
/// "limits.callsPerMinute", "variants[1].agent.agentId".
/// Not copyable or movable: values point into the owned text. THREAD: one request's worker.
class JsonBody
{
public:
    using Value = sdk::support::JsonValue;

    /// @throws AdminProblem 400 for an empty body or a syntax error (with its byte offset).
    explicit JsonBody(std::string text);
    JsonBody(const JsonBody&) = delete;
    JsonBody& operator=(const JsonBody&) = delete;

    const Value& root() const noexcept { return _doc.root(); }

    static std::string join(const std::string& path, std::string_view key);
    static std::string index(const std::string& path, std::size_t i);

    /// 400 unless `value` is an object, then 400 for any key outside `allowed` or any key given twice.
    static void expectObject(const Value& value, const std::string& path, std::initializer_list<std::string_view> allowed);
    /// 400 unless `value` is an array.
    static void expectArray(const Value& value, const std::string& path);

    /// The member, or nullptr when absent or null.
    static const Value* member(const Value& object, std::string_view key);
    /// A string member of at most maxLength bytes; nullopt when absent.
    static std::optional<std::string> string(const Value& object, std::string_view key, const std::string& path,
                                             std::size_t maxLength);
    /// Like string(), but 400 when absent or empty.
    static std::string requiredString(const Value& object, std::string_view key, const std::string& path,
                                      std::size_t maxLength);
    /// An integral number in [min, max] (16.0 counts as 16); nullopt when absent.
    static std::optional<std::int64_t> integer(const Value& object, std::string_view key, const std::string& path,
                                               std::int64_t min, std::int64_t max);
    /// A boolean member; nullopt when absent.
    static std::optional<bool> boolean(const Value& object, std::string_view key, const std::string& path);
    /// "a string", "the number 3", "an object", ... for messages. Strings are never quoted (they may be secrets).
    static const char* describe(const Value& value) noexcept;

private:
    std::string _text;
    sdk::support::JsonDocument _doc;
};

} // namespace patchbay::host

#endif
