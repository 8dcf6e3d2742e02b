// Presenter mode and the font size: how the studio is shown, not what it shows. Presenter mode
// (F5 or P, the Time bar's screen button, --presenter) switches to the high-contrast theme, a
// larger font and a layout that gives the cluster view more room; Ctrl+= / Ctrl+- make every
// text larger or smaller at any time (Ctrl+0: back to the chosen size). Changing the font
// rebuilds ImGui's font atlas and the renderer's font texture, between frames.
#pragma once

#include <string>

#include "layout.h"

namespace kafkasim::gui {

class Presentation {
 public:
  bool presenter = false;
  std::string theme = "dark";  // the everyday theme (--theme); presenter mode: high-contrast
  float font_px = 17.0f;       // the everyday font size (--font-size)
  Layouts layouts;

  /// Reads theme.toml and layout.toml in DIR; prints one warning per file in error.
  void load_assets(const std::string& dir);
  /// During a frame: F5 / P, Ctrl+= / Ctrl+- / Ctrl+0.
  void keyboard();
  /// Between frames: when the mode or font size changed, rebuilds the style, the font atlas
  /// and (once the renderer is up, i.e. after the first frame) its font texture.
  void apply();
  const LayoutSpec& layout() const { return presenter ? layouts.presenter : layouts.normal; }
  /// The font size in use now.
  float current_px() const;
  /// As if Ctrl+= / Ctrl+- had been pressed until the font is `k` times the chosen size.
  void set_zoom(float k) { zoom_ = k; }

 private:
  float zoom_ = 1.0f;  // Ctrl+= / Ctrl+-
  float applied_px_ = 0.0f;
  std::string applied_theme_;
};

}  // namespace kafkasim::gui
