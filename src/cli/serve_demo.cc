#include "cli/serve_demo.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

namespace deter::cli {

// src/cli/demo/index.html, embedded by the build (cmake/embed.cmake).
extern const std::string_view kDemoPageHtml;

namespace {

constexpr std::string_view kFontFiles[] = {
    "NotoSans-Regular.ttf",           "NotoSans-Bold.ttf",
    "NotoSansDevanagari-Regular.ttf", "NotoSansDevanagari-Bold.ttf",
    "NotoSansBengali-Regular.ttf",    "NotoSansBengali-Bold.ttf",
    "NotoSansKannada-Regular.ttf",    "NotoSansKannada-Bold.ttf",
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view demo_locale(std::string_view header) {
  std::string_view best = "en";
  double best_q = 0;
  while (!header.empty()) {
    const std::size_t comma = header.find(',');
    std::string_view item = trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    double q = 1;
    if (const std::size_t semi = item.find(';'); semi != std::string_view::npos) {
      std::string_view param = trim(item.substr(semi + 1));
      item = trim(item.substr(0, semi));
      if (param.substr(0, 2) == "q=") q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
    }
    std::string_view language = item.substr(0, item.find('-'));
    for (std::string_view l : kDemoLocales) {
      if (language.size() == l.size() &&
          std::equal(l.begin(), l.end(), language.begin(),
                     [](char a, char b) { return a == (b | 0x20); }) &&
          q > best_q) {
        best = l;
        best_q = q;
      }
    }
  }
  return best;
}

std::string DemoAssets::load_fonts(const std::string& directory) {
  std::string missing;
  for (std::string_view name : kFontFiles) {
    std::ifstream in(directory + "/" + std::string(name), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    if (!in) {
      missing += missing.empty() ? "fonts not found in " + directory + ":" : "";
      missing += " " + std::string(name);
      continue;
    }
    fonts_["/demo/fonts/" + std::string(name)] = bytes.str();
  }
  return missing;
}

std::string DemoAssets::page(std::string_view locale) const {
  // The page carries the placeholder in two places: <html lang> and the
  // script's initial locale.
  static constexpr std::string_view kPlaceholder = "__DETER_LOCALE__";
  std::string out(kDemoPageHtml);
  for (std::size_t at = out.find(kPlaceholder); at != std::string::npos;
       at = out.find(kPlaceholder, at)) {
    out.replace(at, kPlaceholder.size(), locale);
  }
  return out;
}

const std::string* DemoAssets::font(std::string_view path) const {
  auto it = fonts_.find(path);
  return it == fonts_.end() ? nullptr : &it->second;
}

}  // namespace deter::cli
