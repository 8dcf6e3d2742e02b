// The studio's glossary knows every Kafka error name and every term the inspector leans on.
#include "glossary.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "kafka/common/config.h"
#include "kafka/common/errc.h"

using kafkasim::gui::explain;

TEST_CASE("the glossary explains every Kafka error name the engine uses", "[unit]") {
#define KAFKASIM_GLOSSARY_CHECK(name, code) \
  INFO(#name);                              \
  CHECK(explain(#name) != nullptr);
  KAFKASIM_ERRORS(KAFKASIM_GLOSSARY_CHECK)
#undef KAFKASIM_GLOSSARY_CHECK
}

TEST_CASE("the glossary explains every broker setting the simulator models", "[unit]") {
  for (const auto& k : kafkasim::kafka::KafkaConfig::keys()) {
    INFO(k.name);
    CHECK(explain(k.name) != nullptr);
  }
}

TEST_CASE("the glossary explains the inspector's core terms, ignoring case", "[unit]") {
  for (const char* t : {"leader",
                        "ISR",
                        "leader epoch",
                        "partition epoch",
                        "high watermark",
                        "log end offset",
                        "log start offset",
                        "broker epoch",
                        "fenced",
                        "active controller",
                        "quorum epoch",
                        "metadata offset",
                        "acks",
                        "linger.ms",
                        "batch.size",
                        "enable.idempotence",
                        "producer id",
                        "producer epoch",
                        "sequence number",
                        "max.in.flight.requests.per.connection",
                        "delivery.timeout.ms",
                        "request.timeout.ms",
                        "retries/backoff",
                        "auto.offset.reset",
                        "position",
                        "fetch.min.bytes",
                        "fetch.max.wait.ms",
                        "min.insync.replicas",
                        "unclean.leader.election.enable",
                        "replica.lag.time.max.ms",
                        "retention.ms",
                        "retention.bytes",
                        "segment.bytes",
                        "cleanup.policy"}) {
    INFO(t);
    CHECK(explain(t) != nullptr);
  }
  CHECK(explain("isr") == explain("ISR"));
  CHECK(explain("no such term") == nullptr);
}

TEST_CASE("glossary terms are unique", "[unit]") {
  std::set<std::string> seen;
  for (auto e = kafkasim::gui::glossary_begin(); e != kafkasim::gui::glossary_end(); ++e) {
    INFO(e->term);
    CHECK(seen.insert(e->term).second);
    CHECK(std::string(e->text).size() > 10);
  }
}
