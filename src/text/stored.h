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
  // Strings as their bytes one after the other and where each ends.
  void strings(const std::vector<std::string>& v);

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
  template <class T>
  bool array(std::vector<T>& out) {
    const std::span<const T> v = array<T>();
    out.assign(v.begin(), v.end());
    return ok_;
  }
  // What Writer::strings wrote; false if any end is out of order or past
  // the bytes.
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

inline void Writer::strings(const std::vector<std::string>& v) {
  std::vector<std::uint64_t> ends;
  ends.reserve(v.size());
  std::string bytes;
  for (const std::string& s : v) ends.push_back((bytes += s).size());
  array(ends);
  array(std::span<const char>(bytes));
}

inline bool Reader::strings(std::vector<std::string>& out) {
  const std::span<const std::uint64_t> ends = array<std::uint64_t>();
  const std::span<const char> bytes = array<char>();
  out.clear();
  if (!ok_) return false;
  out.reserve(ends.size());
  std::uint64_t at = 0;
  for (const std::uint64_t end : ends) {
    if (end < at || end > bytes.size()) return fail(), false;
    out.emplace_back(bytes.data() + at, static_cast<std::size_t>(end - at));
    at = end;
  }
  return true;
}

}  // namespace deter::text::stored

#endif  // DETER_TEXT_STORED_H_
