#include "rankedimage.h"

#include <QCoreApplication>

namespace ebm::ui {

QString rankedKindName(RankedImage::Kind k) {
    switch (k) {
    case RankedImage::HeldOut:
        return QCoreApplication::translate("ImageSession", "held-out data");
    case RankedImage::Noise:
        return QCoreApplication::translate("ImageSession", "uniform noise");
    case RankedImage::Corrupted:
        return QCoreApplication::translate("ImageSession", "noisy data");
    case RankedImage::OutOfDistribution:
        return QCoreApplication::translate("ImageSession", "other data set");
    case RankedImage::Edited:
        return QCoreApplication::translate("ImageSession", "your image");
    }
    return {};
}

} // namespace ebm::ui
