#version 430 core
// One quad (two triangles) per tile listed by the splat pass: the composite touches only the tiles that
// hold a point, not the whole plot.
uniform usamplerBuffer u_tiles; // tile indices, row-major from the plot's lower-left corner
uniform int u_tileSize;
uniform int u_tilesAcross;
uniform vec2 u_plotSize; // the viewport (the plot) in pixels

void main() {
    const vec2 corners[6] = vec2[](vec2(0, 0), vec2(1, 0), vec2(0, 1), vec2(0, 1), vec2(1, 0), vec2(1, 1));
    int t = int(texelFetch(u_tiles, gl_InstanceID).r);
    vec2 p = (vec2(t % u_tilesAcross, t / u_tilesAcross) + corners[gl_VertexID]) * float(u_tileSize);
    gl_Position = vec4(p / u_plotSize * 2.0 - 1.0, 0.0, 1.0);
}
