// Arrays as a compiled file holds them (store.h): each a u64 count, then
// its elements as they are in memory, at a multiple of 8 bytes from the
// start of the part that holds them, so that a mapped file's arrays are
// read where they lie. The tables that loading would otherwise build
// (the fuzzy index, the entry words, the completion index) are saved and
// loaded with these.
#ifndef DETER_TEXT_STORED_H_
#define DETER_TEXT_STORED_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace deter::text::stored {

// Little-endian, as every platform a compiled file is made for (the file
// names its platform).
static_assert(std::endian::native == std::endian::little);

// Strings as Writer::strings writes them (where each ends, then their
// bytes one after the other), viewed: where a mapped file holds them, or
// in an OwnedStrings.
class Strings {
 public:
  Strings() = default;
  Strings(std::span<const std::uint64_t> ends, std::string_view bytes) : ends_(ends), bytes_(bytes) {}
  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  // The reader checked that the ends are in order and within the bytes.
  std::string_view operator[](std::size_t i) const {
    const std::uint64_t begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(bytes_.data() + begin, static_cast<std::size_t>(ends_[i] - begin));
  }
  std::span<const std::uint64_t> ends() const { return ends_; }
  std::string_view bytes() const { return bytes_; }

 private:
  std::span<const std::uint64_t> ends_;
  std::string_view bytes_;
};

// The storage of Strings that were built, not read.
struct OwnedStrings {
  OwnedStrings() = default;
  explicit OwnedStrings(const std::vector<std::string>& v) {
    ends.reserve(v.size());
    for (const std::string& s : v) ends.push_back((bytes += s).size());
  }
  Strings view() const { return Strings(ends, bytes); }
  std::vector<std::uint64_t> ends;
  std::string bytes;
};

// A cache line: what Writer::lines aligns to.
inline constexpr std::size_t kLine = 64;

// Appends to `out`; offsets are counted from where the part began.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out), start_(out.size()) {}
  void u64(std::uint64_t v) {
    pad();
    out_.append(reinterpret_cast<const char*>(&v), 8);
  }
  // Elements must have no padding of their own: their bytes are written
  // as they are.
  template <class T>
  void array(std::span<const T> v) {
    static_assert(std::is_trivially_copyable_v<T> && std::has_unique_object_representations_v<T>);
    u64(v.size());
    if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size_bytes());
  }
  template <class T>
  void array(const std::vector<T>& v) {
    array(std::span<const T>(v));
  }
  // An array whose bytes begin at a multiple of 64 from where the part
  // began (a part that begins on a cache line keeps a filter's line on
  // one): zeros before its count.
  template <class T>
  void lines(std::span<const T> v) {
    pad();
    out_.append((kLine - (out_.size() + 8 - start_) % kLine) % kLine, '\0');
    array(v);
  }
  // Strings as their bytes one after the other and where each ends.
  void strings(const Strings& v) {
    array(v.ends());
    array(std::span<const char>(v.bytes().data(), v.bytes().size()));
  }
  void strings(const std::vector<std::string>& v) { strings(OwnedStrings(v).view()); }

 private:
  void pad() { out_.append((8 - (out_.size() - start_) % 8) % 8, '\0'); }
  std::string& out_;
  std::size_t start_;
};

// Reads what Writer wrote. `in` must begin at a multiple of 8 bytes;
// arrays are views into it. Any count past the end, or padding that is not
// zeros, makes ok() false and every later read empty.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {
    if (reinterpret_cast<std::uintptr_t>(in.data()) % 8 != 0) ok_ = false;
  }
  bool ok() const { return ok_; }
  // Whether every byte was read.
  bool done() const { return ok_ && pos_ == in_.size(); }
  std::uint64_t u64() {
    if (!pad() || in_.size() - pos_ < 8) return fail(), 0;
    std::uint64_t v;
    std::memcpy(&v, in_.data() + pos_, 8);
    pos_ += 8;
    return v;
  }
  template <class T>
  std::span<const T> array() {
    static_assert(alignof(T) <= 8 && std::is_trivially_copyable_v<T>);
    const std::uint64_t n = u64();
    if (!ok_ || n > (in_.size() - pos_) / sizeof(T)) return fail(), std::span<const T>();
    std::span<const T> v(reinterpret_cast<const T*>(in_.data() + pos_),
                         static_cast<std::size_t>(n));
    pos_ += v.size_bytes();
    return v;
  }
  // What Writer::lines wrote.
  template <class T>
  std::span<const T> lines() {
    if (!pad()) return {};
    while (ok_ && (pos_ + 8) % kLine != 0) {
      if (pos_ == in_.size() || in_[pos_] != '\0') ok_ = false;
      ++pos_;
    }
    return array<T>();
  }
  template <class T>
  bool array(std::vector<T>& out) {
    const std::span<const T> v = array<T>();
    out.assign(v.begin(), v.end());
    return ok_;
  }
  // What Writer::strings wrote, where it lies; empty, and ok() false, if
  // any end is out of order or past the bytes.
  Strings strings();
  bool strings(std::vector<std::string>& out);
  void fail() { ok_ = false; }

 private:
  bool pad() {
    while (ok_ && pos_ % 8 != 0) {
      if (pos_ == in_.size() || in_[pos_] != '\0') ok_ = false;
      ++pos_;
    }
    return ok_;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

inline Strings Reader::strings() {
  const std::span<const std::uint64_t> ends = array<std::uint64_t>();
  const std::span<const char> bytes = array<char>();
  if (!ok_) return {};
  std::uint64_t at = 0;
  for (const std::uint64_t end : ends) {
    if (end < at || end > bytes.size()) return fail(), Strings();
    at = end;
  }
  return Strings(ends, std::string_view(bytes.data(), bytes.size()));
}

inline bool Reader::strings(std::vector<std::string>& out) {
  const Strings v = strings();
  out.clear();
  if (!ok_) return false;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) out.emplace_back(v[i]);
  return true;
}

}  // namespace deter::text::stored

#endif  // DETER_TEXT_STORED_H_
