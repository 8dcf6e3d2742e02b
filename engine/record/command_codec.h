// Commands as one line of text and back, for recordings: "crash|node=101",
// "set_config|topic=orders|key=min.insync.replicas|value=i:2", "pause|node=r:leader:orders-0|
// for=2500000000". Fields are `name=value`, separated by '|'; '%', '|', '=' and line breaks in
// values are written %25, %7C, %3D, %0A. Node references are an id or `r:` and a role; times are
// nanoseconds; setting values carry their type (`i:` integer, `b:` bool, `s:` string, `d:`
// double). decode(encode(c)) == c for every command.
#pragma once

#include <string>

#include "sim/result.h"
#include "world/command.h"

namespace kafkasim::record {

std::string encode(const world::Command& c);
sim::Result<world::Command, std::string> decode(const std::string& line);

}  // namespace kafkasim::record
