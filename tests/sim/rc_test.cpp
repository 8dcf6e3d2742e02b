#include "sim/rc.h"

#include <catch2/catch.hpp>
#include <string>
#include <type_traits>
#include <vector>

using kafkasim::sim::make_rc;
using kafkasim::sim::Rc;

namespace {
// Counts its destructions, to show a shared value is freed once, with its last handle.
struct Counted {
  explicit Counted(int* d, std::string t) : destroyed(d), text(std::move(t)) {}
  Counted(const Counted&) = delete;
  ~Counted() { ++*destroyed; }
  int* destroyed;
  std::string text;
};
}  // namespace

TEST_CASE("an Rc shares one value and frees it with the last handle", "[unit][rc]") {
  int destroyed = 0;
  {
    Rc<Counted> a = make_rc<Counted>(&destroyed, "batch");
    CHECK(a.use_count() == 1);
    CHECK(a->text == "batch");
    Rc<Counted> b = a;
    CHECK(a.use_count() == 2);
    CHECK(b.get() == a.get());
    CHECK(a == b);
    {
      std::vector<Rc<Counted>> copies(5, a);
      CHECK(a.use_count() == 7);
    }
    CHECK(a.use_count() == 2);
    Rc<Counted> moved = std::move(b);
    CHECK(b == nullptr);
    CHECK(b.use_count() == 0);
    CHECK(a.use_count() == 2);
    moved.reset();
    CHECK(a.use_count() == 1);
    CHECK(destroyed == 0);
  }
  CHECK(destroyed == 1);
}

// A handle is one pointer; it gives up write access implicitly but never gains it.
static_assert(sizeof(Rc<int>) == sizeof(void*));
static_assert(std::is_convertible_v<Rc<int>, Rc<const int>>);
static_assert(!std::is_constructible_v<Rc<int>, Rc<const int>>);
static_assert(!std::is_constructible_v<Rc<long>, Rc<int>>);

TEST_CASE("an Rc to a value converts to an Rc to a const value of the same count", "[unit][rc]") {
  int destroyed = 0;
  Rc<Counted> writer = make_rc<Counted>(&destroyed, "open");
  writer->text += " batch";
  Rc<const Counted> reader = writer;
  CHECK(writer.use_count() == 2);
  CHECK(reader->text == "open batch");
  Rc<const Counted> taken = std::move(writer);
  CHECK(writer == nullptr);
  CHECK(reader.use_count() == 2);
  reader = taken;  // assigning a handle to the same value keeps the count
  CHECK(taken.use_count() == 2);
  reader = nullptr;
  CHECK(taken.use_count() == 1);
  taken = Rc<const Counted>();
  CHECK(destroyed == 1);
}

TEST_CASE("an empty Rc is false and holds nothing", "[unit][rc]") {
  Rc<int> none;
  CHECK_FALSE(none);
  CHECK(none.get() == nullptr);
  Rc<int> copy = none;
  CHECK(copy.use_count() == 0);
  Rc<int> one = make_rc<int>(7);
  CHECK(one);
  CHECK(*one == 7);
  one = copy;
  CHECK_FALSE(one);
}
