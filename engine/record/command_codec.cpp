#include "record/command_codec.h"

#include <charconv>
#include <cstdio>
#include <map>

#include "sim/overloaded.h"

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
std::string unescape(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '%' && i + 2 < v.size()) {
      const std::string_view code = v.substr(i + 1, 2);
      const char c = code == "25" ? '%' : code == "7C" ? '|' : code == "3D" ? '=' : '\n';
      out += c;
      i += 2;
    } else {
      out += v[i];
    }
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

/// The fields of one encoded line, read back with their types.
struct Fields {
  std::string kind;
  std::map<std::string, std::string> values;
  std::string error;

  const std::string* get(const std::string& name) {
    auto it = values.find(name);
    if (it == values.end()) {
      if (error.empty()) error = kind + ": missing field " + name;
      return nullptr;
    }
    return &it->second;
  }
  bool has(const std::string& name) const { return values.count(name) > 0; }
  int64_t number(const std::string& name) {
    const std::string* v = get(name);
    int64_t out = 0;
    if (v == nullptr) return 0;
    auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || p != v->data() + v->size())
      if (error.empty()) error = kind + ": field " + name + " is not a number: " + *v;
    return out;
  }
  std::vector<int32_t> int_list(std::string_view v) {
    std::vector<int32_t> out;
    size_t i = 0;
    while (i < v.size()) {
      const size_t comma = std::min(v.find(',', i), v.size());
      int32_t x = 0;
      auto [p, ec] = std::from_chars(v.data() + i, v.data() + comma, x);
      if (ec != std::errc() || p != v.data() + comma) {
        if (error.empty()) error = kind + ": not a list of ids: " + std::string(v);
        return out;
      }
      out.push_back(x);
      i = comma + 1;
    }
    return out;
  }
  world::NodeRef node(const std::string& name) {
    const std::string* v = get(name);
    if (v == nullptr) return {};
    if (v->rfind("r:", 0) == 0) return world::NodeRef::of_role(v->substr(2));
    return world::NodeRef(static_cast<int32_t>(number(name)));
  }
  std::optional<sim::Time> duration(const std::string& name) {
    if (!has(name)) return std::nullopt;
    return sim::Time::from_ns(number(name));
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
    f.values[part.substr(0, eq)] = unescape(part.substr(eq + 1));
    i = next;
  }
  return f;
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
      while (i <= g->size()) {
        const size_t semi = std::min(g->find(';', i), g->size());
        p.groups.push_back(f.int_list(std::string_view(*g).substr(i, semi - i)));
        i = semi + 1;
      }
    }
    c = p;
  } else if (k == "link") {
    world::SetLink l;
    l.a = static_cast<int32_t>(f.number("a"));
    l.b = static_cast<int32_t>(f.number("b"));
    l.latency = f.duration("latency");
    l.jitter = f.duration("jitter");
    if (f.has("loss")) l.loss = std::strtod(f.get("loss")->c_str(), nullptr);
    if (f.has("down")) l.down = *f.get("down") == "true";
    c = l;
  } else if (k == "pause") {
    c = world::Pause{f.node("node"), sim::Time::from_ns(f.number("for"))};
  } else if (k == "elect_preferred") {
    const std::string* p = f.get("partition");
    c = world::ElectPreferred{p ? *p : ""};
  } else if (k == "narrate") {
    const std::string* t = f.get("text");
    c = world::Narrate{t ? *t : ""};
  } else if (k == "add_partitions") {
    const std::string* t = f.get("topic");
    c = world::AddPartitions{t ? *t : "", static_cast<int32_t>(f.number("count"))};
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
      const std::string body = v->size() >= 2 ? v->substr(2) : "";
      if (v->rfind("i:", 0) == 0) {
        s.value = static_cast<int64_t>(std::strtoll(body.c_str(), nullptr, 10));
      } else if (v->rfind("b:", 0) == 0) {
        s.value = body == "true";
      } else if (v->rfind("s:", 0) == 0) {
        s.value = body;
      } else if (v->rfind("d:", 0) == 0) {
        s.value = std::strtod(body.c_str(), nullptr);
      } else {
        return Err{"set_config: a value without its type: " + *v};
      }
    }
    c = s;
  } else {
    return Err{"unknown command \"" + k + "\""};
  }
  if (!f.error.empty()) return Err{f.error};
  return *c;
}

}  // namespace kafkasim::record
