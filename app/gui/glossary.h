// Glossary: one or two plain sentences for every Kafka term the studio shows (state names,
// settings, error names), so a student can hover a word and learn what it means. The words are
// Kafka's own; the explanations are ours, written for someone meeting Kafka for the first time.
#pragma once

#include <string_view>

namespace kafkasim::gui {

/// The explanation of `term` ("ISR", "linger.ms", "NOT_LEADER_OR_FOLLOWER"...), or nullptr when
/// the glossary does not know it. Lookup ignores case.
const char* explain(std::string_view term);

/// Every term the glossary knows, in the order it lists them (for tests and a help page).
struct GlossaryEntry {
  const char* term;
  const char* text;
};
const GlossaryEntry* glossary_begin();
const GlossaryEntry* glossary_end();

}  // namespace kafkasim::gui
