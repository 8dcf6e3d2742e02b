#include "presenter.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "theme.h"

namespace kafkasim::gui {

namespace {

constexpr float kBaseFontPx = 17.0f;  // the size the layout's pixel values are made for
constexpr float kFontPxMin = 9.0f;
constexpr float kFontPxMax = 64.0f;
constexpr float kZoomStep = 1.15f;

void warn(const std::vector<std::string>& problems, const char* what) {
  if (problems.empty()) return;
  std::fprintf(
      stderr, "kafkasim-gui: warning: %s%s; built-in %s used instead\n", problems.front().c_str(),
      problems.size() > 1 ? (" (and " + std::to_string(problems.size() - 1) + " more)").c_str()
                          : "",
      what);
}

}  // namespace

void Presentation::load_assets(const std::string& dir) {
  warn(load_themes(dir + "/theme.toml"), "colours");
  warn(load_layouts(dir + "/layout.toml", layouts), "layout values");
}

void Presentation::keyboard() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_F5) || (!io.KeyCtrl && ImGui::IsKeyPressed('P')))
    presenter = !presenter;
  if (!io.KeyCtrl) return;
  if (ImGui::IsKeyPressed('=') || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD)) zoom_ *= kZoomStep;
  if (ImGui::IsKeyPressed('-') || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT)) zoom_ /= kZoomStep;
  if (ImGui::IsKeyPressed('0') || ImGui::IsKeyPressed(GLFW_KEY_KP_0)) zoom_ = 1.0f;
  zoom_ = std::clamp(zoom_, kFontPxMin / (font_px * layout().font_scale),
                     kFontPxMax / (font_px * layout().font_scale));
}

float Presentation::current_px() const {
  return std::clamp(std::round(font_px * layout().font_scale * zoom_), kFontPxMin, kFontPxMax);
}

void Presentation::apply() {
  const float px = current_px();
  const std::string name = presenter ? "high-contrast" : theme;
  if (px == applied_px_ && name == applied_theme_) return;
  use_theme(name, px / kBaseFontPx);
  if (px != applied_px_) {
    // ImGui 1.86 with the OpenGL 3 backend: the texture is made from the atlas by the
    // backend's first NewFrame; after that a new atlas needs a new texture, made here.
    const bool renderer_up = applied_px_ > 0.0f;
    if (renderer_up) ImGui_ImplOpenGL3_DestroyFontsTexture();
    load_font(px);
    if (renderer_up) ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  applied_px_ = px;
  applied_theme_ = name;
}

}  // namespace kafkasim::gui
