// CIntrinsics is header-only (include/CIntrinsics.h); SwiftPM builds a C target from at
// least one source file, so this one is empty.
#include "CIntrinsics.h"
