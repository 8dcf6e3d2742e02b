#include "kafka/common/errc.h"

namespace kafkasim::kafka {

std::string_view errc_name(Errc e) {
  switch (e) {
#define KAFKASIM_ERRC_NAME(name, code) \
  case Errc::name:                     \
    return #name;
    KAFKASIM_ERRORS(KAFKASIM_ERRC_NAME)
#undef KAFKASIM_ERRC_NAME
  }
  return "UNKNOWN_SERVER_ERROR";
}

}  // namespace kafkasim::kafka
