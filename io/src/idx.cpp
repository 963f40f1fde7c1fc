// IDX reading through zlib's gz* functions, which read gzip and uncompressed files alike. The header is
// validated first, and the data are read in chunks as they arrive, so memory follows what the file holds,
// never what its header claims; a short read anywhere is "truncated".
#include <ebm/io/idx.h>

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>

namespace ebm::io {

using core::Index;
using core::InvalidArgument;
using core::RuntimeError;

namespace {
struct GzCloser {
    void operator()(gzFile_s* f) const {
        if (f) gzclose(f);
    }
};
using Gz = std::unique_ptr<gzFile_s, GzCloser>;

Gz openGz(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        throw RuntimeError("cannot read \"" + path + "\": no such file");
    Gz f(gzopen(path.c_str(), "rb"));
    if (!f) throw RuntimeError("cannot open \"" + path + "\": " + std::strerror(errno));
    return f;
}

// Reads exactly n bytes; a short read or a zlib error (corrupt gzip stream) is an error naming the file.
void readExact(gzFile_s* f, void* dst, size_t n, const std::string& path, const char* what) {
    size_t done = 0;
    while (done < n) {
        const unsigned chunk = unsigned(std::min<size_t>(n - done, 1u << 30));
        const int r = gzread(f, static_cast<char*>(dst) + done, chunk);
        if (r < 0) {
            int err = 0;
            const char* msg = gzerror(f, &err);
            throw InvalidArgument("\"" + path + "\" is corrupt (" + std::string(msg ? msg : "zlib error") +
                                  ") while reading the " + what);
        }
        if (r == 0)
            throw InvalidArgument("\"" + path + "\" is truncated: it ends inside the " + std::string(what));
        done += size_t(r);
    }
}

// Reads exactly n bytes into a buffer that grows as they arrive (a header's count is only a claim: a short
// file is "truncated" having allocated no more than its own data).
std::vector<unsigned char> readGrowing(gzFile_s* f, size_t n, const std::string& path, const char* what) {
    constexpr size_t kChunk = size_t(16) << 20;
    std::vector<unsigned char> buf;
    while (buf.size() < n) {
        const size_t at = buf.size();
        buf.resize(at + std::min(kChunk, n - at));
        readExact(f, buf.data() + at, buf.size() - at, path, what);
    }
    return buf;
}

// The most image data an IDX file may hold: 512 MiB of pixels (Fashion-MNIST's training set is 47 MB).
constexpr size_t kMaxIdxBytes = size_t(512) << 20;

std::uint32_t bigEndian(const unsigned char* b) {
    return (std::uint32_t(b[0]) << 24) | (std::uint32_t(b[1]) << 16) | (std::uint32_t(b[2]) << 8) | b[3];
}

// Reads the magic and dimensions; checks the type (unsigned byte) and the rank.
std::vector<std::uint32_t> readHeader(gzFile_s* f, const std::string& path, int rank) {
    unsigned char magic[4];
    readExact(f, magic, 4, path, "header");
    if (magic[0] != 0 || magic[1] != 0)
        throw InvalidArgument("\"" + path + "\" is not an IDX file (bad magic number)");
    if (magic[2] != 0x08) throw InvalidArgument("\"" + path + "\": only unsigned-byte IDX data is supported");
    if (magic[3] != rank)
        throw InvalidArgument("\"" + path + "\" has " + std::to_string(magic[3]) + " dimensions, expected " +
                              std::to_string(rank) + (rank == 3 ? " (an image file)" : " (a label file)"));
    std::vector<std::uint32_t> dims(static_cast<size_t>(rank));
    for (auto& d : dims) {
        unsigned char b[4];
        readExact(f, b, 4, path, "header");
        d = bigEndian(b);
    }
    return dims;
}
} // namespace

core::ImageSet readIdxImages(const std::string& path, Index maxCount) {
    Gz f = openGz(path);
    const auto dims = readHeader(f.get(), path, 3);
    if (dims[1] < 1 || dims[2] < 1 || dims[1] > 256 || dims[2] > 256)
        throw InvalidArgument("\"" + path + "\": image size " + std::to_string(dims[1]) + " x " +
                              std::to_string(dims[2]) + " is outside 1..256");
    if (dims[0] > 10'000'000u)
        throw InvalidArgument("\"" + path + "\": implausible image count " + std::to_string(dims[0]));
    const Index n = maxCount > 0 ? std::min<Index>(maxCount, dims[0]) : Index(dims[0]);
    const int rows = int(dims[1]), cols = int(dims[2]);
    const size_t per = size_t(rows) * cols;
    if (per * size_t(n) > kMaxIdxBytes)
        throw InvalidArgument("\"" + path + "\": " + std::to_string(n) + " images of " +
                              std::to_string(rows) + " x " + std::to_string(cols) +
                              " are more than 512 MiB (ask for fewer)");
    const std::vector<unsigned char> buf = readGrowing(f.get(), per * size_t(n), path, "image data");
    core::ImageSet s;
    s.width = cols;
    s.height = rows;
    s.pixels.resize(Index(per), n);
    for (Index i = 0; i < n; ++i)
        for (size_t p = 0; p < per; ++p)
            s.pixels(Index(p), i) = float(buf[size_t(i) * per + p]) / 255.0f;
    return s;
}

std::vector<int> readIdxLabels(const std::string& path, Index maxCount) {
    Gz f = openGz(path);
    const auto dims = readHeader(f.get(), path, 1);
    if (dims[0] > 10'000'000u)
        throw InvalidArgument("\"" + path + "\": implausible label count " + std::to_string(dims[0]));
    const Index n = maxCount > 0 ? std::min<Index>(maxCount, dims[0]) : Index(dims[0]);
    const std::vector<unsigned char> buf = readGrowing(f.get(), size_t(n), path, "labels");
    return std::vector<int>(buf.begin(), buf.end());
}

core::ImageSet loadFashionMnist(const std::string& dir, bool train, int size, Index maxCount) {
    const std::string prefix = dir + "/" + (train ? "train" : "t10k");
    core::ImageSet s = readIdxImages(prefix + "-images-idx3-ubyte.gz", maxCount);
    s.labels = readIdxLabels(prefix + "-labels-idx1-ubyte.gz", maxCount);
    if (Index(s.labels.size()) != s.size())
        throw InvalidArgument("Fashion-MNIST in \"" + dir + "\": " + std::to_string(s.size()) +
                              " images but " + std::to_string(s.labels.size()) + " labels");
    for (int l : s.labels)
        if (l < 0 || l > 9)
            throw InvalidArgument("Fashion-MNIST in \"" + dir + "\": label " + std::to_string(l) +
                                  " outside 0..9");
    s.classNames = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                    "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return size == s.width && size == s.height ? s : core::resizeImages(s, size, size);
}

} // namespace ebm::io
