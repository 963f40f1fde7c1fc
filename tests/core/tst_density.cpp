// Target densities: every preset is normalised, its sampler agrees with its log-density, and it is
// deterministic; GridDensity samples its cells in proportion to their mass and rejects bad input.
#include <ebm/core/density.h>

#include <QtTest>

#include <cmath>
#include <map>
#include <memory>

using namespace ebm::core;
Q_DECLARE_METATYPE(ebm::core::Matd)

namespace {

constexpr Index kSamples = 20000; // per preset, for the moment and chi-square checks
constexpr int kBins = 25;         // chi-square bins per axis; every quadrature grid is a multiple of this

// Midpoint-rule quadrature of a density on an nx x ny grid over a box that holds its mass.
struct Quadrature {
    Box box;
    int nx = 0, ny = 0;
    Matd points; // 2 x (nx·ny), point (ix, iy) in column iy·nx + ix
    Rowd p;      // density at the points
    double cell = 0;
    double mass() const { return p.sum() * cell; }
};

// Integration boxes (larger than the default box where the tails need it) and grid sizes (spacing 0.02
// or finer, several points per standard deviation of the thinnest feature).
struct PresetCase {
    Box box;
    int nx, ny;
};

const std::map<std::string, PresetCase>& presetCases() {
    static const std::map<std::string, PresetCase> cases{
        {"eight-gaussians", {{-4, 4, -4, 4}, 400, 400}},
        {"checkerboard", {{-4, 4, -4, 4}, 400, 400}},
        {"two-spirals", {{-4.5, 4.5, -4.5, 4.5}, 450, 450}},
        {"rings", {{-4, 4, -4, 4}, 400, 400}},
        {"two-moons", {{-5, 5, -5, 5}, 500, 500}},
        {"pinwheel", {{-5, 5, -5, 5}, 500, 500}},
        {"swiss-roll", {{-5, 5, -5, 5}, 500, 500}},
        {"banana", {{-6, 6, -2, 10}, 600, 600}},
        {"donut", {{-4, 4, -4, 4}, 400, 400}},
        {"funnel", {{-12, 12, -6, 6}, 2400, 600}},
        {"squiggle", {{-6, 6, -3, 3}, 600, 300}},
    };
    return cases;
}

Quadrature makeQuadrature(const TargetDensity& d, const PresetCase& c) {
    Quadrature q;
    q.box = c.box;
    q.nx = c.nx;
    q.ny = c.ny;
    const double dx = c.box.width() / c.nx, dy = c.box.height() / c.ny;
    q.cell = dx * dy;
    q.points.resize(2, Index(c.nx) * c.ny);
    for (int iy = 0; iy < c.ny; ++iy)
        for (int ix = 0; ix < c.nx; ++ix) {
            q.points(0, Index(iy) * c.nx + ix) = c.box.x0 + (ix + 0.5) * dx;
            q.points(1, Index(iy) * c.nx + ix) = c.box.y0 + (iy + 0.5) * dy;
        }
    q.p = d.logDensity(q.points).array().exp().matrix();
    return q;
}

// Upper quantile of chi-square with k degrees of freedom (Wilson–Hilferty), z standard normal quantile.
double chiSquareQuantile(double k, double z) {
    const double a = 2.0 / (9.0 * k);
    return k * std::pow(1.0 - a + z * std::sqrt(a), 3.0);
}

// Chi-square statistic of counts against expected counts, pooling bins with expectation < 5 (and the
// `restExpected` mass outside all bins) into one bin. Returns {statistic, degrees of freedom}.
std::pair<double, int> chiSquare(const std::vector<double>& observed, const std::vector<double>& expected,
                                 double restObserved, double restExpected) {
    double stat = 0;
    int used = 0;
    double poolO = restObserved, poolE = restExpected;
    for (std::size_t b = 0; b < observed.size(); ++b) {
        if (expected[b] < 5.0) {
            poolO += observed[b];
            poolE += expected[b];
            continue;
        }
        stat += (observed[b] - expected[b]) * (observed[b] - expected[b]) / expected[b];
        ++used;
    }
    if (poolE >= 5.0) {
        stat += (poolO - poolE) * (poolO - poolE) / poolE;
        ++used;
    } else if (poolO > 5.0 + 10.0 * poolE) {
        stat += 1e9; // many samples where the density says there is (almost) no mass
    }
    return {stat, used - 1};
}

void addPresetRows() {
    QTest::addColumn<QString>("name");
    for (const std::string& n : presetNames())
        QTest::newRow(n.c_str()) << QString::fromStdString(n);
}

template <typename F> QString thrownMessage(F f) {
    try {
        f();
    } catch (const InvalidArgument& e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return "<wrong exception type>";
    }
    return "<no exception>";
}

} // namespace

class TestDensity : public QObject {
    Q_OBJECT

    std::map<std::string, Quadrature> m_quad; // computed once per preset, shared by the tests below

    const Quadrature& quadrature(const std::string& name) {
        auto it = m_quad.find(name);
        if (it == m_quad.end())
            it = m_quad.emplace(name, makeQuadrature(*makePreset(name), presetCases().at(name))).first;
        return it->second;
    }

private slots:
    void init() { QTest::failOnWarning(QRegularExpression(".*")); }

    void registry() {
        const std::vector<std::string> expected{"eight-gaussians", "checkerboard", "two-spirals", "rings",
                                                "two-moons",       "pinwheel",     "swiss-roll",  "banana",
                                                "donut",           "funnel",       "squiggle"};
        QCOMPARE(presetNames(), expected);
        for (const std::string& n : expected) {
            QVERIFY2(!presetDescription(n).empty(), n.c_str());
            auto d = makePreset(n);
            QCOMPARE(d->name(), n);
            QVERIFY(d->isNormalised());
            QVERIFY2(presetCases().count(n) == 1, "every preset needs an integration case in this test");
            auto c = d->clone();
            QCOMPARE(c->name(), n);
        }
    }

    void unknownPresetThrows() {
        const QString msg = thrownMessage([] { makePreset("nope"); });
        QVERIFY2(msg.contains("nope"), qPrintable(msg));
        QVERIFY2(msg.contains("eight-gaussians"), qPrintable(msg));
        QVERIFY2(msg.contains("squiggle"), qPrintable(msg));
        QVERIFY(thrownMessage([] { presetDescription("nope"); }).contains("eight-gaussians"));
    }

    void badArgumentsThrow_data() { addPresetRows(); }
    void badArgumentsThrow() {
        QFETCH(QString, name);
        auto d = makePreset(name.toStdString());
        QVERIFY(thrownMessage([&] { d->logDensity(Matd::Zero(3, 4)); }).contains("2 x n"));
        Rng rng(1);
        QVERIFY(thrownMessage([&] { d->sample(-1, rng); }).contains(">= 0"));
        QCOMPARE(d->sample(0, rng).cols(), Index(0));
        QCOMPARE(d->logDensity(Matd(2, 0)).cols(), Index(0));
    }

    // (1) ∫ p = 1 (± 1e-4) over a box that holds the mass, by the midpoint rule (the worst, the funnel, is
    // off by 2e-5: its x1 tails beyond ±12); and the default box holds > 99.5% of the mass.
    void normalisation_data() { addPresetRows(); }
    void normalisation() {
        QFETCH(QString, name);
        const Quadrature& q = quadrature(name.toStdString());
        const double mass = q.mass();
        QVERIFY2(std::abs(mass - 1.0) < 1e-4,
                 qPrintable(QString("∫p = %1, expected 1 ± 1e-4").arg(mass, 0, 'g', 10)));

        auto d = makePreset(name.toStdString());
        const Box b = d->suggestedBox();
        double inBox = 0;
        for (Index j = 0; j < q.points.cols(); ++j) {
            const double x = q.points(0, j), y = q.points(1, j);
            if (x > b.x0 && x < b.x1 && y > b.y0 && y < b.y1) inBox += q.p(j) * q.cell;
        }
        QVERIFY2(inBox > 0.995, qPrintable(QString("mass in the suggested box: %1").arg(inBox)));
    }

    // (2) Samples agree with the density: mean and covariance against quadrature (5 standard errors), and
    // a binned chi-square test (p-value threshold 1e-4; the seed is fixed, so the outcome is too).
    void samplesMatchDensity_data() { addPresetRows(); }
    void samplesMatchDensity() {
        QFETCH(QString, name);
        const Quadrature& q = quadrature(name.toStdString());
        auto d = makePreset(name.toStdString());
        Rng rng(12345);
        const Matd S = d->sample(kSamples, rng);
        QCOMPARE(S.rows(), Index(2));
        QCOMPARE(S.cols(), kSamples);
        QVERIFY(S.allFinite());

        // Moments by quadrature (normalised by the quadrature mass).
        const Rowd w = q.p / q.p.sum();
        const Eigen::Vector2d mu = q.points * w.transpose();
        const Matd C = q.points.colwise() - mu;
        Eigen::Matrix2d cov = Eigen::Matrix2d::Zero(), fourth = Eigen::Matrix2d::Zero();
        for (int a = 0; a < 2; ++a)
            for (int b = 0; b < 2; ++b) {
                const Eigen::ArrayXd prod = (C.row(a).array() * C.row(b).array()).transpose();
                cov(a, b) = (prod * w.transpose().array()).sum();
                fourth(a, b) = (prod.square() * w.transpose().array()).sum();
            }
        const Eigen::Vector2d smu = S.rowwise().mean();
        const Matd SC = S.colwise() - smu;
        const Eigen::Matrix2d scov = SC * SC.transpose() / double(kSamples - 1);
        const double n = double(kSamples);
        for (int a = 0; a < 2; ++a) {
            const double se = std::sqrt(cov(a, a) / n);
            QVERIFY2(std::abs(smu(a) - mu(a)) < 5 * se,
                     qPrintable(QString("mean[%1]: samples %2, density %3, se %4")
                                    .arg(a)
                                    .arg(smu(a))
                                    .arg(mu(a))
                                    .arg(se)));
            for (int b = 0; b < 2; ++b) {
                const double seCov = std::sqrt(std::max(1e-300, fourth(a, b) - cov(a, b) * cov(a, b)) / n);
                QVERIFY2(std::abs(scov(a, b) - cov(a, b)) < 5 * seCov,
                         qPrintable(QString("cov[%1,%2]: samples %3, density %4, se %5")
                                        .arg(a)
                                        .arg(b)
                                        .arg(scov(a, b))
                                        .arg(cov(a, b))
                                        .arg(seCov)));
            }
        }

        // Expectations of a few test functions, including log p itself (E_p[log p] = -entropy, very
        // sensitive to a sampler that is slightly too wide or too narrow) and the radius (sensitive to a
        // radial sampler that is slightly off).
        const Rowd logpQ = q.p.array().log().matrix(), logpS = d->logDensity(S);
        QVERIFY(logpS.allFinite()); // no sample where the density is zero
        auto radius = [](const Matd& X) -> Rowd { return X.colwise().norm(); };
        auto wave = [](const Matd& X) -> Rowd {
            return ((3.0 * X.row(0).array()).sin() * (2.0 * X.row(1).array()).cos()).matrix();
        };
        auto bump = [](const Matd& X) -> Rowd {
            return (-((X.row(0).array() - 1.0).square() + (X.row(1).array() - 0.5).square())).exp().matrix();
        };
        const std::vector<std::pair<const char*, std::pair<Rowd, Rowd>>> tests{
            {"log p", {logpQ, logpS}},
            {"|x|", {radius(q.points), radius(S)}},
            {"sin(3x1)cos(2x2)", {wave(q.points), wave(S)}},
            {"exp(-|x-(1,.5)|^2)", {bump(q.points), bump(S)}},
        };
        for (const auto& [label, values] : tests) {
            const Rowd& fq = values.first;
            double ef = 0, ef2 = 0;
            for (Index j = 0; j < fq.cols(); ++j)
                if (w(j) > 0) {
                    ef += w(j) * fq(j);
                    ef2 += w(j) * fq(j) * fq(j);
                }
            const double se = std::sqrt(std::max(0.0, ef2 - ef * ef) / n);
            const double sampleMean = values.second.mean();
            QVERIFY2(std::abs(sampleMean - ef) < 5 * se + 1e-9,
                     qPrintable(QString("E[%1]: samples %2, density %3, se %4")
                                    .arg(label)
                                    .arg(sampleMean)
                                    .arg(ef)
                                    .arg(se)));
        }

        // Chi-square over kBins x kBins bins of the integration box; the rest is one pooled bin.
        const int fx = q.nx / kBins, fy = q.ny / kBins;
        std::vector<double> expected(kBins * kBins, 0.0), observed(kBins * kBins, 0.0);
        for (int iy = 0; iy < q.ny; ++iy)
            for (int ix = 0; ix < q.nx; ++ix)
                expected[(iy / fy) * kBins + ix / fx] += n * q.p(Index(iy) * q.nx + ix) * q.cell;
        double restObserved = 0;
        for (Index j = 0; j < S.cols(); ++j) {
            const double bx = (S(0, j) - q.box.x0) / q.box.width() * kBins;
            const double by = (S(1, j) - q.box.y0) / q.box.height() * kBins;
            if (bx < 0 || bx >= kBins || by < 0 || by >= kBins) {
                restObserved += 1;
                continue;
            }
            observed[int(by) * kBins + int(bx)] += 1;
        }
        const double restExpected = std::max(0.0, n * (1.0 - q.mass()));
        const auto [stat, dof] = chiSquare(observed, expected, restObserved, restExpected);
        QVERIFY(dof > 10);
        const double limit = chiSquareQuantile(dof, 3.719); // upper 1e-4 quantile
        QVERIFY2(stat < limit,
                 qPrintable(QString("chi-square %1 with %2 dof (limit %3)").arg(stat).arg(dof).arg(limit)));
    }

    // (3) Same seed, same samples (also through a clone); another seed, other samples.
    void determinism_data() { addPresetRows(); }
    void determinism() {
        QFETCH(QString, name);
        auto d = makePreset(name.toStdString());
        auto c = d->clone();
        Rng r1(42), r2(42), r3(43);
        const Matd a = d->sample(500, r1);
        const Matd b = c->sample(500, r2);
        const Matd e = d->sample(500, r3);
        QVERIFY(a == b);
        QVERIFY(a != e);
        QCOMPARE(d->logDensity(a), c->logDensity(a));
        // Drawing continues the stream: the next batch differs from the first.
        QVERIFY(d->sample(500, r1) != a);
    }

    // log-density never NaN or +inf, finite wherever the density is positive in theory.
    void neverNaN_data() { addPresetRows(); }
    void neverNaN() {
        QFETCH(QString, name);
        auto d = makePreset(name.toStdString());
        const double inf = std::numeric_limits<double>::infinity(),
                     nan = std::numeric_limits<double>::quiet_NaN();
        Matd X(2, 16);
        X << 0, 2, -2, 1e-300, 9, -9, 40, 1e6, -1e6, 1e300, inf, -inf, nan, 0.5, 1e150, -3e200, //
            0, 2, -2, -1e-300, 9, 9, -40, 1e6, 1e6, 1e300, 0, inf, 0, nan, -1e150, 1e-3;
        const Rowd l = d->logDensity(X);
        for (Index j = 0; j < l.cols(); ++j) {
            QVERIFY2(!std::isnan(l(j)) && l(j) < inf,
                     qPrintable(QString("point %1 gives %2").arg(j).arg(l(j))));
            if (j <= 6 && name != "checkerboard")
                QVERIFY2(std::isfinite(l(j)), qPrintable(QString("point %1 gives %2").arg(j).arg(l(j))));
        }
        for (Index j = 10; j < 14; ++j)
            QCOMPARE(l(j), -inf);
    }

    // ---- GridDensity ----

    void gridNormalisedAndPiecewiseConstant() {
        Matd v(30, 40); // 30 rows (y) x 40 columns (x)
        for (Index iy = 0; iy < v.rows(); ++iy)
            for (Index ix = 0; ix < v.cols(); ++ix)
                v(iy, ix) = (ix + 2 * iy) % 7; // includes zero cells
        const Box box{-1, 3, 0, 2};
        GridDensity g(v, box);
        QCOMPARE(g.name(), std::string("grid"));
        const double dx = box.width() / 40, dy = box.height() / 30;
        QVERIFY(std::abs(g.density().sum() * dx * dy - 1.0) < 1e-12);
        QCOMPARE(g.density().rows(), Index(30));
        QCOMPARE(g.suggestedBox().x1, 3.0);
        // Cell (ix, iy) = (5, 3): its centre and a point near its corner share one value.
        Matd X(2, 5);
        X << -1 + 5.5 * dx, -1 + 5.01 * dx, -1.5, 0.0, -1 + 0.5 * dx, //
            3.5 * dy, 3.99 * dy, 1.0, 2.5, 0.5 * dy;
        const Rowd l = g.logDensity(X);
        const double expected = std::log(v(3, 5) / v.sum() / (dx * dy));
        QVERIFY(std::abs(l(0) - expected) < 1e-12);
        QVERIFY(std::abs(l(1) - expected) < 1e-12);
        QCOMPARE(l(2), -std::numeric_limits<double>::infinity()); // outside the box (x)
        QCOMPARE(l(3), -std::numeric_limits<double>::infinity()); // outside the box (y)
        QCOMPARE(v(0, 0), 0.0);
        QCOMPARE(l(4), -std::numeric_limits<double>::infinity()); // a zero cell
        QCOMPARE(g.clone()->logDensity(X), l);
    }

    // Sample counts per cell against the cell masses (chi-square), and the mass of a region that cuts
    // cells in half (uniform within a cell) against the fraction of samples in it.
    void gridSamplesMatchMasses() {
        Rng vr(5);
        Matd v(8, 8);
        fillUniform(v, vr);
        v(2, 3) = 0;
        v(7, 7) = 0;
        v.row(4) *= 5.0;
        const Box box{-2, 2, -1, 3};
        GridDensity g(v, box);
        Rng rng(77);
        const Index n = 100000;
        const Matd S = g.sample(n, rng);
        const double dx = 0.5, dy = 0.5;
        std::vector<double> observed(64, 0.0), expected(64, 0.0);
        for (Index ix = 0; ix < 8; ++ix)
            for (Index iy = 0; iy < 8; ++iy)
                expected[iy * 8 + ix] = n * g.density()(iy, ix) * dx * dy;
        double inRegion = 0;
        for (Index j = 0; j < n; ++j) {
            const double x = S(0, j), y = S(1, j);
            QVERIFY(x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1);
            observed[int((y - box.y0) / dy) * 8 + int((x - box.x0) / dx)] += 1;
            if (x < -0.25 && y > 0.75 && y < 1.75) inRegion += 1; // cells ix 0..2 + half of ix 3; iy 3, 4
        }
        QCOMPARE(observed[2 * 8 + 3], 0.0);
        QCOMPARE(observed[7 * 8 + 7], 0.0);
        const auto [stat, dof] = chiSquare(observed, expected, 0.0, 0.0);
        QVERIFY2(stat < chiSquareQuantile(dof, 3.719),
                 qPrintable(QString("chi-square %1 with %2 dof").arg(stat).arg(dof)));
        double regionMass = 0;
        for (int iy = 3; iy <= 4; ++iy) {
            for (int ix = 0; ix <= 2; ++ix)
                regionMass += g.density()(iy, ix) * dx * dy;
            regionMass += 0.5 * g.density()(iy, 3) * dx * dy;
        }
        const double se = std::sqrt(regionMass * (1 - regionMass) / n);
        QVERIFY2(std::abs(inRegion / n - regionMass) < 5 * se,
                 qPrintable(QString("region: samples %1, mass %2").arg(inRegion / n).arg(regionMass)));
    }

    // A hard-edged painted region (a disk of cells, nothing else) receives every sample.
    void gridHardEdge() {
        Matd v = Matd::Zero(64, 64);
        for (int iy = 0; iy < 64; ++iy)
            for (int ix = 0; ix < 64; ++ix)
                if ((ix - 40) * (ix - 40) + (iy - 20) * (iy - 20) < 100) v(iy, ix) = 1.0 + (ix % 3);
        GridDensity g(v, Box{});
        Rng rng(9);
        const Matd S = g.sample(20000, rng);
        const Rowd l = g.logDensity(S);
        QVERIFY(l.allFinite()); // every sample lies on a painted cell
        const double h = 8.0 / 64;
        for (Index j = 0; j < S.cols(); ++j) {
            const int ix = int((S(0, j) + 4) / h), iy = int((S(1, j) + 4) / h);
            QVERIFY(v(iy, ix) > 0);
        }
    }

    void gridInvalidInput_data() {
        QTest::addColumn<Matd>("values");
        QTest::addColumn<double>("x1");
        QTest::addColumn<QString>("expected");
        const double nan = std::numeric_limits<double>::quiet_NaN(),
                     inf = std::numeric_limits<double>::infinity();
        Matd neg = Matd::Ones(3, 3), hasNan = Matd::Ones(3, 3), hasInf = Matd::Ones(3, 3);
        neg(1, 2) = -0.5;
        hasNan(0, 1) = nan;
        hasInf(2, 0) = inf;
        QTest::newRow("empty") << Matd(0, 0) << 4.0 << "empty";
        QTest::newRow("empty rows") << Matd(0, 5) << 4.0 << "at least one cell";
        QTest::newRow("negative") << neg << 4.0 << "finite and >= 0";
        QTest::newRow("nan") << hasNan << 4.0 << "finite and >= 0";
        QTest::newRow("inf") << hasInf << 4.0 << "finite and >= 0";
        QTest::newRow("all zero") << Matd(Matd::Zero(4, 4)) << 4.0
                                  << "all cells are zero — paint some density";
        QTest::newRow("empty box") << Matd(Matd::Ones(2, 2)) << -4.0 << "box";
        QTest::newRow("nan box") << Matd(Matd::Ones(2, 2)) << nan << "x1 > x0";
    }
    void gridInvalidInput() {
        QFETCH(Matd, values);
        QFETCH(double, x1);
        QFETCH(QString, expected);
        Box box;
        box.x1 = x1;
        const QString msg = thrownMessage([&] { GridDensity g(values, box); });
        QVERIFY2(msg.contains(expected), qPrintable(msg));
        QVERIFY2(msg.startsWith("grid density:"), qPrintable(msg));
    }

    void gridDeterminismAndArguments() {
        Matd v(3, 5);
        v << 1, 2, 3, 4, 5, 0, 0, 1, 0, 0, 9, 1, 1, 1, 1;
        GridDensity g(v, Box{0, 5, 0, 3});
        Rng a(3), b(3);
        QVERIFY(g.sample(300, a) == g.clone()->sample(300, b));
        QVERIFY(thrownMessage([&] { g.logDensity(Matd::Zero(1, 3)); }).contains("2 x n"));
        QVERIFY(thrownMessage([&] { g.sample(-2, a); }).contains(">= 0"));
        // Huge but finite values are normalised without overflow.
        Matd huge = Matd::Constant(2, 2, 1e308);
        GridDensity gh(huge, Box{0, 1, 0, 1});
        QVERIFY(std::abs(gh.density().sum() * 0.25 - 1.0) < 1e-12);
    }

    // featureWidths finds the noise's σ of features whose σ is known: the eight Gaussians' blobs (0.2),
    // the rings (0.08), the donut's radial profile (0.128); the funnel's neck is much thinner than its
    // typical width; and it is a property of the target (the same twice).
    void featureWidthsOfKnownFeatures() {
        const auto widths = [](const char* name) { return featureWidths(*makePreset(name)); };
        const FeatureWidths g = widths("eight-gaussians");
        qInfo("eight-gaussians %.3f / %.3f", g.thin, g.typical);
        QVERIFY(g.thin > 0.17 && g.thin <= g.typical && g.typical < 0.21);
        const FeatureWidths r = widths("rings");
        qInfo("rings %.3f / %.3f", r.thin, r.typical);
        QVERIFY(r.thin > 0.07 && r.typical < 0.09);
        const FeatureWidths d = widths("donut");
        qInfo("donut %.3f / %.3f", d.thin, d.typical);
        QVERIFY(d.thin > 0.11 && d.typical < 0.14);
        const FeatureWidths f = widths("funnel");
        qInfo("funnel %.3f / %.3f", f.thin, f.typical);
        QVERIFY(f.thin < 0.5 * f.typical);
        const FeatureWidths again = widths("rings");
        QCOMPARE(again.thin, r.thin);
        QCOMPARE(again.typical, r.typical);
    }
};

QTEST_MAIN(TestDensity)
#include "tst_density.moc"
