#version 430 core
in float v_mag;
out vec4 fragColor;
uniform vec3 u_color;

void main() {
    // Brighter and more opaque with the magnitude: the strong pull stands out, weak arrows recede.
    float a = 0.35 + 0.65 * sqrt(clamp(v_mag, 0.0, 1.0));
    fragColor = vec4(u_color * a, a); // premultiplied alpha
}
