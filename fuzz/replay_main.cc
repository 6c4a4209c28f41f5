// Runs a fuzzer's LLVMFuzzerTestOneInput on files, so that crash files and
// corpora rerun without libFuzzer (and with any compiler):
//   fuzz_parse_replay crash-1234 corpus-dir/ ...
// Each argument is a file or a directory whose regular files (except dot
// files) are all run.
// Exits 0 when every input ran; a violated invariant aborts.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

bool run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.string().c_str());
    return false;
  }
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // A copy with exactly the input's size, so a read past the end is caught
  // by AddressSanitizer as it would be under libFuzzer.
  std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
  LLVMFuzzerTestOneInput(data.empty() ? nullptr : data.data(), data.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  std::size_t ran = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& de : fs::recursive_directory_iterator(arg, ec)) {
        // Dot files (.gitkeep) are not inputs.
        if (de.is_regular_file(ec) && de.path().filename().string().front() != '.') {
          files.push_back(de.path());
        }
      }
      std::sort(files.begin(), files.end());
      for (const fs::path& f : files) {
        ok = run_file(f) && ok;
        ++ran;
      }
    } else {
      ok = run_file(arg) && ok;
      ++ran;
    }
  }
  std::printf("replay: ran %zu inputs\n", ran);
  return ok ? 0 : 1;
}
