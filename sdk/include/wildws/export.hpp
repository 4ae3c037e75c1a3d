// wildws SDK - symbol visibility for the SDK library and plugins.
#pragma once

#define WILDWS_EXPORT __attribute__((visibility("default")))
