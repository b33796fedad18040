#include "coz/version.h"

#include "version_config.h"

namespace coz {
const char* version() { return COZ_VERSION; }
}  // namespace coz
