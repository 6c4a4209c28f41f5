// Draws small structured values from a fuzzer's input bytes. When the bytes
// run out every draw returns its smallest value, so any input is usable.
#ifndef DETER_FUZZ_BYTE_READER_H_
#define DETER_FUZZ_BYTE_READER_H_

#include <cstddef>
#include <cstdint>

namespace deter::fuzzing {

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  // A number in [0, n); n must be at least 1 and at most 256.
  std::size_t below(std::size_t n) { return byte() % n; }
  bool chance(unsigned in_256) { return byte() < in_256; }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace deter::fuzzing

#endif  // DETER_FUZZ_BYTE_READER_H_
