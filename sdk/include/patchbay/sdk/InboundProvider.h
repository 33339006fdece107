// InboundProvider.h: the interface an inbound (carrier) plugin implements for the core.
//
// An inbound plugin receives calls through the HTTP and WebSocket routes it registers
// (HostServices::addHttpRoute / addWebSocketEndpoint), asks the core to admit each call
// (CallRouter::admit) and attaches the call's media leg (CallRouter::attachInbound). What the core
// needs back from the provider itself is small and grows with minor ABI versions.
#ifndef PATCHBAY_SDK_INBOUND_PROVIDER_H
#define PATCHBAY_SDK_INBOUND_PROVIDER_H

#include <cstddef>

namespace patchbay::sdk {

class InboundProvider
{
public:
    /// Media legs this provider has open right now (for drain on shutdown and /readyz).
    /// THREAD: Any.
    virtual std::size_t activeLegs() const = 0;

protected:
    ~InboundProvider() = default;
};

} // namespace patchbay::sdk

#endif
