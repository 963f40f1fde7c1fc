// PNG through libpng's simplified API (png_image_*), which converts any colour type to 8-bit grey.
#include <ebm/io/atomicfile.h>
#include <ebm/io/png.h>

#include <png.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace ebm::io {

using core::Index;
using core::InvalidArgument;
using core::RuntimeError;
namespace fs = std::filesystem;

GrayImage readPngGray(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) throw RuntimeError("cannot read \"" + path + "\": no such file");
    const std::string bytes = readFile(path, std::size_t(256) << 20);
    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, bytes.data(), bytes.size()))
        throw InvalidArgument("\"" + path + "\" is not a readable PNG: " + img.message);
    if (img.width < 1 || img.height < 1 || img.width > 8192 || img.height > 8192) {
        png_image_free(&img);
        throw InvalidArgument("\"" + path + "\": PNG size must be at most 8192 x 8192");
    }
    img.format = PNG_FORMAT_GRAY;
    GrayImage g;
    g.width = int(img.width);
    g.height = int(img.height);
    g.pixels.resize(PNG_IMAGE_SIZE(img));
    png_color black{0, 0, 0};
    if (!png_image_finish_read(&img, &black, g.pixels.data(), 0, nullptr))
        throw InvalidArgument("\"" + path + "\" is a corrupt or truncated PNG: " + img.message);
    return g;
}

void writePngGray(const std::string& path, const GrayImage& g) {
    if (g.width < 1 || g.height < 1 || g.pixels.size() != size_t(g.width) * g.height)
        throw InvalidArgument("writePngGray: pixel count does not match the size");
    png_image img;
    std::memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = png_uint_32(g.width);
    img.height = png_uint_32(g.height);
    img.format = PNG_FORMAT_GRAY;
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&img, nullptr, &size, 0, g.pixels.data(), 0, nullptr))
        throw RuntimeError("cannot encode PNG: " + std::string(img.message));
    std::string buf(size, '\0');
    if (!png_image_write_to_memory(&img, buf.data(), &size, 0, g.pixels.data(), 0, nullptr))
        throw RuntimeError("cannot encode PNG: " + std::string(img.message));
    buf.resize(size);
    writeFileAtomically(path, buf);
}

void writeImageGrid(const std::string& path, const core::Matf& images, int w, int h, int rows, int cols,
                    int zoom) {
    if (zoom < 1 || zoom > 64) throw InvalidArgument("writeImageGrid: zoom must be in 1..64");
    int tw = 0, th = 0;
    const auto tiles = core::tileImages(images, w, h, rows, cols, 1, tw, th);
    GrayImage g;
    g.width = tw * zoom;
    g.height = th * zoom;
    g.pixels.resize(size_t(g.width) * g.height);
    for (int y = 0; y < g.height; ++y)
        for (int x = 0; x < g.width; ++x)
            g.pixels[size_t(y) * g.width + x] = tiles[size_t(y / zoom) * tw + x / zoom];
    writePngGray(path, g);
}

namespace {
std::vector<fs::path> pngsIn(const fs::path& dir) {
    std::vector<fs::path> v;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (!it->is_regular_file(ec)) continue;
        std::string ext = it->path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return char(std::tolower(c)); });
        if (ext == ".png") v.push_back(it->path());
    }
    if (ec) throw RuntimeError("cannot list \"" + dir.string() + "\": " + ec.message());
    std::sort(v.begin(), v.end());
    return v;
}
} // namespace

core::ImageSet loadPngFolder(const std::string& dir, int size, Index maxCount) {
    if (size < 4 || size > 256)
        throw InvalidArgument("image size must be in 4..256, got " + std::to_string(size));
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw RuntimeError("cannot read image folder \"" + dir + "\": no such folder");
    // Classes: subfolders holding PNGs, sorted by name; otherwise the PNGs in dir itself, unlabelled.
    std::vector<fs::path> subdirs;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_directory(ec)) subdirs.push_back(it->path());
    if (ec) throw RuntimeError("cannot list \"" + dir + "\": " + ec.message());
    std::sort(subdirs.begin(), subdirs.end());
    std::vector<std::pair<fs::path, int>> files;
    core::ImageSet s;
    for (const auto& sd : subdirs) {
        const auto pngs = pngsIn(sd);
        if (pngs.empty()) continue;
        const int label = int(s.classNames.size());
        s.classNames.push_back(sd.filename().string());
        for (const auto& p : pngs)
            files.push_back({p, label});
    }
    if (files.empty())
        for (const auto& p : pngsIn(dir))
            files.push_back({p, -1});
    if (files.empty()) throw InvalidArgument("image folder \"" + dir + "\" holds no .png files");
    if (maxCount > 0 && Index(files.size()) > maxCount) files.resize(size_t(maxCount));
    s.width = s.height = size;
    s.pixels.resize(Index(size) * size, Index(files.size()));
    for (size_t i = 0; i < files.size(); ++i) {
        const GrayImage g = readPngGray(files[i].first.string());
        core::ImageSet one;
        one.width = g.width;
        one.height = g.height;
        one.pixels.resize(Index(g.width) * g.height, 1);
        for (size_t p = 0; p < g.pixels.size(); ++p)
            one.pixels(Index(p), 0) = float(g.pixels[p]) / 255.0f;
        s.pixels.col(Index(i)) = core::resizeImages(one, size, size).pixels.col(0);
        if (files[i].second >= 0) s.labels.push_back(files[i].second);
    }
    if (s.pixels.mean() > 0.5f) s.pixels = (1.0f - s.pixels.array()).matrix();
    s.validate();
    return s;
}

} // namespace ebm::io
