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
        float d = abs(fract(f - 0.5) - 0.5) / max(fwidth(f), 1e-6);
        c = mix(c, vec3(1.0), (1.0 - clamp(d, 0.0, 1.0)) * 0.45);
    }
    if (u_boundary) {
        float h = sampleGrid(u_auxTex, u_auxBox, v_data);
        float d = abs(h) / max(fwidth(h), 1e-6);
        c = mix(c, vec3(1.0, 0.35, 0.3), 1.0 - clamp(d - 0.75, 0.0, 1.0));
    }
    fragColor = vec4(c, 1.0);
}
