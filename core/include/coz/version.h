#pragma once
#include "coz/api.h"
namespace coz {
COZ_API const char* version();
}
