// Reads the current OpenGL back buffer and writes it as a PNG (stb_image_write).
#pragma once

#include <string>

namespace kafkasim::gui {

/// Returns an empty string on success, else what went wrong.
std::string write_screenshot(const std::string& path, int width, int height);

}  // namespace kafkasim::gui
