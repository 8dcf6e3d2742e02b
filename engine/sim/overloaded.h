// overloaded{lambda...}: the usual helper to std::visit a variant with one lambda per type.
#pragma once

namespace kafkasim::sim {

template <class... Ts>
struct overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
overloaded(Ts...) -> overloaded<Ts...>;

}  // namespace kafkasim::sim
