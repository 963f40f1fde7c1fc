#include "imagesettings.h"

#include <ebm/core/objective.h>

namespace ebm::ui {

std::map<std::string, core::ImageLangevinOptions> ImageSettings::defaultSamplers() {
    core::ImageLangevinOptions shortRun, steep;
    steep.stepSize = 0.01f;
    std::map<std::string, core::ImageLangevinOptions> m;
    for (const std::string& name : core::objectiveNames(core::ModelKind::Image))
        m[name] = core::objective(name).info().needs.negatives ? shortRun : steep;
    return m;
}

ImageSettings ImageSettings::withMethod(const std::string& m) const {
    ImageSettings s = *this;
    s.samplers[s.trainer.method] = s.trainer.chains.langevin;
    s.trainer.method = m;
    if (auto it = s.samplers.find(m); it != s.samplers.end()) s.trainer.chains.langevin = it->second;
    return s;
}

} // namespace ebm::ui
