// The benign text `deter lint` and `deter probe` check a list set against
// when none is named: the samples shipped in tests/data (see its README),
// found in the source tree deter was built from, or installed beside the
// tool (share/deter/benign).
#ifndef DETER_CLI_BENIGN_CORPUS_H_
#define DETER_CLI_BENIGN_CORPUS_H_

#include <string>
#include <vector>

namespace deter::cli {

// The bundled corpus files, sorted; empty when neither place has them.
std::vector<std::string> default_benign_corpus();

// Each path as given, a directory replaced by its *.txt and *.gz files
// (recursively, sorted). A path that does not exist, or a directory without
// such files, is an error: a corpus named by the user is never skipped.
bool expand_corpus_paths(const std::vector<std::string>& paths, std::vector<std::string>& out,
                         std::string& error);

}  // namespace deter::cli

#endif  // DETER_CLI_BENIGN_CORPUS_H_
