// CallSimContext.h: what every simulated call shares (options, codec, clients), built once per run.
#pragma once

#include "CallSimOptions.h"
#include "FrameCodec.h"
#include "WebhookClient.h"

#include <patchbay/media/WebSocketConnector.h>
#include <patchbay/media/WebSocketOptions.h>

#include <functional>
#include <string>

namespace patchbay {
namespace callsim {

struct CallSimContext
{
    const CallSimOptions& options;
    const FrameCodec& codec;
    WebhookClient& webhooks;
    media::WebSocketConnector& connector;
    media::WebSocketOptions socketOptions;
    std::string runId;                   ///< 16 hex digits, makes the SIDs of this run unique
    std::function<void()> callFinished;  ///< any thread; once per call
};

} // namespace callsim
} // namespace patchbay
