// Image files (ebm::io): IDX files plain and gzip'd, with missing, truncated, corrupt and malformed files
// giving clear errors; Fashion-MNIST from Debian's package; PNG write/read round trips, corrupt PNGs, and
// folders of PNGs with classes from subfolders.
#include <ebm/io/idx.h>
#include <ebm/io/imagemodelfile.h>
#include <ebm/io/png.h>

#include <QtTest>

#include <fstream>
#include <zlib.h>

using namespace ebm;
using core::InvalidArgument;
using core::RuntimeError;

namespace {
std::string idxImages(int n, int rows, int cols, int magic3 = 3) {
    std::string s{0, 0, 8, char(magic3)};
    for (std::uint32_t d : {std::uint32_t(n), std::uint32_t(rows), std::uint32_t(cols)})
        for (int b = 3; b >= 0; --b)
            s.push_back(char((d >> (8 * b)) & 0xff));
    for (int i = 0; i < n * rows * cols; ++i)
        s.push_back(char((i * 37) % 256));
    return s;
}

void writeRaw(const QString& path, const std::string& bytes) {
    std::ofstream f(path.toStdString(), std::ios::binary);
    f.write(bytes.data(), std::streamsize(bytes.size()));
}

void writeGz(const QString& path, const std::string& bytes) {
    gzFile f = gzopen(path.toStdString().c_str(), "wb");
    QVERIFY(f);
    QCOMPARE(gzwrite(f, bytes.data(), unsigned(bytes.size())), int(bytes.size()));
    gzclose(f);
}

std::string readRaw(const QString& path) {
    std::ifstream f(path.toStdString(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
}

template <typename F> QString errorOf(F f) {
    try {
        f();
    } catch (const std::exception& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

io::GrayImage gradient(int w, int h, int offset) {
    io::GrayImage g;
    g.width = w;
    g.height = h;
    for (int i = 0; i < w * h; ++i)
        g.pixels.push_back((unsigned char)((i * 7 + offset) % 256));
    return g;
}
} // namespace

class TestImageFiles : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString path(const QString& name) const { return m_dir.filePath(name); }

private slots:
    void idxPlainAndGzipReadTheSame() {
        const std::string bytes = idxImages(5, 4, 3);
        writeRaw(path("a.idx"), bytes);
        writeGz(path("a.idx.gz"), bytes);
        const core::ImageSet a = io::readIdxImages(path("a.idx").toStdString());
        const core::ImageSet b = io::readIdxImages(path("a.idx.gz").toStdString());
        QCOMPARE(a.width, 3);
        QCOMPARE(a.height, 4);
        QCOMPARE(a.size(), core::Index(5));
        QVERIFY(a.pixels == b.pixels);
        QCOMPARE(a.pixels(1, 0), float(37) / 255.0f); // byte / 255, row-major
        QCOMPARE(io::readIdxImages(path("a.idx.gz").toStdString(), 2).size(), core::Index(2));
    }

    void badIdxFilesGiveClearErrors() {
        const std::string good = idxImages(5, 4, 3);
        writeGz(path("trunc.gz"), good.substr(0, good.size() - 7));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, io::readIdxImages(path("trunc.gz").toStdString()));
        QVERIFY(errorOf([&] { io::readIdxImages(path("trunc.gz").toStdString()); }).contains("truncated"));
        writeRaw(path("header.idx"), good.substr(0, 6));
        QVERIFY(errorOf([&] { io::readIdxImages(path("header.idx").toStdString()); }).contains("truncated"));
        writeRaw(path("magic.idx"), "\x12\x34" + good.substr(2));
        QVERIFY(errorOf([&] { io::readIdxImages(path("magic.idx").toStdString()); }).contains("not an IDX"));
        writeRaw(path("rank.idx"), idxImages(2, 2, 2, 1));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, io::readIdxImages(path("rank.idx").toStdString()));
        writeRaw(path("huge.idx"),
                 idxImages(1, 1, 1).substr(0, 8) + std::string{0, 0, 4, 0} + std::string{0, 0, 0, 9});
        QVERIFY(errorOf([&] { io::readIdxImages(path("huge.idx").toStdString()); }).contains("outside"));
        // A header that claims more data than any image set (found by fuzz_idx: 8 million 3 x 256 images
        // made the reader allocate 6 GB before reading a byte of them): refused before anything is read.
        writeRaw(path("claims.idx"), idxImages(1, 1, 1).substr(0, 4) + std::string{0, char(0x80), 0, 2} +
                                         std::string{0, 0, 0, 3} + std::string{0, 0, 1, 0} + "xyz");
        QVERIFY2(errorOf([&] { io::readIdxImages(path("claims.idx").toStdString()); }).contains("512 MiB"),
                 qPrintable(errorOf([&] { io::readIdxImages(path("claims.idx").toStdString()); })));
        // One that claims 5000 images of 256 x 256 (327 MB) but holds one: truncated, read as it arrives.
        writeRaw(path("short.idx"), idxImages(1, 1, 1).substr(0, 4) + std::string{0, 0, 0x13, char(0x88)} +
                                        std::string{0, 0, 1, 0} + std::string{0, 0, 1, 0} +
                                        std::string(65536, 'a'));
        QVERIFY(errorOf([&] { io::readIdxImages(path("short.idx").toStdString()); }).contains("truncated"));
        // A gzip stream with its compressed body damaged.
        writeGz(path("corrupt.gz"), idxImages(50, 8, 8));
        std::string z = readRaw(path("corrupt.gz"));
        for (size_t i = 20; i < z.size() - 10; i += 3)
            z[i] = char(z[i] ^ 0x5a);
        writeRaw(path("corrupt.gz"), z);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, io::readIdxImages(path("corrupt.gz").toStdString()));
        QVERIFY_THROWS_EXCEPTION(RuntimeError, io::readIdxImages(path("missing.gz").toStdString()));
        QVERIFY(errorOf([&] { io::readIdxImages(path("missing.gz").toStdString()); }).contains("missing.gz"));
        // Labels: rank 1 only.
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, io::readIdxLabels(path("a.idx").toStdString()));
    }

    void fashionMnistFromDebian() {
        if (!QFile::exists(QString(io::kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz"))
            QSKIP("dataset-fashion-mnist is not installed (scripts/setup-deps installs it)");
        const core::ImageSet s = io::loadFashionMnist(io::kFashionMnistDir, false, 28, 300);
        QCOMPARE(s.size(), core::Index(300));
        QCOMPARE(s.width, 28);
        QCOMPARE(s.numClasses(), 10);
        s.validate();
        std::vector<int> seen(10, 0);
        for (int l : s.labels)
            ++seen[size_t(l)];
        QVERIFY(std::count(seen.begin(), seen.end(), 0) == 0);
        const core::ImageSet small = io::loadFashionMnist(io::kFashionMnistDir, false, 14, 300);
        QCOMPARE(small.width, 14);
        QVERIFY(std::abs(small.pixels.mean() - s.pixels.mean()) < 1e-4f); // 2 x 2 area means
        QVERIFY_THROWS_EXCEPTION(RuntimeError, io::loadFashionMnist(path("nowhere").toStdString(), true));
    }

    void pngRoundTrip() {
        const io::GrayImage g = gradient(7, 5, 3);
        io::writePngGray(path("g.png").toStdString(), g);
        const io::GrayImage r = io::readPngGray(path("g.png").toStdString());
        QCOMPARE(r.width, 7);
        QCOMPARE(r.height, 5);
        QVERIFY(r.pixels == g.pixels);
        core::Matf grid = core::Matf::Constant(4, 6, 0.5f);
        io::writeImageGrid(path("grid.png").toStdString(), grid, 2, 2, 2, 3, 3);
        const io::GrayImage gr = io::readPngGray(path("grid.png").toStdString());
        QCOMPARE(gr.width, (3 * 3 + 1) * 3); // (cols·(w + gap) + gap) · zoom
        QCOMPARE(gr.height, (2 * 3 + 1) * 3);
    }

    void badPngsGiveClearErrors() {
        writeRaw(path("text.png"), "this is not a png");
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, io::readPngGray(path("text.png").toStdString()));
        io::writePngGray(path("whole.png").toStdString(), gradient(40, 40, 1));
        const std::string bytes = readRaw(path("whole.png"));
        writeRaw(path("cut.png"), bytes.substr(0, bytes.size() / 2));
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, io::readPngGray(path("cut.png").toStdString()));
        QVERIFY_THROWS_EXCEPTION(RuntimeError, io::readPngGray(path("none.png").toStdString()));
    }

    void pngFolders() {
        QDir d(m_dir.path());
        QVERIFY(d.mkpath("set/cats") && d.mkpath("set/dogs") && d.mkpath("flat") && d.mkpath("empty"));
        for (int i = 0; i < 3; ++i)
            io::writePngGray(path(QString("set/cats/%1.png").arg(i)).toStdString(), gradient(8, 8, i));
        for (int i = 0; i < 2; ++i)
            io::writePngGray(path(QString("set/dogs/%1.PNG").arg(i)).toStdString(), gradient(12, 6, i));
        writeRaw(path("set/dogs/readme.txt"), "ignored");
        const core::ImageSet s = io::loadPngFolder(path("set").toStdString(), 4);
        QCOMPARE(s.size(), core::Index(5));
        QCOMPARE(s.width, 4);
        QCOMPARE(s.numClasses(), 2);
        QCOMPARE(QString::fromStdString(s.classNames[1]), QString("dogs"));
        QCOMPARE(s.labels, (std::vector<int>{0, 0, 0, 1, 1}));
        // Unlabelled folder; mostly white images are inverted so that ink is 1.
        io::GrayImage white;
        white.width = white.height = 4;
        white.pixels.assign(16, 255);
        white.pixels[5] = 0;
        io::writePngGray(path("flat/a.png").toStdString(), white);
        const core::ImageSet f = io::loadPngFolder(path("flat").toStdString(), 4);
        QVERIFY(f.labels.empty());
        QCOMPARE(f.pixels(5, 0), 1.0f);
        QCOMPARE(f.pixels(0, 0), 0.0f);
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, io::loadPngFolder(path("empty").toStdString(), 16));
        QVERIFY_THROWS_EXCEPTION(RuntimeError, io::loadPngFolder(path("absent").toStdString(), 16));
        writeRaw(path("flat/broken.png"), "not a png");
        QVERIFY(errorOf([&] { io::loadPngFolder(path("flat").toStdString(), 4); }).contains("broken.png"));
    }

    void imageModelFileRoundTrip() {
        core::Rng rng(3);
        core::ConvNetOptions co;
        co.width = 8;
        co.height = 6;
        co.layers = {{3, 2}, {5, 1}};
        co.activation = core::Activation::Tanh;
        core::MlpOptions mo;
        mo.inputDim = 48;
        mo.hidden = {7};
        for (const bool conv : {true, false}) {
            io::ImageModelFile m;
            if (conv)
                m.model = std::make_shared<core::ConvNet<float>>(co, rng);
            else
                m.model = std::make_shared<core::Mlp<float>>(mo, rng);
            m.width = 8;
            m.height = 6;
            m.images = "digits";
            m.method = "cd";
            m.steps = 12;
            io::saveImageModel(m, path("m.json").toStdString());
            const io::ImageModelFile r = io::loadImageModel(path("m.json").toStdString());
            QVERIFY(r.model->parameters() == m.model->parameters()); // same bits
            QCOMPARE(r.width, 8);
            QCOMPARE(r.steps, std::int64_t(12));
            core::Matf X(48, 3);
            core::fillUniform(X, rng);
            QVERIFY(r.model->energy(X) == m.model->energy(X));
            QCOMPARE(bool(dynamic_cast<const core::ConvNet<float>*>(r.model.get())), conv);
        }
        const std::string good = readRaw(path("m.json"));
        writeRaw(path("cut.json"), good.substr(0, good.size() / 2));
        QVERIFY_THROWS_EXCEPTION(RuntimeError, io::loadImageModel(path("cut.json").toStdString()));
        writeRaw(path("fewer.json"), good.substr(0, good.rfind(',')) + "]}"); // params are last: drop one
        QVERIFY(errorOf([&] { io::loadImageModel(path("fewer.json").toStdString()); }).contains("params"));
        writeRaw(path("other.json"), R"({"format": "ebmlab-model", "version": 1})");
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, io::loadImageModel(path("other.json").toStdString()));
        writeRaw(path("nowidth.json"), R"({"format": "ebmlab-image-model", "version": 1, "model": "mlp"})");
        QVERIFY_THROWS_EXCEPTION(InvalidArgument, io::loadImageModel(path("nowidth.json").toStdString()));
        // A float where an integer belongs, beyond any integer type (found by fuzz_imagemodel: converting it
        // was undefined behaviour): refused by name.
        writeRaw(path("hugeversion.json"), R"({"format": "ebmlab-image-model", "version": 49760e89})");
        QVERIFY(errorOf([&] {
                    io::loadImageModel(path("hugeversion.json").toStdString());
                }).contains("\"version\""));
        writeRaw(path("floatwidth.json"),
                 R"({"format": "ebmlab-image-model", "version": 1, "width": 1e30, "height": 8})");
        QVERIFY(errorOf([&] {
                    io::loadImageModel(path("floatwidth.json").toStdString());
                }).contains("\"width\""));
        // A parameter finite as a double but beyond float32 (found by fuzz_imagemodel: it was accepted, and
        // the model then could not be saved again): refused by name.
        const std::size_t last = good.rfind(',');
        writeRaw(path("overflow.json"),
                 good.substr(0, good.rfind(',', last - 1)) + ", 1e39" + good.substr(last));
        QVERIFY2(errorOf([&] {
                     io::loadImageModel(path("overflow.json").toStdString());
                 }).contains("single-precision"),
                 qPrintable(errorOf([&] { io::loadImageModel(path("overflow.json").toStdString()); })));
    }
};

QTEST_APPLESS_MAIN(TestImageFiles)
#include "tst_imagefiles.moc"
