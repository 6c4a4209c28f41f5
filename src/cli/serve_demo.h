// The reference search page of `deter serve --demo`: one HTML file (its CSS
// and script inline, built into the binary from src/cli/demo/) and the Noto
// fonts it names, read from the system at start. Nothing is fetched from
// another host.
#ifndef DETER_CLI_SERVE_DEMO_H_
#define DETER_CLI_SERVE_DEMO_H_

#include <map>
#include <string>
#include <string_view>

namespace deter::cli {

// The page's locales, in the order its picker lists them.
inline constexpr std::string_view kDemoLocales[] = {"en", "hi", "bn", "kn", "id"};

// The first locale of an Accept-Language header ("hi-IN,hi;q=0.9,en;q=0.8")
// the page speaks, by the q weights; "en" when none is.
std::string_view demo_locale(std::string_view accept_language);

class DemoAssets {
 public:
  // Reads the fonts; returns what is missing ("" when all were found). The
  // page still works without them, in the browser's own fonts.
  std::string load_fonts(const std::string& directory);
  // The page, its <html lang> and first picked locale set to `locale`.
  std::string page(std::string_view locale) const;
  // The font served at `path` ("/demo/fonts/NotoSans-Regular.ttf"), or null.
  const std::string* font(std::string_view path) const;

 private:
  std::map<std::string, std::string, std::less<>> fonts_;  // by path
};

}  // namespace deter::cli

#endif  // DETER_CLI_SERVE_DEMO_H_
