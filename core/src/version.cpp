#include "coz/version.h"
namespace coz { const char* version() { return COZ_VERSION; } }
