// png_stats: facts about screenshots for the studio tests.
//   png_stats A.png          -> "width=W height=H colours=N busy=F" (busy: share of pixels
//                               that differ from the most common colour)
//   png_stats A.png B.png    -> "changed=F" (share of pixels that differ between A and B)
#include <stb_image.h>

#include <cstdio>
#include <map>

namespace {
struct Image {
  int w = 0, h = 0;
  unsigned char* px = nullptr;
};
bool load(const char* path, Image& img) {
  int n = 0;
  img.px = stbi_load(path, &img.w, &img.h, &n, 4);
  if (img.px == nullptr) std::fprintf(stderr, "png_stats: cannot read %s\n", path);
  return img.px != nullptr;
}
unsigned pixel(const Image& img, long i) {
  const unsigned char* p = img.px + i * 4;
  return (unsigned{p[0]} << 16) | (unsigned{p[1]} << 8) | p[2];
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: png_stats A.png [B.png]\n");
    return 2;
  }
  Image a;
  if (!load(argv[1], a)) return 1;
  const long n = static_cast<long>(a.w) * a.h;
  if (argc == 2) {
    std::map<unsigned, long> counts;
    for (long i = 0; i < n; ++i)
      ++counts[pixel(a, i)];
    long top = 0;
    for (const auto& [c, k] : counts)
      top = k > top ? k : top;
    std::printf("width=%d height=%d colours=%zu busy=%.4f\n", a.w, a.h, counts.size(),
                1.0 - static_cast<double>(top) / static_cast<double>(n));
    return 0;
  }
  Image b;
  if (!load(argv[2], b)) return 1;
  if (a.w != b.w || a.h != b.h) {
    std::printf("changed=1.0000\n");
    return 0;
  }
  long diff = 0;
  for (long i = 0; i < n; ++i)
    diff += pixel(a, i) != pixel(b, i);
  std::printf("changed=%.4f\n", static_cast<double>(diff) / static_cast<double>(n));
  return 0;
}
