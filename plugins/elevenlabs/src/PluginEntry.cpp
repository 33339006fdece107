// PluginEntry.cpp: the three extern "C" entry points of libpatchbay-elevenlabs.so.
#include "ElevenLabsPlugin.h"

using patchbay::elevenlabs::ElevenLabsPlugin;

PATCHBAY_PLUGIN(ElevenLabsPlugin, "elevenlabs", "0.1.0", PATCHBAY_CAP_AGENT)
