#include <ebm/render/renderer.h>

#include <ebm/render/arrows.h>

#include <algorithm>

namespace ebm::render {

int captionPixelSize(int height) {
    return std::max(11, height / 26);
}

Image renderScene(const Scene& s, const RenderStyle& style, int width, int height, const TextRenderer* text) {
    Image img(width, height);
    if (!s.energy.empty()) {
        LandscapeStyle ls;
        ls.colorMap = style.colorMap;
        ls.quantity = style.quantity;
        ls.range = s.range;
        ls.contours = style.contours;
        drawLandscape(img, s.view, s.energy, ls, &s.nceLogit);
    } else {
        const Rgb8 bg = toRgb8(style.background);
        for (size_t i = 0; i + 2 < img.rgb.size(); i += 3) {
            img.rgb[i] = bg.r;
            img.rgb[i + 1] = bg.g;
            img.rgb[i + 2] = bg.b;
        }
    }
    if (s.arrowVec.cols() > 0) {
        // One reference length for both fields, so the model's arrows compare with the target's.
        const float ref = arrowReference(s.arrowVec);
        if (s.targetArrowVec.cols() > 0) {
            std::vector<float> t;
            appendArrows(s.view, s.arrowsAcross, s.arrowsAcross, s.arrowPos, s.targetArrowVec, ref, t);
            drawArrows(img, s.view, t, kTargetArrowColor);
        }
        std::vector<float> a;
        appendArrows(s.view, s.arrowsAcross, s.arrowsAcross, s.arrowPos, s.arrowVec, ref, a);
        drawArrows(img, s.view, a, kModelArrowColor);
    }
    drawPoints(img, s.view, s.points);
    if (text && !s.caption.empty()) drawCaption(img, s.caption, *text);
    return img;
}

} // namespace ebm::render
