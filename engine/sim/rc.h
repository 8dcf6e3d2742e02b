// Rc<T>: a reference-counted pointer for one thread, as Rust's Rc is to its Arc.
//
// std::shared_ptr counts with atomic instructions whenever the C library has threads (always,
// with glibc 2.34 and later), and its control block and 16-byte handle cost memory. The engine
// runs a World on one thread and shares immutable values (record batch bodies) between the
// replicas of a World and between a World and its copies, millions of them in a long run: one
// plain counter beside the value, and an 8-byte handle, are enough. An Rc must not be copied,
// and what it points at must not be shared, across threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

namespace kafkasim::sim {

namespace detail {
template <class V>
struct RcNode {
  template <class... Args>
  explicit RcNode(Args&&... args) : value(std::forward<Args>(args)...) {}
  uint32_t refs = 1;
  V value;
};
}  // namespace detail

template <class T>
class Rc {
  using Node = detail::RcNode<std::remove_const_t<T>>;

 public:
  Rc() = default;
  Rc(std::nullptr_t) {}  // NOLINT(google-explicit-constructor): as shared_ptr
  Rc(const Rc& o) : node_(o.node_) { retain(); }
  Rc(Rc&& o) noexcept : node_(std::exchange(o.node_, nullptr)) {}
  /// A handle to a mutable value converts to one to a const value (the value is then shared),
  /// implicitly, as shared_ptr<T> does to shared_ptr<const T>.
  template <class U, std::enable_if_t<std::is_same_v<T, const U>, int> = 0>
  Rc(const Rc<U>& o) : node_(o.node_) {  // NOLINT(google-explicit-constructor)
    retain();
  }
  template <class U, std::enable_if_t<std::is_same_v<T, const U>, int> = 0>
  Rc(Rc<U>&& o) noexcept  // NOLINT(google-explicit-constructor)
      : node_(std::exchange(o.node_, nullptr)) {}
  Rc& operator=(Rc o) noexcept {
    std::swap(node_, o.node_);
    return *this;
  }
  ~Rc() { release(); }

  template <class... Args>
  static Rc make(Args&&... args) {
    Rc r;
    r.node_ = new Node(std::forward<Args>(args)...);
    return r;
  }

  T* get() const { return node_ ? &node_->value : nullptr; }
  T& operator*() const { return node_->value; }
  T* operator->() const { return &node_->value; }
  explicit operator bool() const { return node_ != nullptr; }
  friend bool operator==(const Rc& r, std::nullptr_t) { return r.node_ == nullptr; }
  /// The same value (not equal values), as shared_ptr compares.
  friend bool operator==(const Rc& x, const Rc& y) { return x.node_ == y.node_; }
  /// Heap bytes one shared value takes: the value and its counter.
  static constexpr size_t node_bytes = sizeof(Node);
  /// How many handles share the value (0 for none).
  uint32_t use_count() const { return node_ ? node_->refs : 0; }
  void reset() { Rc().swap(*this); }
  void swap(Rc& o) noexcept { std::swap(node_, o.node_); }

 private:
  template <class U>
  friend class Rc;
  void retain() const {
    if (node_ != nullptr) ++node_->refs;
  }
  void release() {
    if (node_ != nullptr && --node_->refs == 0) delete node_;
  }

  Node* node_ = nullptr;
};

/// A new value shared by reference count, as std::make_shared.
template <class T, class... Args>
Rc<T> make_rc(Args&&... args) {
  return Rc<T>::make(std::forward<Args>(args)...);
}

}  // namespace kafkasim::sim
