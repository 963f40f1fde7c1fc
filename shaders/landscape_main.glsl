// Shared by both evaluation paths (appended after landscape_grid.frag or landscape_mlp.frag, which
// define modelEnergy). Maps the energy to the displayed quantity, colours it and draws the contours.
in vec2 v_data;
out vec4 fragColor;

uniform sampler2D u_targetTex; // r32f: -log p_target on a grid
uniform vec4 u_targetBox;
uniform sampler2D u_auxTex;    // r32f: Fisher map (score matching) or NCE logit
uniform vec4 u_auxBox;
uniform sampler2D u_lut;       // 256 x 3 colour maps
uniform int u_colormap;
uniform int u_source;          // 0 model, 1 target, 2 difference log p_model - log p_target, 3 Fisher map
uniform int u_quantity;        // 0 energy, 1 exp(-beta (E - Emin)), 2 density, 3 log density
uniform float u_beta;
uniform float u_logZ;          // log Z of the source at u_beta (model: quadrature; target: 0 if normalised)
uniform float u_logZ1;         // model's log Z at beta = 1 (difference view)
uniform float u_eMin;          // smallest energy of the source on the visible grid
uniform vec2 u_range;          // displayed value at the two ends of the colour map
uniform bool u_contours;
uniform float u_contourStep;
uniform bool u_boundary;       // draw the zero level of u_auxTex (NCE decision boundary)
uniform bool u_raw;            // write the model energy itself (readback tests)

float sampleGrid(sampler2D t, vec4 box, vec2 x) {
    return texture(t, (x - box.xy) / (box.zw - box.xy)).r;
}

// Coverage of a pixel by the iso-lines, for f = value / step and fw = |grad f| in pixels^-1: one-pixel
// lines at the integers in (bottom, top], the colour bar's levels (a density never reaches its lower end 0,
// and the line-distance estimate would paint the whole near-zero region as "on" it; past the top the
// colours saturate and lines would only hatch the saturated area). Lines closer than 6 px fade, and are
// gone at 3 px: where levels crowd, only every 5th (then every 25th) is left, so lines never paint area.
// render/src/landscape.cpp's contourCoverage() is the same function.
float contourCoverage(float f, float fw, float bottom, float top) {
    if (isnan(f) || isinf(f) || isnan(fw) || isinf(fw)) return 0.0;
    float cover = 0.0;
    float every = 1.0;
    for (int tier = 0; tier < 3; ++tier) {
        float g = f / every, gw = fw / every;
        float level = floor(g + 0.5);
        if (level * every > bottom + 1e-3 && level * every <= top + 1e-3) {
            float d = abs(g - level) / max(gw, 1e-6);
            float fade = 1.0 - smoothstep(1.0 / 6.0, 1.0 / 3.0, gw);
            cover = max(cover, (1.0 - clamp(d, 0.0, 1.0)) * fade);
        }
        every *= 5.0;
    }
    return cover;
}

float displayed(float e) {
    if (u_quantity == 0) return e;
    if (u_quantity == 1) return exp(-u_beta * (e - u_eMin));
    if (u_quantity == 2) return exp(-u_beta * e - u_logZ);
    return -u_beta * e - u_logZ;
}

void main() {
    float e = u_source == 1 ? 0.0 : modelEnergy(v_data);
    if (u_raw) {
        fragColor = vec4(e, 0.0, 0.0, 1.0);
        return;
    }
    float v;
    if (u_source == 0) {
        v = displayed(e);
    } else if (u_source == 1) {
        v = displayed(sampleGrid(u_targetTex, u_targetBox, v_data));
    } else if (u_source == 2) {
        float et = sampleGrid(u_targetTex, u_targetBox, v_data);
        v = (-e - u_logZ1) - (-et - u_logZ);
    } else {
        v = sampleGrid(u_auxTex, u_auxBox, v_data);
    }
    float t = clamp((v - u_range.x) / max(u_range.y - u_range.x, 1e-20), 0.0, 1.0);
    vec3 c = texture(u_lut, vec2((t * 255.0 + 0.5) / 256.0, (float(u_colormap) + 0.5) / 3.0)).rgb;
    if (u_contours && u_contourStep > 0.0) {
        float f = v / u_contourStep;
        float fw = length(vec2(dFdx(f), dFdy(f)));
        float cover = contourCoverage(f, fw, u_range.x / u_contourStep, u_range.y / u_contourStep);
        c = mix(c, vec3(1.0), cover * 0.45);
    }
    if (u_boundary) {
        float h = sampleGrid(u_auxTex, u_auxBox, v_data);
        float d = abs(h) / max(fwidth(h), 1e-6);
        c = mix(c, vec3(1.0, 0.35, 0.3), 1.0 - clamp(d - 0.75, 0.0, 1.0));
    }
    fragColor = vec4(c, 1.0);
}
