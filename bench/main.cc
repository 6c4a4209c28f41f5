// deter_bench: the Google Benchmark suite, plus one extra mode for bench/run.sh:
//   deter_bench --write-list N DIR [R]   writes generated_list(N) to DIR/generated.list,
//   and with R, generated_regexes(R) to DIR/regexes.list (the scale list set)
//   deter_bench --write-worst DIR        writes each worst 4 KB query (worst_queries.h) to
//   DIR/demo/FAMILY.txt and DIR/10k/FAMILY.txt, one query a file, for deter check and callgrind
#include <benchmark/benchmark.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "fixtures.h"
#include "generated.h"
#include "worst_queries.h"

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
  if (argc == 3 && std::strcmp(argv[1], "--write-worst") == 0) {
    for (const bool generated : {false, true}) {
      const std::string dir = std::string(argv[2]) + (generated ? "/10k" : "/demo");
      std::filesystem::create_directories(dir);
      const deter::bench::Target target =
          generated ? deter::bench::generated_target(deter::bench::generated_list_text(10000))
                    : deter::bench::demo_target();
      for (const deter::bench::WorstQuery& w : deter::bench::worst_queries(target)) {
        std::ofstream out(dir + "/" + w.family + ".txt", std::ios::binary);
        out << w.query << "\n";
        if (!out) {
          std::cerr << "deter_bench: cannot write " << dir << "/" << w.family << ".txt\n";
          return 1;
        }
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
