#version 430 core
// Zeroes the per-pixel splat counters (one layer per particle category).
layout(local_size_x = 16, local_size_y = 16, local_size_z = 1) in;
layout(r32ui, binding = 0) uniform writeonly uimage2DArray u_counts;
uniform ivec3 u_size; // width, height, layers

void main() {
    ivec3 p = ivec3(gl_GlobalInvocationID);
    if (any(greaterThanEqual(p, u_size))) return;
    imageStore(u_counts, p, uvec4(0u));
}
