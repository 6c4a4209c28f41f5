// deter_bench: the Google Benchmark suite, plus one extra mode for bench/run.sh:
//   deter_bench --write-list N DIR [R]   writes generated_list(N) to DIR/generated.list,
//   and with R, generated_regexes(R) to DIR/regexes.list (the scale list set)
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "generated.h"

int main(int argc, char** argv) {
  if ((argc == 4 || argc == 5) && std::strcmp(argv[1], "--write-list") == 0) {
    std::filesystem::create_directories(argv[3]);
    const std::string list = generated_list(std::stoul(argv[2]));
    std::vector<std::pair<std::string, std::string>> files = {{"generated.list", list}};
    if (argc == 5) files.emplace_back("regexes.list", generated_regexes(list, std::stoul(argv[4])));
    for (const auto& [name, text] : files) {
      const std::string path = std::string(argv[3]) + "/" + name;
      std::ofstream out(path, std::ios::binary);
      out << text;
      if (!out) {
        std::cerr << "deter_bench: cannot write " << path << "\n";
        return 1;
      }
    }
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
