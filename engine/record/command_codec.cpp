#include "record/command_codec.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <optional>

#include "sim/overloaded.h"
#include "world/limits.h"

namespace kafkasim::record {

using sim::Err;
using world::Command;

namespace {
std::string escape(std::string_view v) {
  std::string out;
  for (char c : v) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '|':
        out += "%7C";
        break;
      case '=':
        out += "%3D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}
/// The value escape() wrote, or nullopt when `v` holds a '%' escape() never writes.
std::optional<std::string> unescape(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] != '%') {
      out += v[i];
      continue;
    }
    const std::string_view code = v.substr(i + 1, 2);
    if (code == "25") {
      out += '%';
    } else if (code == "7C") {
      out += '|';
    } else if (code == "3D") {
      out += '=';
    } else if (code == "0A") {
      out += '\n';
    } else {
      return std::nullopt;
    }
    i += 2;
  }
  return out;
}

struct Writer {
  std::string s;
  explicit Writer(const char* kind) : s(kind) {}
  Writer& field(const char* name, std::string_view value) {
    s += '|';
    s += name;
    s += '=';
    s += escape(value);
    return *this;
  }
  Writer& field(const char* name, int64_t v) { return field(name, std::to_string(v)); }
  Writer& node(const char* name, const world::NodeRef& n) {
    return n.role.empty() ? field(name, int64_t{n.id}) : field(name, "r:" + n.role);
  }
  Writer& at(const char* name, const std::optional<sim::Time>& t) {
    return t ? field(name, t->ns()) : *this;
  }
};

std::string ints(const std::vector<int32_t>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? "," : "") + std::to_string(v[i]);
  return s;
}

/// The fields of one encoded line, read back with their types. Every value is checked as the
/// scenario loader checks its own (whole numbers in range, durations within world/limits.h,
/// probabilities in [0, 1]): a recording is input from outside like a scenario file.
struct Fields {
  std::string kind;
  std::map<std::string, std::string> values;
  std::map<std::string, bool> read;  // fields taken by the decoder; the rest are unknown
  std::string error;

  void fail(const std::string& what) {
    if (error.empty()) error = kind + ": " + what;
  }
  const std::string* get(const std::string& name) {
    auto it = values.find(name);
    if (it == values.end()) {
      fail("missing field " + name);
      return nullptr;
    }
    read[name] = true;
    return &it->second;
  }
  bool has(const std::string& name) const { return values.count(name) > 0; }
  /// A whole number in [min, max], written in decimal with nothing around it.
  int64_t number(const std::string& name, int64_t min, int64_t max) {
    const std::string* v = get(name);
    if (v == nullptr) return min;
    int64_t out = 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || p != v->data() + v->size() || v->empty()) {
      fail("field " + name + " is not a whole number: \"" + *v + "\"");
      return min;
    }
    if (out < min || out > max) {
      fail("field " + name + " is " + *v + ", outside " + std::to_string(min) + ".." +
           std::to_string(max));
      return min;
    }
    return out;
  }
  int32_t id(std::string_view v) {
    int32_t x = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
    if (ec != std::errc() || p != v.data() + v.size() || v.empty() || x < 0) {
      fail("not a node id: \"" + std::string(v) + "\"");
      return -1;
    }
    return x;
  }
  std::vector<int32_t> int_list(std::string_view v) {
    std::vector<int32_t> out;
    if (v.empty()) {
      fail("an empty list of ids");
      return out;
    }
    size_t i = 0;
    while (i <= v.size() && error.empty()) {
      const size_t comma = std::min(v.find(',', i), v.size());
      out.push_back(id(v.substr(i, comma - i)));
      i = comma + 1;
    }
    return out;
  }
  world::NodeRef node(const std::string& name) {
    const std::string* v = get(name);
    if (v == nullptr) return {};
    if (v->rfind("r:", 0) == 0) {
      if (v->size() == 2) fail("field " + name + " names an empty role");
      return world::NodeRef::of_role(v->substr(2));
    }
    return world::NodeRef(id(*v));
  }
  /// Nanoseconds, 0 (`positive`: 1) to world::kDurationMax.
  sim::Time duration(const std::string& name, bool positive = false) {
    return sim::Time::from_ns(number(name, positive ? 1 : 0, world::kDurationMax.ns()));
  }
  std::optional<sim::Time> optional_duration(const std::string& name) {
    if (!has(name)) return std::nullopt;
    return duration(name);
  }
  /// A finite number written whole (strtod's own syntax, nothing after it).
  double real(const std::string& what, const std::string& v) {
    char* end = nullptr;
    const double d = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || !std::isfinite(d)) {
      fail(what + " is not a finite number: \"" + v + "\"");
      return 0.0;
    }
    return d;
  }
  bool boolean(const std::string& what, const std::string& v) {
    if (v != "true" && v != "false") fail(what + " is not true or false: \"" + v + "\"");
    return v == "true";
  }
  /// The first field the decoder did not take, as an error.
  void check_all_read() {
    for (const auto& [name, value] : values)
      if (!read.count(name)) fail("unknown field " + name);
  }
};

Fields split(const std::string& line) {
  Fields f;
  size_t i = line.find('|');
  f.kind = line.substr(0, i);
  while (i != std::string::npos && i < line.size()) {
    const size_t next = line.find('|', i + 1);
    const std::string part =
        line.substr(i + 1, (next == std::string::npos ? line.size() : next) - i - 1);
    const size_t eq = part.find('=');
    if (eq == std::string::npos) {
      f.error = f.kind + ": a field without '=': " + part;
      return f;
    }
    auto value = unescape(std::string_view(part).substr(eq + 1));
    if (!value) {
      f.error = f.kind + ": field " + part.substr(0, eq) + " has a '%' that is not %25, %7C, " +
                "%3D or %0A";
      return f;
    }
    if (!f.values.emplace(part.substr(0, eq), std::move(*value)).second) {
      f.error = f.kind + ": field " + part.substr(0, eq) + " given twice";
      return f;
    }
    i = next;
  }
  return f;
}

/// Kafka's setting value as recorded: its type, then the value ("i:2", "b:true").
std::optional<kafka::KafkaConfig::Value> setting_value(Fields& f, const std::string& v) {
  const std::string body = v.size() >= 2 ? v.substr(2) : "";
  if (v.rfind("i:", 0) == 0) {
    int64_t n = 0;
    auto [p, ec] = std::from_chars(body.data(), body.data() + body.size(), n);
    if (ec != std::errc() || p != body.data() + body.size() || body.empty()) {
      f.fail("value is not a whole number: \"" + body + "\"");
      return std::nullopt;
    }
    return n;
  }
  if (v.rfind("b:", 0) == 0) return f.boolean("value", body);
  if (v.rfind("s:", 0) == 0) return body;
  if (v.rfind("d:", 0) == 0) return f.real("value", body);
  f.fail("a value without its type (i:, b:, s: or d:): \"" + v + "\"");
  return std::nullopt;
}
}  // namespace

std::string encode(const Command& c) {
  return std::visit(
      sim::overloaded{
          [](const world::Crash& x) { return Writer("crash").node("node", x.node).s; },
          [](const world::PowerLoss& x) { return Writer("power_loss").node("node", x.node).s; },
          [](const world::Restart& x) { return Writer("restart").node("node", x.node).s; },
          [](const world::Isolate& x) { return Writer("isolate").node("node", x.node).s; },
          [](const world::Partition& x) {
            std::string groups;
            for (size_t i = 0; i < x.groups.size(); ++i)
              groups += (i ? ";" : "") + ints(x.groups[i]);
            return Writer("partition").field("groups", groups).s;
          },
          [](const world::Heal&) { return std::string("heal"); },
          [](const world::SetLink& x) {
            Writer w("link");
            w.field("a", int64_t{x.a}).field("b", int64_t{x.b});
            w.at("latency", x.latency).at("jitter", x.jitter);
            if (x.loss) {
              char buf[32];
              std::snprintf(buf, sizeof buf, "%.17g", *x.loss);
              w.field("loss", buf);
            }
            if (x.down) w.field("down", *x.down ? "true" : "false");
            return w.s;
          },
          [](const world::Pause& x) {
            return Writer("pause").node("node", x.node).field("for", x.duration.ns()).s;
          },
          [](const world::Shutdown& x) { return Writer("shutdown").node("node", x.node).s; },
          [](const world::ElectPreferred& x) {
            return Writer("elect_preferred").field("partition", x.partition).s;
          },
          [](const world::Flush& x) { return Writer("flush").node("node", x.node).s; },
          [](const world::Narrate& x) { return Writer("narrate").field("text", x.text).s; },
          [](const world::AddPartitions& x) {
            return Writer("add_partitions")
                .field("topic", x.topic)
                .field("count", int64_t{x.count})
                .s;
          },
          [](const world::Reassign& x) {
            return Writer("reassign")
                .field("partition", x.partition)
                .field("replicas", ints(x.replicas))
                .s;
          },
          [](const world::SetConfig& x) {
            Writer w("set_config");
            if (x.node) w.node("node", *x.node);
            if (!x.topic.empty()) w.field("topic", x.topic);
            w.field("key", x.key);
            std::visit(sim::overloaded{
                           [&](int64_t v) { w.field("value", "i:" + std::to_string(v)); },
                           [&](bool v) { w.field("value", v ? "b:true" : "b:false"); },
                           [&](const std::string& v) { w.field("value", "s:" + v); },
                           [&](double v) {
                             char buf[32];
                             std::snprintf(buf, sizeof buf, "d:%.17g", v);
                             w.field("value", buf);
                           },
                       },
                       x.value);
            return w.s;
          },
      },
      c);
}

sim::Result<Command, std::string> decode(const std::string& line) {
  Fields f = split(line);
  if (!f.error.empty()) return Err{f.error};
  std::optional<Command> c;
  const std::string& k = f.kind;
  constexpr int64_t kIdMax = std::numeric_limits<int32_t>::max();
  if (k == "crash") {
    c = world::Crash{f.node("node")};
  } else if (k == "power_loss") {
    c = world::PowerLoss{f.node("node")};
  } else if (k == "restart") {
    c = world::Restart{f.node("node")};
  } else if (k == "isolate") {
    c = world::Isolate{f.node("node")};
  } else if (k == "shutdown") {
    c = world::Shutdown{f.node("node")};
  } else if (k == "flush") {
    c = world::Flush{f.node("node")};
  } else if (k == "heal") {
    c = world::Heal{};
  } else if (k == "partition") {
    world::Partition p;
    if (const std::string* g = f.get("groups")) {
      size_t i = 0;
      while (i <= g->size() && f.error.empty()) {
        const size_t semi = std::min(g->find(';', i), g->size());
        p.groups.push_back(f.int_list(std::string_view(*g).substr(i, semi - i)));
        i = semi + 1;
      }
    }
    c = p;
  } else if (k == "link") {
    world::SetLink l;
    l.a = static_cast<int32_t>(f.number("a", 0, kIdMax));
    l.b = static_cast<int32_t>(f.number("b", 0, kIdMax));
    l.latency = f.optional_duration("latency");
    l.jitter = f.optional_duration("jitter");
    if (f.has("loss")) {
      l.loss = f.real("loss", *f.get("loss"));
      if (*l.loss < 0.0 || *l.loss > 1.0) f.fail("loss is a probability in [0, 1]");
    }
    if (f.has("down")) l.down = f.boolean("down", *f.get("down"));
    if (!l.latency && !l.jitter && !l.loss && !l.down)
      f.fail("a link change without latency, jitter, loss or down");
    c = l;
  } else if (k == "pause") {
    c = world::Pause{f.node("node"), f.duration("for", true)};
  } else if (k == "elect_preferred") {
    const std::string* p = f.get("partition");
    c = world::ElectPreferred{p ? *p : ""};
  } else if (k == "narrate") {
    const std::string* t = f.get("text");
    c = world::Narrate{t ? *t : ""};
  } else if (k == "add_partitions") {
    const std::string* t = f.get("topic");
    c = world::AddPartitions{t ? *t : "", static_cast<int32_t>(f.number("count", 1, kIdMax))};
  } else if (k == "reassign") {
    const std::string* p = f.get("partition");
    const std::string* r = f.get("replicas");
    c = world::Reassign{p ? *p : "", r ? f.int_list(*r) : std::vector<int32_t>{}};
  } else if (k == "set_config") {
    world::SetConfig s;
    if (f.has("node")) s.node = f.node("node");
    if (f.has("topic")) s.topic = *f.get("topic");
    if (const std::string* key = f.get("key")) s.key = *key;
    if (const std::string* v = f.get("value")) {
      if (auto value = setting_value(f, *v)) s.value = *value;
    }
    c = s;
  } else {
    return Err{"unknown command \"" + k + "\""};
  }
  f.check_all_read();
  if (!f.error.empty()) return Err{f.error};
  return *c;
}

}  // namespace kafkasim::record
