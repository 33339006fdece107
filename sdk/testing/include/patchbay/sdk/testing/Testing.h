// Testing.h: umbrella header of the SDK's plugin-testing kit (a fake host and recording sinks, standard library only).
#ifndef PATCHBAY_SDK_TESTING_TESTING_H
#define PATCHBAY_SDK_TESTING_TESTING_H

#include "patchbay/sdk/testing/FakeCallRouter.h"
#include "patchbay/sdk/testing/FakeEventLoop.h"
#include "patchbay/sdk/testing/FakeHostServices.h"
#include "patchbay/sdk/testing/FakeHttpClient.h"
#include "patchbay/sdk/testing/FakeMetrics.h"
#include "patchbay/sdk/testing/FakeTenantStore.h"
#include "patchbay/sdk/testing/FakeWebSocketConnection.h"
#include "patchbay/sdk/testing/MediaRecorder.h"
#include "patchbay/sdk/testing/RecordingCallChannel.h"
#include "patchbay/sdk/testing/RecordingInboundLeg.h"
#include "patchbay/sdk/testing/RecordingLogger.h"
#include "patchbay/sdk/testing/RecordingMediaSink.h"

#endif
