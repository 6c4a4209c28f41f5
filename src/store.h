// The compiled form of a list set: one file that loads without compiling.
//
// It holds the list sources (so the entry tables are rebuilt exactly as
// compile() builds them), the serialized Hyperscan databases, and what they
// depend on: the Hyperscan version, the CPU platform, the views, and a
// digest of every pattern. A file from another Hyperscan, another CPU
// feature set or another deter whose normalizer gives different patterns is
// refused with an error saying so; any damaged byte fails the checksum.
//
// Layout (integers little-endian; "str" is a u64 length then the bytes):
//   "DETERDB1"  u32 format (2)  u32 zero
//   str hs_version  str platform  str content_hash  str pattern_digest
//   u32 views  u64 max_entries  u64 max_entry_bytes  str list_versions
//   u32 file count, then per file: str name, str contents
//   str literal database  str regex database   (hs_serialize_database; may be empty)
//   u64 XXH3-64 of every byte before it
#ifndef DETER_STORE_H_
#define DETER_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "deter/filter.h"

namespace deter {
class FilterImpl;
}

namespace deter::store {

inline constexpr std::string_view kMagic = "DETERDB1";
inline constexpr std::uint32_t kFormatVersion = 2;

// XXH3-64 of `bytes`: the checksum that ends every compiled file.
std::uint64_t checksum(std::string_view bytes);

// True if `head` (the first bytes of a file) starts with the magic.
bool has_magic(std::string_view head);

// "x86_64 tune=T features=0xF" for this machine, as Hyperscan sees it.
std::string platform();

// hs_version() of the linked Hyperscan.
std::string hyperscan_version();

// The whole compiled file for `impl`.
Result<std::string> serialize(const FilterImpl& impl);

// Loads a compiled file. `name` is used in errors. Runtime options
// (max_query_bytes, limits) come from `options`; the views are the file's.
Result<std::shared_ptr<FilterImpl>> deserialize(std::string_view bytes,
                                                const FilterOptions& options,
                                                const std::string& name);

// The cache file name for sources (sorted by name) under options:
// content hash + Hyperscan version + platform + views, as hex + ".deterdb".
std::string cache_file_name(const std::vector<std::pair<std::string, std::string>>& sorted_files,
                            const FilterOptions& options);

}  // namespace deter::store

#endif  // DETER_STORE_H_
