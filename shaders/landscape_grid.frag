#version 430 core
// Evaluation path (b): the core's energies on a grid (computed on the worker thread), interpolated.
uniform sampler2D u_energyTex; // r32f, texel (ix, iy) = E at the centre of cell (ix, iy)
uniform vec4 u_energyBox;      // the grid's data box: x0, y0, x1, y1

float modelEnergy(vec2 x) {
    return texture(u_energyTex, (x - u_energyBox.xy) / (u_energyBox.zw - u_energyBox.xy)).r;
}
