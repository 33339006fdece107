// StoreError.cpp: maps Poco Data / SQLite exceptions to Status codes.
#include "patchbay/tenantsqlite/StoreError.h"

#include <Poco/Data/SQLite/SQLiteException.h>
#include <Poco/Exception.h>

#include <exception>
#include <string>

#include "patchbay/tenantsqlite/SecretError.h"

namespace patchbay::tenantsqlite {

namespace {

std::string join(std::string_view context, const std::string& detail)
{
    std::string message(context);
    if (!detail.empty())
    {
        message += ": ";
        message += detail;
    }
    return message;
}

// Poco's SQLite exceptions carry SQLite's own text, sometimes twice ("file is not a database: file
// is not a database"); their class name adds nothing an operator needs. Other Poco exceptions
// (file system) say what failed only in their name ("File access error: /path").
std::string pocoDetail(const Poco::Exception& e)
{
    if (!dynamic_cast<const Poco::Data::SQLite::SQLiteException*>(&e))
        return e.displayText();
    std::string detail = e.message();
    const std::size_t half = detail.size() / 2;
    if (detail.size() > 2 && detail.size() % 2 == 0 && detail.compare(half - 1, 2, ": ") == 0 &&
        detail.compare(0, half - 1, detail, half + 1, std::string::npos) == 0)
        detail.resize(half - 1);
    if (detail.empty())
        detail = e.name();
    return detail;
}

} // namespace

sdk::Status StoreError::fromCurrentException(std::string_view context) noexcept
{
    using namespace Poco::Data::SQLite;
    try
    {
        try
        {
            throw;
        }
        // Lock contention, a full pool, a closed store, disk trouble: retrying later may succeed.
        catch (const SecretError& e)
        {
            return sdk::Status(e.code(), join(context, e.what()));
        }
        catch (const DBLockedException& e)
        {
            return sdk::Status::unavailable(join(context, "database is busy (" + pocoDetail(e) + ")"));
        }
        catch (const TableLockedException& e)
        {
            return sdk::Status::unavailable(join(context, "database is busy (" + pocoDetail(e) + ")"));
        }
        catch (const LockProtocolException& e)
        {
            return sdk::Status::unavailable(join(context, pocoDetail(e)));
        }
        catch (const IOErrorException& e)
        {
            return sdk::Status::unavailable(join(context, "I/O error (" + pocoDetail(e) + ")"));
        }
        catch (const CantOpenDBFileException& e)
        {
            return sdk::Status::unavailable(join(context, "cannot open the database file (" + pocoDetail(e) + ")"));
        }
        catch (const DatabaseFullException& e)
        {
            return sdk::Status::unavailable(join(context, "disk or database full (" + pocoDetail(e) + ")"));
        }
        catch (const Poco::TimeoutException& e)
        {
            return sdk::Status::unavailable(join(context, pocoDetail(e)));
        }
        catch (const Poco::IllegalStateException& e)
        {
            return sdk::Status::unavailable(join(context, pocoDetail(e)));
        }
        catch (const ConstraintViolationException& e)
        {
            return sdk::Status::invalidArgument(join(context, pocoDetail(e)));
        }
        catch (const Poco::Exception& e)
        {
            return sdk::Status::internal(join(context, pocoDetail(e)));
        }
        catch (const std::exception& e)
        {
            return sdk::Status::internal(join(context, e.what()));
        }
        catch (...)
        {
            return sdk::Status::internal(join(context, "unknown exception"));
        }
    }
    catch (...)
    {
        // Building the message itself failed (out of memory).
        return sdk::Status::internal("tenant store failure");
    }
}

std::string StoreError::quoted(std::string_view text)
{
    constexpr std::size_t kMax = 64;
    std::string out = "'";
    out.append(text.substr(0, kMax));
    if (text.size() > kMax)
        out += "...";
    out += "'";
    return out;
}

} // namespace patchbay::tenantsqlite
