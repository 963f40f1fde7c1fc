#version 430 core
// Score-field arrows: line segments in data coordinates, with the arrow's relative magnitude.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in float a_mag; // |score| / max |score| on the visible grid, in [0, 1]
uniform vec4 u_viewBox;

out float v_mag;

void main() {
    vec2 t = (a_pos - u_viewBox.xy) / (u_viewBox.zw - u_viewBox.xy);
    gl_Position = vec4(t * 2.0 - 1.0, 0.0, 1.0);
    v_mag = a_mag;
}
