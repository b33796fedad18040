// libcoz.so is linked from the whole coz_core (and coz_imageio) archives; CMake needs one source of
// its own for a shared library, and this is it. The exported API is what include/coz/ marks COZ_API.
#include "coz/version.h"
