// RecordingMediaSink.h: a plain sdk::MediaSink that records everything sent into it.
#ifndef PATCHBAY_SDK_TESTING_RECORDING_MEDIA_SINK_H
#define PATCHBAY_SDK_TESTING_RECORDING_MEDIA_SINK_H

#include "patchbay/sdk/Media.h"
#include "patchbay/sdk/testing/MediaRecorder.h"

namespace patchbay::sdk::testing {

/// Use where a plugin needs any MediaSink (e.g. to drive a protocol class); see MediaRecorder for
/// what it records.
class RecordingMediaSink : public MediaRecorder<sdk::MediaSink>
{
};

} // namespace patchbay::sdk::testing

#endif
