// Sdk.h: umbrella header — everything a Patchbay plugin needs, standard library only.
#ifndef PATCHBAY_SDK_SDK_H
#define PATCHBAY_SDK_SDK_H

#include "patchbay/sdk/Abi.h"
#include "patchbay/sdk/AgentProvider.h"
#include "patchbay/sdk/Call.h"
#include "patchbay/sdk/CallRouter.h"
#include "patchbay/sdk/EventLoop.h"
#include "patchbay/sdk/HostServices.h"
#include "patchbay/sdk/Http.h"
#include "patchbay/sdk/InboundProvider.h"
#include "patchbay/sdk/Logger.h"
#include "patchbay/sdk/Media.h"
#include "patchbay/sdk/Metrics.h"
#include "patchbay/sdk/Plugin.h"
#include "patchbay/sdk/Status.h"
#include "patchbay/sdk/Tenant.h"
#include "patchbay/sdk/TenantStore.h"
#include "patchbay/sdk/WebSocket.h"

#endif
