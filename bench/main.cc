// deter_bench: the Google Benchmark suite, plus one extra mode for bench/run.sh:
//   deter_bench --write-list N DIR   writes generated_list(N) to DIR/generated.list
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "generated.h"

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--write-list") == 0) {
    std::filesystem::create_directories(argv[3]);
    const std::string path = std::string(argv[3]) + "/generated.list";
    std::ofstream out(path, std::ios::binary);
    out << generated_list(std::stoul(argv[2]));
    if (!out) {
      std::cerr << "deter_bench: cannot write " << path << "\n";
      return 1;
    }
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
