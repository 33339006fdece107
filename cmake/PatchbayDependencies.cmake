# PatchbayDependencies: finds the Debian 12 packages the host, plugins, tools and tests use.
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Poco 1.11 REQUIRED COMPONENTS Foundation Util Net NetSSL Crypto JSON Data DataSQLite)
find_package(Boost 1.74 REQUIRED)
find_package(spdlog 1.10 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(CPPUNIT REQUIRED IMPORTED_TARGET cppunit)
