// Reading a list set from a directory: the one reader Filter::open and lint
// share, so that both see the same files and refuse the same ones.
#ifndef DETER_LIST_DIRECTORY_H_
#define DETER_LIST_DIRECTORY_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "deter/filter.h"

namespace deter {

// (file name, contents) pairs, sorted by name: what Filter::from_sources takes.
using SourceFiles = std::vector<std::pair<std::string, std::string>>;

// True for the names a list directory is read for: "*.list" and
// "messages.toml". Other names (editor backups, READMEs) are not looked at.
bool is_list_set_file(std::string_view name);

// Reads every *.list file and messages.toml of `directory`, in name order,
// so the outcome (and the first error) never depends on the order the
// directory lists them in. Bounded by `options`: at most max_list_files
// files, each at most max_list_bytes and all together at most
// max_list_set_bytes, each read no further than one byte past its bound.
// A symbolic link is followed; one that dangles or loops, and a name that is
// not a regular file (a directory, a FIFO, a device), is an error naming the
// file: "en.list: dangling symbolic link". Opening never blocks (a FIFO is
// refused, not waited on). A directory with no *.list file is an error.
Result<SourceFiles> read_list_directory(const std::string& directory, const FilterOptions& options);

}  // namespace deter

#endif  // DETER_LIST_DIRECTORY_H_
