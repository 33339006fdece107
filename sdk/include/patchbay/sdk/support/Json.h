// Json.h: umbrella header of the SDK's header-only JSON support (JsonDocument reader, JsonValue tree, JsonWriter).
#ifndef PATCHBAY_SDK_SUPPORT_JSON_H
#define PATCHBAY_SDK_SUPPORT_JSON_H

// Standard library only, so plugins can use it without linking anything. Built for small
// hot-path messages (media frames): a reused JsonDocument parses without allocating and a
// JsonWriter appends into a reused std::string.
#include "patchbay/sdk/support/JsonDocument.h"
#include "patchbay/sdk/support/JsonValue.h"
#include "patchbay/sdk/support/JsonWriter.h"

#endif // PATCHBAY_SDK_SUPPORT_JSON_H
