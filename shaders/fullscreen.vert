#version 430 core
// One triangle that covers the viewport; v_data is the data coordinate of each fragment.
uniform vec4 u_viewBox; // visible data box: x0, y0, x1, y1

out vec2 v_data;

void main() {
    vec2 p = vec2((gl_VertexID << 1) & 2, gl_VertexID & 2); // (0,0), (2,0), (0,2)
    v_data = mix(u_viewBox.xy, u_viewBox.zw, p);
    gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}
