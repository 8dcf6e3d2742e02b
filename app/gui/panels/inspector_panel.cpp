// Index:
//   [SECTION] widgets: hoverable terms, property tables, table headers
//   [SECTION] pickers: node and partition combos
//   [SECTION] shared node parts: identity, settings, replicas hosted, recent events
//   [SECTION] KRaft node: quorum, controller, broker lifecycle
//   [SECTION] ZooKeeper mode: broker, ZooKeeper server
//   [SECTION] clients: producer, consumer
//   [SECTION] partition
//   [SECTION] panel
#include "panels/inspector_panel.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "glossary.h"
#include "journey.h"
#include "kafka/metadata/dynamic_config.h"
#include "theme.h"
#include "world/cluster.h"
#include "world_view.h"

namespace kafkasim::gui {

namespace {

using kafka::BrokerId;
using kafka::Offset;

const ImVec4 kHint(0.55f, 0.78f, 1.0f, 1);
const ImVec4 kGood(0.45f, 0.85f, 0.55f, 1);
const ImVec4 kBad(0.95f, 0.45f, 0.45f, 1);
const ImVec4 kWarn(0.96f, 0.77f, 0.27f, 1);
constexpr size_t kRecentEventsMax = 8;
constexpr size_t kRecentScanMax = 50000;  // trace records looked at, newest first
constexpr int kSegmentsShownMax = 200;

// [SECTION] widgets: hoverable terms, property tables, table headers ---------------------------

void explain_hovered(const char* term) {
  const char* text = explain(term);
  if (text == nullptr || !ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 26.0f);
  ImGui::TextColored(kHint, "%s", term);
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

/// A dotted line under the last item: "this word explains itself when hovered".
void dotted_underline() {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 c = ImGui::GetColorU32(ImVec4(kHint.x, kHint.y, kHint.z, 0.55f));
  for (float x = a.x; x < b.x; x += 4.0f)
    dl->AddLine(ImVec2(x, b.y), ImVec2(std::min(x + 2.0f, b.x), b.y), c);
}

/// A section title: bright text over a separator.
void title(const char* text) {
  ImGui::Spacing();
  ImGui::TextColored(ImVec4(1, 1, 1, 1), "%s", text);
  ImGui::Separator();
}

const ImVec4& text_colour() {
  return ImGui::GetStyle().Colors[ImGuiCol_Text];
}

std::string str(int64_t v) {
  return std::to_string(v);
}
std::string ids(const std::vector<BrokerId>& v) {
  return kafka::to_string(v);
}
std::string leader_text(BrokerId b) {
  return b < 0 ? "none" : std::to_string(b);
}
std::string ago(sim::Time now, sim::Time t) {
  return sim::to_string(now - t) + " ago";
}
const char* yes_no(bool b) {
  return b ? "yes" : "no";
}

/// A two-column table of (term, value) rows; `key_weight` widens the term column (long
/// setting names) against the value column's 1.3.
bool begin_props(const char* id, float key_weight = 1.0f) {
  if (!ImGui::BeginTable(id, 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp))
    return false;
  ImGui::TableSetupColumn("term", ImGuiTableColumnFlags_WidthStretch, key_weight);
  ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 1.3f);
  return true;
}

void value_row(const char* term, const ImVec4* colour, const std::string& value) {
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  term_text(term);
  ImGui::TableNextColumn();
  if (colour != nullptr)
    ImGui::TextColored(*colour, "%s", value.c_str());
  else
    ImGui::TextUnformatted(value.c_str());
}

void row(const char* term, const std::string& value) {
  value_row(term, nullptr, value);
}
void row(const char* term, const ImVec4& colour, const std::string& value) {
  value_row(term, &colour, value);
}

/// A table header row whose cells explain their terms. `cols` are {label, term} pairs.
struct Col {
  const char* label;
  const char* term;
};
/// With `rows` >= 0 the table scrolls sideways when the column is too narrow for it (its
/// height is then fixed: a header and `rows` rows).
bool begin_grid(const char* id, std::initializer_list<Col> cols, int rows = -1) {
  const int n = static_cast<int>(cols.size());
  ImGuiTableFlags flags =
      ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit;
  ImVec2 size(0, 0);
  if (rows >= 0) {
    const ImGuiStyle& st = ImGui::GetStyle();
    flags |= ImGuiTableFlags_ScrollX;
    size.y = static_cast<float>(rows + 1) * (ImGui::GetTextLineHeight() + 2 * st.CellPadding.y) +
             st.ScrollbarSize + 4.0f;
  }
  if (!ImGui::BeginTable(id, n, flags, size)) return false;
  for (const Col& c : cols)
    ImGui::TableSetupColumn(c.label);
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  int i = 0;
  for (const Col& c : cols) {
    ImGui::TableSetColumnIndex(i++);
    ImGui::TableHeader(c.label);
    if (c.term != nullptr) explain_hovered(c.term);
  }
  return true;
}

void cell(const std::string& s) {
  ImGui::TableNextColumn();
  ImGui::TextUnformatted(s.c_str());
}
void cell(const ImVec4& colour, const std::string& s) {
  ImGui::TableNextColumn();
  ImGui::TextColored(colour, "%s", s.c_str());
}

/// A name that selects a partition when clicked.
void partition_cell(AppState& app, const std::string& name) {
  ImGui::TableNextColumn();
  if (ImGui::Selectable(name.c_str(), app.selected.partition == name))
    app.selected.partition = name;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("inspect %s", name.c_str());
}

// [SECTION] pickers: node and partition combos -------------------------------------------------

std::vector<std::string> all_partitions(const world::World& w) {
  std::vector<std::string> out;
  const kafka::MetadataImage* img = world::cluster_image(w);
  if (img == nullptr) return out;
  for (const kafka::TopicImage& t : img->topics()) {
    for (size_t p = 0; p < t.partitions.size(); ++p)
      out.push_back(t.name + "-" + std::to_string(p));
  }
  return out;
}

void pickers(AppState& app) {
  const world::World& w = app.world;
  const int n = static_cast<int>(w.nodes().size());
  if (app.selected.node >= n) app.selected.node = -1;
  const float half = ImGui::GetContentRegionAvail().x * 0.5f - ImGui::GetStyle().ItemSpacing.x;
  ImGui::SetNextItemWidth(half);
  const char* node_preview =
      app.selected.node < 0 ? "(pick a node)" : w.node(app.selected.node).name.c_str();
  if (ImGui::BeginCombo("##node", node_preview)) {
    if (ImGui::Selectable("(none)", app.selected.node < 0)) app.selected.node = -1;
    for (int i = 0; i < n; ++i) {
      const auto& nd = w.node(i);
      const std::string label = nd.name + "  (" + nd.role + ")";
      if (ImGui::Selectable(label.c_str(), app.selected.node == i)) app.selected.node = i;
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(half);
  const std::vector<std::string> parts = all_partitions(w);
  const char* part_preview =
      app.selected.partition.empty() ? "(pick a partition)" : app.selected.partition.c_str();
  if (ImGui::BeginCombo("##partition", part_preview)) {
    if (ImGui::Selectable("(none)", app.selected.partition.empty())) app.selected.partition.clear();
    for (const std::string& p : parts) {
      if (ImGui::Selectable(p.c_str(), app.selected.partition == p)) app.selected.partition = p;
    }
    ImGui::EndCombo();
  }
}

// [SECTION] shared node parts: identity, settings, replicas hosted, recent events --------------

void identity(const world::World& w, net::NodeIndex i) {
  const world::World::Node& n = w.node(i);
  const NodeInfo info = node_info(w, i);
  if (!begin_props("identity")) return;
  term_label("node", "%s  (id %d)", n.name.c_str(), n.id);
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  term_text(n.role == "zookeeper" ? "ensemble" : "process.roles", "kind");
  ImGui::TableNextColumn();
  term_text(n.role == "zookeeper" ? "ZooKeeper" : n.role.c_str());
  const ImVec4 sc = ImGui::ColorConvertU32ToFloat4(status_colour(n.status));
  row("node status", sc, world::node_status_name(n.status));
  if (!n.stop_reason.empty()) row("node status", n.stop_reason);
  if (info.active_controller) row("active controller", kWarn, "yes");
  if (info.quorum_leader && !info.active_controller)
    row(n.role == "zookeeper" ? "ZooKeeper leader" : "quorum leader", kWarn, "yes");
  if (info.fenced) row("fenced", kBad, info.detail.empty() ? "yes" : info.detail);
  ImGui::EndTable();
}

void kafka_settings(const char* id, const kafka::KafkaConfig& cfg) {
  if (!ImGui::TreeNodeEx(id, 0, "Broker settings (server.properties)")) return;
  ImGui::TextDisabled("amber: changed from Kafka's default");
  if (begin_props(id, 2.6f)) {
    for (const kafka::KafkaConfig::Key& k : kafka::KafkaConfig::keys()) {
      const auto v = cfg.get(k.name);
      if (!v) continue;
      std::string text = kafka::config_value_text(*v);
      if (text.empty()) text = "(newest)";
      if (*v != k.default_value)
        row(k.name, kWarn, text);
      else
        row(k.name, text);
    }
    ImGui::EndTable();
  }
  ImGui::TreePop();
}

void log_settings_rows(const kafka::LogConfig& c) {
  auto limit = [](int64_t v) { return v < 0 || v == INT64_MAX ? std::string("none") : str(v); };
  row("cleanup.policy", c.cleanup_delete && c.cleanup_compact ? "compact,delete"
                        : c.cleanup_compact                   ? "compact"
                                                              : "delete");
  row("retention.ms", limit(c.retention_ms));
  row("retention.bytes", limit(c.retention_bytes));
  row("segment.bytes", str(c.segment_bytes));
  row("segment.ms", str(c.segment_ms));
  if (c.cleanup_compact) {
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2f", c.min_cleanable_dirty_ratio);
    row("min.cleanable.dirty.ratio", ratio);
    row("min.compaction.lag.ms", str(c.min_compaction_lag_ms));
    row("delete.retention.ms", str(c.delete_retention_ms));
  }
  row("flush.messages", limit(c.flush_messages));
  row("flush.ms", limit(c.flush_ms));
  row("sim.os.dirty.expire.ms", str(c.os_dirty_expire_ms));
}

void dynamic_settings(const kafka::DynamicConfigs& d, BrokerId self) {
  if (d.empty()) return;
  if (!ImGui::TreeNodeEx("dynamic", ImGuiTreeNodeFlags_DefaultOpen, "Dynamic configs")) return;
  explain_hovered("dynamic configs");
  if (begin_grid("dyn", {{"entity", nullptr}, {"setting", nullptr}, {"value", nullptr}})) {
    auto rows = [](const std::string& who, const kafka::DynamicConfigs::Settings& s) {
      for (const auto& [key, value] : s) {
        ImGui::TableNextRow();
        cell(who);
        ImGui::TableNextColumn();
        term_text(key.c_str());
        cell(kafka::config_value_text(value));
      }
    };
    for (const auto& [topic, s] : d.topics())
      rows("topic " + topic, s);
    for (const auto& [broker, s] : d.brokers()) {
      if (broker.empty() || broker == std::to_string(self))
        rows(broker.empty() ? "cluster default" : "broker " + broker, s);
    }
    ImGui::EndTable();
  }
  ImGui::TreePop();
}

const char* role_name(kafka::ReplicaManager::Role r) {
  switch (r) {
    case kafka::ReplicaManager::Role::leader:
      return "leader";
    case kafka::ReplicaManager::Role::follower:
      return "follower";
    case kafka::ReplicaManager::Role::none:
      break;
  }
  return "none";
}

void replicas_hosted(AppState& app, const kafka::ReplicaManager& rm) {
  if (!ImGui::CollapsingHeader("Replicas hosted", ImGuiTreeNodeFlags_DefaultOpen)) return;
  if (rm.partitions().empty()) ImGui::TextDisabled("none");
  int64_t records = 0;
  if (!rm.partitions().empty() && begin_grid("hosted",
                                             {{"partition", "partition"},
                                              {"role", "role"},
                                              {"leader", "leader"},
                                              {"epoch", "leader epoch"},
                                              {"LEO", "log end offset"},
                                              {"HW", "high watermark"},
                                              {"start", "log start offset"},
                                              {"ISR", "ISR"}},
                                             static_cast<int>(rm.partitions().size()))) {
    for (const auto& [tp, p] : rm.partitions()) {
      records += static_cast<int64_t>(p.log.record_count());
      ImGui::TableNextRow();
      partition_cell(app, tp.str());
      const bool leads = p.role == kafka::ReplicaManager::Role::leader;
      cell(leads ? kWarn : text_colour(), role_name(p.role));
      cell(leader_text(p.leader));
      cell(str(p.leader_epoch));
      cell(str(p.log.log_end_offset()));
      cell(str(p.log.high_watermark()));
      cell(str(p.log.log_start_offset()));
      if (leads) {
        const bool short_isr = static_cast<int64_t>(p.isr.size()) < p.min_isr;
        cell(short_isr ? kBad : text_colour(),
             ids(p.isr) + (p.pending_isr ? " -> " + ids(*p.pending_isr) : ""));
      } else {
        cell("-");
      }
    }
    ImGui::EndTable();
  }
  if (begin_props("requests")) {
    row("records", str(records));
    row("delayed produce", str(static_cast<int64_t>(rm.delayed_produces())));
    row("delayed fetch", str(static_cast<int64_t>(rm.delayed_fetches())));
    const std::vector<BrokerId> f = rm.fetches_in_flight();
    row("follower fetches in flight", f.empty() ? "none" : "to " + ids(f));
    ImGui::EndTable();
  }
}

void recent_events(const world::World& w, int32_t id) {
  if (!ImGui::CollapsingHeader("Recent events")) return;
  const auto& recs = w.trace().records();
  std::vector<size_t> found;
  for (size_t k = 0; k < recs.size() && k < kRecentScanMax && found.size() < kRecentEventsMax;
       ++k) {
    const size_t i = recs.size() - 1 - k;
    if (recs[i].node == id) found.push_back(i);
  }
  if (found.empty()) ImGui::TextDisabled("none in the event log");
  for (auto it = found.rbegin(); it != found.rend(); ++it) {
    ImGui::TextDisabled("%s", sim::format_clock(recs[*it].at).c_str());
    ImGui::SameLine();
    ImGui::TextWrapped("%s", recs[*it].reason.c_str());
  }
}

void errors_table(const std::map<kafka::Errc, int64_t>& errors) {
  if (errors.empty()) {
    ImGui::TextDisabled("no errors");
    return;
  }
  if (!begin_grid("errors", {{"error", "errors"}, {"code", nullptr}, {"count", nullptr}})) return;
  for (const auto& [e, count] : errors) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string name(kafka::errc_name(e));
    term_text(name.c_str());
    cell(str(static_cast<int>(e)));
    cell(kBad, str(count));
  }
  ImGui::EndTable();
}

// [SECTION] KRaft node: quorum, controller, broker lifecycle -----------------------------------

void quorum(const kafka::raft::Raft& r, const kafka::MetadataImage& img, bool zookeeper) {
  if (!begin_props("quorum")) return;
  const bool leads = r.is_leader();
  row("quorum role", leads ? kWarn : text_colour(),
      std::string(kafka::raft::role_name(r.role())) + (r.is_voter() ? " (a voter)" : ""));
  row(zookeeper ? "ensemble" : "controller.quorum.voters", ids(r.voters()));
  row(zookeeper ? "ZooKeeper epoch" : "quorum epoch", str(r.epoch()));
  row(zookeeper ? "ZooKeeper leader" : "quorum leader", leader_text(r.leader_id()));
  if (r.is_voter()) row("voted for", leader_text(r.voted_for()));
  row(zookeeper ? "transaction log end" : "metadata log end offset", str(r.log().end_offset()));
  row(zookeeper ? "committed transactions" : "metadata high watermark", str(r.high_watermark()));
  if (!zookeeper) row("metadata offset", str(img.offset()));
  ImGui::EndTable();
  if (leads && !r.voter_end_offsets().empty() &&
      begin_grid("voters", {{"voter", "voter"}, {"end offset", "voter end offsets"}})) {
    for (const auto& [v, end] : r.voter_end_offsets()) {
      ImGui::TableNextRow();
      cell(str(v));
      cell(end < 0 ? "unknown" : str(end));
    }
    ImGui::EndTable();
  }
}

void controller_brokers(const world::World& w, const kafka::QuorumController& c) {
  const kafka::MetadataImage* img = c.image();
  if (img == nullptr) {
    ImGui::TextDisabled("not active: a standby voter (it replicates the metadata log)");
    return;
  }
  ImGui::TextColored(kWarn, "active controller");
  explain_hovered("active controller");
  if (!begin_grid("brokers", {{"broker", "broker"},
                              {"broker epoch", "broker epoch"},
                              {"state", "fenced"},
                              {"rack", "rack"},
                              {"last heartbeat", "last heartbeat"}}))
    return;
  for (const auto& [id, b] : img->brokers()) {
    ImGui::TableNextRow();
    cell(str(id));
    cell(str(b.epoch));
    if (b.in_controlled_shutdown)
      cell(kWarn, "controlled shutdown");
    else
      cell(b.fenced ? kBad : kGood, b.fenced ? "fenced" : "unfenced");
    cell(b.rack.empty() ? "-" : b.rack);
    const auto it = c.last_contact().find(id);
    cell(it == c.last_contact().end() ? "-" : ago(w.now(), it->second));
  }
  ImGui::EndTable();
}

void broker_lifecycle(const kafka::BrokerLifecycle& b, const kafka::KafkaNode& k, BrokerId self) {
  if (!begin_props("lifecycle")) return;
  const auto s = b.state();
  const bool ok = s == kafka::BrokerLifecycle::State::running;
  row("lifecycle state", ok ? kGood : kWarn, kafka::BrokerLifecycle::state_name(s));
  row("broker epoch", str(b.broker_epoch()));
  row("known controller", leader_text(b.controller()));
  if (const kafka::BrokerRegistration* r = k.image().broker(self))
    row("fenced", r->fenced ? kBad : kGood, r->fenced ? "yes (in its own metadata)" : "no");
  row("rack", k.config().rack.empty() ? "-" : k.config().rack);
  ImGui::EndTable();
}

void kafka_node(AppState& app, const kafka::KafkaNode& k, BrokerId self) {
  const world::World& w = app.world;
  if (ImGui::CollapsingHeader("Metadata quorum (KRaft)", ImGuiTreeNodeFlags_DefaultOpen))
    quorum(k.raft(), k.image(), false);
  if (const kafka::QuorumController* c = k.controller()) {
    if (ImGui::CollapsingHeader("Controller", ImGuiTreeNodeFlags_DefaultOpen))
      controller_brokers(w, *c);
  }
  if (const kafka::BrokerLifecycle* b = k.broker()) {
    if (ImGui::CollapsingHeader("Broker", ImGuiTreeNodeFlags_DefaultOpen))
      broker_lifecycle(*b, k, self);
  }
  if (const kafka::ReplicaManager* rm = k.replicas()) replicas_hosted(app, *rm);
  if (ImGui::CollapsingHeader("Settings")) {
    kafka_settings("kcfg", k.config().config);
    if (k.config().broker && ImGui::TreeNodeEx("logdefaults", 0, "Log defaults")) {
      if (begin_props("logdef", 2.6f)) {
        log_settings_rows(k.config().replication.default_log);
        ImGui::EndTable();
      }
      ImGui::TreePop();
    }
    if (const kafka::ReplicaManager* rm = k.replicas()) dynamic_settings(rm->configs(), self);
  }
}

// [SECTION] ZooKeeper mode: broker, ZooKeeper server -------------------------------------------

const char* zk_state_name(kafka::zk::ZkClient::State s) {
  switch (s) {
    case kafka::zk::ZkClient::State::connected:
      return "connected";
    case kafka::zk::ZkClient::State::connecting:
      return "connecting";
    case kafka::zk::ZkClient::State::disconnected:
      break;
  }
  return "disconnected";
}

const char* zk_controller_state(kafka::zkmode::ZkController::State s) {
  switch (s) {
    case kafka::zkmode::ZkController::State::bumping_epoch:
      return "bumping the controller epoch";
    case kafka::zkmode::ZkController::State::loading:
      return "loading state from ZooKeeper";
    case kafka::zkmode::ZkController::State::active:
      return "active";
    case kafka::zkmode::ZkController::State::resigned:
      break;
  }
  return "resigned";
}

void zk_broker(AppState& app, const kafka::zkmode::ZkBroker& b, BrokerId self) {
  if (ImGui::CollapsingHeader("Broker (ZooKeeper mode)", ImGuiTreeNodeFlags_DefaultOpen) &&
      begin_props("zkb")) {
    const kafka::zk::ZkClient& zk = b.zk();
    const bool connected = zk.state() == kafka::zk::ZkClient::State::connected;
    row("session", connected ? kGood : kBad,
        std::string(zk_state_name(zk.state())) +
            (zk.session() != 0 ? ", id " + str(zk.session()) : ""));
    row("ZooKeeper server", leader_text(zk.server()));
    row("zookeeper.session.timeout.ms", str(b.config().zookeeper_session_timeout_ms));
    row("in-flight requests", str(static_cast<int64_t>(zk.requests_in_flight())) + " sent, " +
                                  str(static_cast<int64_t>(zk.requests_waiting())) + " waiting");
    row("registered", b.registered() ? kGood : kBad, yes_no(b.registered()));
    row("broker epoch", str(b.broker_epoch()));
    row("known controller", leader_text(b.known_controller()));
    row("controller epoch", str(b.highest_controller_epoch()));
    row("rack", b.config().rack.empty() ? "-" : b.config().rack);
    ImGui::EndTable();
  }
  if (const kafka::zkmode::ZkController* c = b.controller()) {
    if (ImGui::CollapsingHeader("Controller (ZooKeeper mode)", ImGuiTreeNodeFlags_DefaultOpen) &&
        begin_props("zkc")) {
      row("controller state", c->active() ? kWarn : text_colour(), zk_controller_state(c->state()));
      row("controller epoch", str(c->epoch()));
      row("brokers", str(static_cast<int64_t>(c->image().brokers().size())) + " live");
      ImGui::EndTable();
    }
  }
  replicas_hosted(app, b.replicas());
  if (ImGui::CollapsingHeader("Settings")) {
    kafka_settings("zkcfg", b.config().config);
    if (ImGui::TreeNodeEx("logdefaults", 0, "Log defaults")) {
      if (begin_props("logdef", 2.6f)) {
        log_settings_rows(b.config().replication.default_log);
        ImGui::EndTable();
      }
      ImGui::TreePop();
    }
    dynamic_settings(b.configs(), self);
  }
}

void zk_server(const kafka::zk::ZkServer& z) {
  if (ImGui::CollapsingHeader("ZooKeeper server", ImGuiTreeNodeFlags_DefaultOpen)) {
    quorum(z.raft(), kafka::MetadataImage{}, true);
    if (begin_props("zks")) {
      row("serving", z.serving() ? kGood : kWarn, yes_no(z.serving()));
      row("znodes", str(static_cast<int64_t>(z.tree().nodes().size())));
      row("sessions", str(static_cast<int64_t>(z.tree().sessions().size())));
      ImGui::EndTable();
    }
  }
  if (ImGui::CollapsingHeader("Connections", ImGuiTreeNodeFlags_DefaultOpen)) {
    if (z.connections().empty()) ImGui::TextDisabled("no clients connected");
    if (!z.connections().empty() &&
        begin_grid("conns", {{"client", nullptr}, {"session", "session"}})) {
      for (const auto& [client, session] : z.connections()) {
        ImGui::TableNextRow();
        cell(str(client));
        cell(str(session));
      }
      ImGui::EndTable();
    }
  }
}

// [SECTION] clients: producer, consumer --------------------------------------------------------

void producer_settings(const kafka::ProducerConfig& c) {
  if (!begin_props("pcfg", 2.6f)) return;
  row("client.id", c.client_id);
  row("bootstrap.servers", ids(c.bootstrap));
  row("rate", c.records >= 0 ? str(c.records) + " records, as fast as it can"
                             : str(static_cast<int64_t>(c.rate)) + " records/s");
  row("acks", c.acks == -1 ? "all (-1)" : str(c.acks));
  row("enable.idempotence", c.enable_idempotence ? "true" : "false");
  row("linger.ms", str(c.linger_ms));
  row("batch.size", str(c.batch_size));
  row("max.in.flight.requests.per.connection", str(c.max_in_flight_requests_per_connection));
  row("retries", str(c.retries));
  row("retry.backoff.ms", str(c.retry_backoff_ms));
  row("retry.backoff.max.ms", str(c.retry_backoff_max_ms));
  row("request.timeout.ms", str(c.request_timeout_ms));
  row("delivery.timeout.ms", str(c.delivery_timeout_ms));
  row("buffer.memory", str(c.buffer_memory));
  row("metadata.max.age.ms", str(c.metadata_max_age_ms));
  row("partitioner.ignore.keys", c.partitioner_ignore_keys ? "true" : "false");
  row("partitioner.adaptive.partitioning.enable",
      c.partitioner_adaptive_partitioning_enable ? "true" : "false");
  ImGui::EndTable();
}

void producer_partitions(AppState& app, const kafka::Producer& p) {
  const auto& leaders = p.leaders();
  if (leaders.empty()) {
    ImGui::TextDisabled("no metadata yet");
    return;
  }
  const auto queued = p.queued_batches();
  if (!begin_grid("ppart", {{"partition", "partition"},
                            {"leader", "leaders known"},
                            {"next sequence", "next sequence"},
                            {"queued batches", "accumulator"}}))
    return;
  for (size_t i = 0; i < leaders.size(); ++i) {
    const int32_t part = static_cast<int32_t>(i);
    ImGui::TableNextRow();
    partition_cell(app, p.config().topic + "-" + std::to_string(part));
    cell(leader_text(leaders[i]));
    cell(str(p.next_sequence(part)));
    const auto q = queued.find(part);
    cell(q == queued.end() ? "0" : str(static_cast<int64_t>(q->second)));
  }
  ImGui::EndTable();
}

/// The last records the producer made, each with where it is and a button that follows it
/// (its journey: produce request, append, replication, HW, ack, consumers).
void producer_records(AppState& app, const kafka::Producer& p) {
  const kafka::Producer::History& h = p.history();
  if (h.empty()) {
    ImGui::TextDisabled("none made yet");
    return;
  }
  if (!begin_grid("precs", {{"record", nullptr},
                            {"partition", "partition"},
                            {"offset", "offset"},
                            {"state", nullptr},
                            {"", nullptr}}))
    return;
  constexpr size_t kShown = 6;
  for (size_t k = h.size() > kShown ? h.size() - kShown : 0; k < h.size(); ++k) {
    const kafka::SentRecord& r = h[k];
    const uint64_t origin = kafka::Producer::origin(p.config().index, k);
    const kafka::TopicPartitionName tp{p.config().topic, r.partition};
    ImGui::TableNextRow();
    const bool followed = app.followed && app.followed->origin == origin;
    cell(followed ? kWarn : text_colour(), "#" + str(static_cast<int64_t>(k)));
    if (r.partition < 0) {
      cell("not placed yet");
    } else {
      partition_cell(app, tp.str());
    }
    cell(r.offset == kafka::kNoOffset ? "-" : str(r.offset));
    switch (r.state) {
      case kafka::SentRecord::State::acked:
        cell(kGood, "acknowledged");
        break;
      case kafka::SentRecord::State::failed:
        cell(kBad, std::string(kafka::errc_name(r.error)));
        break;
      case kafka::SentRecord::State::pending: {
        const int attempt = p.request_carrying(origin).attempt;
        cell(attempt == 0   ? "in the accumulator"
             : attempt == 1 ? "in a produce request"
                            : "in a produce request, attempt " + str(attempt));
        break;
      }
    }
    ImGui::TableNextColumn();
    ImGui::BeginDisabled(r.partition < 0);
    ImGui::PushID(static_cast<int>(k));
    if (ImGui::SmallButton(followed ? "following" : "follow")) {
      app.followed = FollowedRecord{tp, r.offset, origin};
      app.selected.partition = tp.str();
    }
    ImGui::PopID();
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
      ImGui::SetTooltip(r.partition < 0 ? "not in a partition yet (no metadata)"
                                        : "follow this record: the cluster view marks where it "
                                          "is; Shift+Right steps through its journey");
  }
  ImGui::EndTable();
}

void producer(AppState& app, const kafka::Producer& p) {
  if (ImGui::CollapsingHeader("Producer", ImGuiTreeNodeFlags_DefaultOpen) && begin_props("prod")) {
    row("producer id", p.producer_id() < 0 ? "none yet" : str(p.producer_id()));
    row("producer epoch", str(p.producer_epoch()));
    const int64_t made = static_cast<int64_t>(p.history().size());
    row("acked", kGood, str(p.acked()));
    row("failed", p.failed() > 0 ? kBad : text_colour(), str(p.failed()));
    row("pending", str(made - p.acked() - p.failed()));
    row("in-flight requests", str(p.in_flight_requests()));
    ImGui::EndTable();
  }
  if (ImGui::CollapsingHeader("In-flight requests", ImGuiTreeNodeFlags_DefaultOpen)) {
    const auto v = p.in_flight_view();
    if (v.empty()) ImGui::TextDisabled("none");
    if (!v.empty() && begin_grid("pinf", {{"correlation id", nullptr},
                                          {"broker", "broker"},
                                          {"batches", nullptr},
                                          {"records", nullptr},
                                          {"attempt", "retries/backoff"}})) {
      for (const auto& f : v) {
        ImGui::TableNextRow();
        cell(str(f.correlation_id));
        cell(str(f.broker));
        cell(str(static_cast<int64_t>(f.batches)));
        cell(str(static_cast<int64_t>(f.records)));
        cell(f.attempts > 1 ? kWarn : text_colour(), str(f.attempts));
      }
      ImGui::EndTable();
    }
  }
  if (ImGui::CollapsingHeader("Latest records", ImGuiTreeNodeFlags_DefaultOpen))
    producer_records(app, p);
  const std::string parts = "Partitions of " + p.config().topic;
  if (ImGui::CollapsingHeader(parts.c_str(), ImGuiTreeNodeFlags_DefaultOpen))
    producer_partitions(app, p);
  if (ImGui::CollapsingHeader("Errors", ImGuiTreeNodeFlags_DefaultOpen)) errors_table(p.errors());
  if (ImGui::CollapsingHeader("Settings")) producer_settings(p.config());
}

void consumer_settings(const kafka::ConsumerConfig& c) {
  if (!begin_props("ccfg", 2.6f)) return;
  row("client.id", c.client_id);
  row("bootstrap.servers", ids(c.bootstrap));
  std::string topics;
  for (const auto& t : c.topics)
    topics += (topics.empty() ? "" : ", ") + t;
  row("topics", topics + (c.partitions.empty() ? " (every partition)" : " (some partitions)"));
  row("auto.offset.reset", c.auto_offset_reset);
  row("fetch.min.bytes", str(c.fetch_min_bytes));
  row("fetch.max.wait.ms", str(c.fetch_max_wait_ms));
  row("max.partition.fetch.bytes", str(c.max_partition_fetch_bytes));
  row("fetch.max.bytes", str(c.fetch_max_bytes));
  row("request.timeout.ms", str(c.request_timeout_ms));
  row("retry.backoff.ms", str(c.retry_backoff_ms));
  row("metadata.max.age.ms", str(c.metadata_max_age_ms));
  ImGui::EndTable();
}

void consumer_assignment(AppState& app, const kafka::Consumer& c) {
  const world::World& w = app.world;
  if (c.assignment().empty()) {
    ImGui::TextDisabled("nothing assigned yet");
    return;
  }
  if (!begin_grid("cassign", {{"partition", "partition"},
                              {"position", "position"},
                              {"leader", "leaders known"},
                              {"leader epoch", "leader epoch"},
                              {"HW", "high watermark"},
                              {"lag", "lag"}}))
    return;
  for (const auto& [tp, a] : c.assignment()) {
    ImGui::TableNextRow();
    partition_cell(app, tp.str());
    cell(a.listing ? kWarn : text_colour(),
         a.position < 0 ? (a.listing ? "listing offsets" : "unknown") : str(a.position));
    cell(leader_text(a.leader));
    cell(str(a.leader_epoch));
    const int32_t leader = world::partition_leader(w, tp.str());
    const auto* hosted = leader < 0 ? nullptr : hosted_replica(w, leader, tp);
    const Offset hw = hosted == nullptr ? kafka::kNoOffset : hosted->log.high_watermark();
    cell(hw < 0 ? "-" : str(hw));
    cell(hw < 0 || a.position < 0 ? "-" : str(std::max<Offset>(0, hw - a.position)));
  }
  ImGui::EndTable();
}

void consumer(AppState& app, const kafka::Consumer& c) {
  if (ImGui::CollapsingHeader("Consumer", ImGuiTreeNodeFlags_DefaultOpen) && begin_props("cons")) {
    row("consumed", kGood, str(static_cast<int64_t>(c.deliveries().size())));
    row("order violations", c.order_violations() > 0 ? kBad : text_colour(),
        str(c.order_violations()));
    std::string fetches;
    for (const auto& [b, corr] : c.fetches_in_flight())
      fetches += (fetches.empty() ? "to " : ", ") + str(b);
    row("fetches in flight", fetches.empty() ? "none" : fetches);
    row("metadata request", c.metadata_in_flight() ? "in flight" : "none");
    ImGui::EndTable();
  }
  if (ImGui::CollapsingHeader("Assigned partitions", ImGuiTreeNodeFlags_DefaultOpen))
    consumer_assignment(app, c);
  if (ImGui::CollapsingHeader("Errors", ImGuiTreeNodeFlags_DefaultOpen)) errors_table(c.errors());
  if (ImGui::CollapsingHeader("Settings")) consumer_settings(c.config());
}

void node_section(AppState& app) {
  const world::World& w = app.world;
  const net::NodeIndex i = static_cast<net::NodeIndex>(app.selected.node);
  const world::World::Node& n = w.node(i);
  ImGui::PushID("node");
  identity(w, i);
  if (const auto* k = std::get_if<kafka::KafkaNode>(&n.impl)) kafka_node(app, *k, n.id);
  if (const auto* b = std::get_if<kafka::zkmode::ZkBroker>(&n.impl)) zk_broker(app, *b, n.id);
  if (const auto* z = std::get_if<kafka::zk::ZkServer>(&n.impl)) zk_server(*z);
  if (const auto* p = std::get_if<kafka::Producer>(&n.impl)) producer(app, *p);
  if (const auto* c = std::get_if<kafka::Consumer>(&n.impl)) consumer(app, *c);
  recent_events(w, n.id);
  ImGui::PopID();
}

// [SECTION] partition --------------------------------------------------------------------------

void partition_registration(const kafka::PartitionRegistration& p) {
  if (!begin_props("preg")) return;
  row("replicas", ids(p.replicas));
  row("preferred leader", p.replicas.empty() ? "-" : str(p.replicas.front()));
  if (p.has_leader())
    row("leader", kWarn, str(p.leader));
  else
    row("leader", kBad, "none (offline)");
  const bool under = p.isr.size() < p.replicas.size();
  row("ISR", under ? kWarn : kGood, ids(p.isr) + (under ? "  (under-replicated)" : ""));
  row("leader epoch", str(p.leader_epoch));
  row("partition epoch", str(p.partition_epoch));
  row("leader recovery state", kafka::leader_recovery_state_name(p.leader_recovery_state));
  if (p.is_reassigning()) {
    row("adding replicas", ids(p.adding_replicas));
    row("removing replicas", ids(p.removing_replicas));
  }
  ImGui::EndTable();
}

struct Hosted {
  BrokerId broker;
  const kafka::ReplicaManager::HostedPartition* p;
};

void replicas_grid(const world::World& w, const std::vector<Hosted>& hosts) {
  if (!begin_grid("prep",
                  {{"broker", "broker"},
                   {"status", "node status"},
                   {"role", "role"},
                   {"epoch", "leader epoch"},
                   {"LEO", "log end offset"},
                   {"HW", "high watermark"},
                   {"start", "log start offset"},
                   {"ckpt HW", "checkpointed HW"}},
                  static_cast<int>(hosts.size())))
    return;
  for (const Hosted& h : hosts) {
    ImGui::TableNextRow();
    cell(str(h.broker));
    const int idx = w.index_of(h.broker);
    if (idx < 0) {
      cell("-");
    } else {
      const world::NodeStatus st = w.node(static_cast<net::NodeIndex>(idx)).status;
      cell(ImGui::ColorConvertU32ToFloat4(status_colour(st)), world::node_status_name(st));
    }
    if (h.p == nullptr) {
      cell("no replica");
      continue;
    }
    cell(h.p->role == kafka::ReplicaManager::Role::leader ? kWarn : text_colour(),
         role_name(h.p->role));
    cell(str(h.p->leader_epoch));
    cell(str(h.p->log.log_end_offset()));
    cell(str(h.p->log.high_watermark()));
    cell(str(h.p->log.log_start_offset()));
    cell(str(h.p->log.checkpointed_high_watermark()));
  }
  ImGui::EndTable();
}

/// The leader's bookkeeping of its followers: how far each has fetched and when it was last
/// caught up (what decides ISR membership).
void followers_grid(const world::World& w, BrokerId leader_id,
                    const kafka::ReplicaManager::HostedPartition& leader) {
  if (leader.followers.empty()) return;
  ImGui::TextDisabled("as leader %d tracks its followers:", leader_id);
  if (!begin_grid("follow",
                  {{"follower", "follower"},
                   {"in ISR", "ISR"},
                   {"LEO", "follower LEO"},
                   {"behind", "log end offset"},
                   {"last caught up", "last caught up"}},
                  static_cast<int>(leader.followers.size())))
    return;
  const Offset leo = leader.log.log_end_offset();
  for (const auto& [b, f] : leader.followers) {
    const bool in_isr = std::find(leader.isr.begin(), leader.isr.end(), b) != leader.isr.end();
    ImGui::TableNextRow();
    cell(str(b));
    cell(in_isr ? kGood : kBad, yes_no(in_isr));
    cell(f.leo < 0 ? "unknown" : str(f.leo));
    cell(f.leo < 0 ? "-" : str(leo - f.leo));
    cell(f.last_caught_up == sim::Time::zero() ? "not under this leader"
                                               : ago(w.now(), f.last_caught_up));
  }
  ImGui::EndTable();
}

void epoch_cache(const kafka::PartitionLog& log) {
  const auto& entries = log.epochs().entries();
  if (entries.empty()) {
    ImGui::TextDisabled("leader epoch cache: empty");
    return;
  }
  if (!begin_grid("epochs",
                  {{"leader epoch", "leader epoch cache"}, {"start offset", "leader epoch cache"}}))
    return;
  for (const kafka::EpochEntry& e : entries) {
    ImGui::TableNextRow();
    cell(str(e.epoch));
    cell(str(e.start_offset));
  }
  ImGui::EndTable();
}

void segments(const world::World& w, const kafka::PartitionLog& log) {
  const auto& segs = log.segments();
  if (!begin_grid("segs", {{"base offset", "base offset"},
                           {"batches", nullptr},
                           {"next offset", nullptr},
                           {"bytes", "segment.bytes"},
                           {"created", nullptr}}))
    return;
  const int first = std::max(0, static_cast<int>(segs.size()) - kSegmentsShownMax);
  for (int i = first; i < static_cast<int>(segs.size()); ++i) {
    const kafka::Segment& s = segs[i];
    ImGui::TableNextRow();
    cell(str(s.base_offset));
    cell(str(static_cast<int64_t>(s.batches.size())));
    cell(str(s.next_offset(log.log_end_offset())));
    cell(str(s.size_bytes));
    cell(ago(w.now(), s.created_at));
  }
  ImGui::EndTable();
}

void producer_state(const kafka::PartitionLog& log) {
  const auto& ps = log.producers().producers();
  if (ps.empty()) {
    ImGui::TextDisabled("producer state: no idempotent producer has written here");
    return;
  }
  if (!begin_grid("pstate", {{"producer id", "producer id"},
                             {"epoch", "producer epoch"},
                             {"last sequence", "sequence number"},
                             {"at offset", nullptr},
                             {"batches kept", "producer state"}}))
    return;
  for (const auto& [pid, e] : ps) {
    ImGui::TableNextRow();
    cell(str(pid));
    cell(str(e.epoch));
    if (e.batches.empty()) {
      cell("-");
      cell("-");
    } else {
      cell(str(e.batches.back().last_seq));
      cell(str(e.batches.back().last_offset));
    }
    cell(str(static_cast<int64_t>(e.batches.size())));
  }
  ImGui::EndTable();
}

void replica_details(const world::World& w, const std::vector<Hosted>& hosts) {
  for (const Hosted& h : hosts) {
    if (h.p == nullptr) continue;
    const kafka::PartitionLog& log = h.p->log;
    const std::string label = "replica on " + str(h.broker) + "  (" +
                              str(static_cast<int64_t>(log.record_count())) + " records, " +
                              str(static_cast<int64_t>(log.segments().size())) + " segments)";
    ImGui::PushID(h.broker);
    if (ImGui::TreeNodeEx("replica", 0, "%s", label.c_str())) {
      term_text("leader epoch cache");
      epoch_cache(log);
      term_text("segment", "segments");
      segments(w, log);
      term_text("producer state");
      producer_state(log);
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
}

/// Settings a topic's replicas run with, as the leader (or any replica) resolved them.
void topic_settings(const std::string& topic, const kafka::MetadataImage& img,
                    const std::vector<Hosted>& hosts,
                    const kafka::ReplicaManager::HostedPartition* leader) {
  const kafka::ReplicaManager::HostedPartition* any = leader;
  for (const Hosted& h : hosts)
    if (any == nullptr) any = h.p;
  if (any == nullptr) {
    ImGui::TextDisabled("no replica to read the settings from");
    return;
  }
  if (begin_props("tcfg", 2.6f)) {
    row("min.insync.replicas", str(any->min_isr));
    log_settings_rows(any->log.config());
    ImGui::EndTable();
  }
  const kafka::DynamicConfigs::Settings* s = img.configs().topic(topic);
  if (s != nullptr && !s->empty()) {
    ImGui::TextDisabled("set dynamically on topic %s:", topic.c_str());
    if (begin_props("tdyn")) {
      for (const auto& [key, value] : *s)
        row(key.c_str(), kWarn, kafka::config_value_text(value));
      ImGui::EndTable();
    }
  }
}

void partition_section(AppState& app) {
  const world::World& w = app.world;
  const std::string& name = app.selected.partition;
  const kafka::MetadataImage* img = world::cluster_image(w);
  const auto tp = world::find_partition(img, name);
  const auto split = world::split_partition_name(name);
  if (!tp || !split) {
    ImGui::TextDisabled("%s: not in the cluster's metadata (yet)", name.c_str());
    return;
  }
  const kafka::PartitionRegistration* reg = img->partition(*tp);
  ImGui::PushID("partition");
  if (ImGui::CollapsingHeader("As the active controller sees it", ImGuiTreeNodeFlags_DefaultOpen))
    partition_registration(*reg);
  const kafka::TopicPartitionName tpn{split->first, split->second};
  std::vector<Hosted> hosts;
  const kafka::ReplicaManager::HostedPartition* leader = nullptr;
  for (BrokerId b : reg->replicas) {
    hosts.push_back({b, hosted_replica(w, b, tpn)});
    if (b == reg->leader) leader = hosts.back().p;
  }
  if (ImGui::CollapsingHeader("Replicas", ImGuiTreeNodeFlags_DefaultOpen)) {
    replicas_grid(w, hosts);
    if (leader != nullptr) followers_grid(w, reg->leader, *leader);
    replica_details(w, hosts);
  }
  if (ImGui::CollapsingHeader("What each broker believes")) {
    if (begin_grid("views", {{"broker", "broker"},
                             {"leader", "view of"},
                             {"leader epoch", "leader epoch"},
                             {"ISR", "ISR"}})) {
      for (const auto& n : w.nodes()) {
        const kafka::MetadataImage* v = broker_view(w, n.id);
        const kafka::PartitionRegistration* pr = v == nullptr ? nullptr : v->partition(*tp);
        if (pr == nullptr) continue;
        const bool stale = pr->leader_epoch != reg->leader_epoch;
        ImGui::TableNextRow();
        cell(str(n.id));
        cell(stale ? kWarn : text_colour(), leader_text(pr->leader));
        cell(stale ? kWarn : text_colour(), str(pr->leader_epoch));
        cell(ids(pr->isr));
      }
      ImGui::EndTable();
    }
  }
  if (ImGui::CollapsingHeader("Topic configs")) topic_settings(split->first, *img, hosts, leader);
  ImGui::PopID();
}

}  // namespace

// [SECTION] panel ------------------------------------------------------------------------------

void term_text(const char* term, const char* shown) {
  const char* text = shown != nullptr ? shown : term;
  if (explain(term) == nullptr) {
    ImGui::TextUnformatted(text);
    return;
  }
  ImGui::TextColored(kHint, "%s", text);
  dotted_underline();
  explain_hovered(term);
}

void term_label(const char* term, const char* fmt, ...) {
  char buf[512];
  va_list args;
  va_start(args, fmt);
  std::vsnprintf(buf, sizeof buf, fmt, args);
  va_end(args);
  row(term, buf);
}

void InspectorPanel::draw_contents(AppState& app) {
  pickers(app);
  ImGui::TextDisabled("Words in");
  ImGui::SameLine(0, 4);
  ImGui::TextColored(kHint, "blue");
  ImGui::SameLine(0, 4);
  ImGui::TextDisabled("explain themselves: hover them.");
  ImGui::Separator();
  ImGui::BeginChild("inspector", ImVec2(0, 0), false);
  const bool node = app.selected.node >= 0;
  const bool part = !app.selected.partition.empty();
  if (!node && !part) {
    ImGui::TextWrapped(
        "Click a node in the cluster view, or pick a node or a partition above, to see its full "
        "state.");
  }
  if (node) {
    const auto& n = app.world.node(static_cast<net::NodeIndex>(app.selected.node));
    title(n.name.c_str());
    node_section(app);
  }
  if (part) {
    title(("partition " + app.selected.partition).c_str());
    partition_section(app);
  }
  ImGui::EndChild();
}

}  // namespace kafkasim::gui
