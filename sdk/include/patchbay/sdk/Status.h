// Status.h: results returned across the plugin boundary instead of exceptions (no exception ever crosses it).
//
// StatusCode meanings, as the host acts on them:
//   Ok               the operation did what was asked.
//   Declined         the plugin chose not to do it and nothing is wrong: from Plugin::init() it means
//                    "disable me" (logged at INFO, the host runs without the plugin unless it is
//                    `required`). Compare Asterisk's AST_MODULE_LOAD_DECLINE.
//   InvalidArgument  the caller's input is wrong (bad config value, malformed request); not retryable.
//   NotFound         the thing asked for does not exist (unknown number, unknown account).
//   AlreadyExists    the thing to create exists already (duplicate route, number already assigned).
//   PermissionDenied authentication or authorisation failed.
//   Unavailable      a dependency is down or overloaded; retrying later may succeed.
//   Internal         a bug or an unexpected failure; from Plugin::init() it means "failed"
//                    (fatal for a `required` plugin). Compare AST_MODULE_LOAD_FAILURE.
#ifndef PATCHBAY_SDK_STATUS_H
#define PATCHBAY_SDK_STATUS_H

#include <exception>
#include <optional>
#include <type_traits>
#include <string>
#include <string_view>
#include <utility>

namespace patchbay::sdk {

enum class StatusCode : int
{
    Ok = 0,
    Declined,
    InvalidArgument,
    NotFound,
    AlreadyExists,
    PermissionDenied,
    Unavailable,
    Internal,
};

/// Name of a status code for logs ("ok", "declined", ...). THREAD: Any.
inline const char* statusCodeName(StatusCode code) noexcept
{
    switch (code)
    {
    case StatusCode::Ok: return "ok";
    case StatusCode::Declined: return "declined";
    case StatusCode::InvalidArgument: return "invalid-argument";
    case StatusCode::NotFound: return "not-found";
    case StatusCode::AlreadyExists: return "already-exists";
    case StatusCode::PermissionDenied: return "permission-denied";
    case StatusCode::Unavailable: return "unavailable";
    case StatusCode::Internal: return "internal";
    }
    return "unknown";
}

/// A code plus a human-readable message. Value type; THREAD: Any. Never contains secrets.
class Status
{
public:
    Status() noexcept = default;
    Status(StatusCode code, std::string message) noexcept : _code(code), _message(std::move(message)) {}

    static Status ok() noexcept { return {}; }
    static Status declined(std::string m) noexcept { return {StatusCode::Declined, std::move(m)}; }
    static Status invalidArgument(std::string m) noexcept { return {StatusCode::InvalidArgument, std::move(m)}; }
    static Status notFound(std::string m) noexcept { return {StatusCode::NotFound, std::move(m)}; }
    static Status alreadyExists(std::string m) noexcept { return {StatusCode::AlreadyExists, std::move(m)}; }
    static Status permissionDenied(std::string m) noexcept { return {StatusCode::PermissionDenied, std::move(m)}; }
    static Status unavailable(std::string m) noexcept { return {StatusCode::Unavailable, std::move(m)}; }
    static Status internal(std::string m) noexcept { return {StatusCode::Internal, std::move(m)}; }

    bool isOk() const noexcept { return _code == StatusCode::Ok; }
    explicit operator bool() const noexcept { return isOk(); }
    StatusCode code() const noexcept { return _code; }
    const std::string& message() const noexcept { return _message; }

    /// "code: message" for log lines.
    std::string toString() const
    {
        std::string s = statusCodeName(_code);
        if (!_message.empty())
        {
            s += ": ";
            s += _message;
        }
        return s;
    }

private:
    StatusCode _code = StatusCode::Ok;
    std::string _message;
};

/// Either a value or a non-ok Status. Value type; THREAD: Any.
template <typename T>
class Result
{
public:
    Result(T value) noexcept(std::is_nothrow_move_constructible_v<T>) : _value(std::move(value)) {}
    Result(Status status) noexcept : _status(std::move(status))
    {
        if (_status.isOk())
            _status = Status::internal("Result built from an ok Status without a value");
    }

    bool isOk() const noexcept { return _value.has_value(); }
    explicit operator bool() const noexcept { return isOk(); }
    const Status& status() const noexcept { return _status; }

    /// PRECONDITION: isOk().
    T& value() & noexcept { return *_value; }
    const T& value() const& noexcept { return *_value; }
    T&& value() && noexcept { return std::move(*_value); }
    T* operator->() noexcept { return &*_value; }
    const T* operator->() const noexcept { return &*_value; }

private:
    std::optional<T> _value;
    Status _status;
};

/// Runs fn at a plugin's edge and turns any exception into Status::internal, so that nothing
/// throws across the boundary. fn returns Status. THREAD: the caller's.
template <typename Fn>
Status guarded(Fn&& fn) noexcept
{
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS)
    try
    {
        return fn();
    }
    catch (const std::exception& e)
    {
        return Status::internal(e.what());
    }
    catch (...)
    {
        return Status::internal("unknown exception");
    }
#else
    return fn(); // built with -fno-exceptions: nothing can be thrown
#endif
}

} // namespace patchbay::sdk

#endif
