// ExceptionName.h: the demangled type name of an exception a plugin let escape, for the log line that blames it.
#ifndef PATCHBAY_HOST_PLUGIN_EXCEPTION_NAME_H
#define PATCHBAY_HOST_PLUGIN_EXCEPTION_NAME_H

#include <cstdlib>
#include <cxxabi.h>
#include <exception>
#include <string>
#include <typeinfo>

namespace patchbay::host {

/// "std::runtime_error" rather than "St13runtime_error": an operator reads it. THREAD: Any.
inline std::string exceptionName(const std::exception& e)
{
    int status = 0;
    char* name = abi::__cxa_demangle(typeid(e).name(), nullptr, nullptr, &status);
    std::string result = (status == 0 && name) ? name : typeid(e).name();
    std::free(name);
    return result;
}

} // namespace patchbay::host

#endif
