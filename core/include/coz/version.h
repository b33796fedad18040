#pragma once
namespace coz {
const char* version();
}
