#version 430 core
// Splats points into per-pixel counters with atomic adds: far faster than GL_POINTS for 10^4-10^5 points
// on a software renderer. Points are stored in slots (a ring buffer of past positions for trails);
// older slots add less weight and a single pixel. Every tile of the plot that a point touches is listed
// once (u_tileSize pixels square), so that the composite pass draws those tiles only.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Points { vec2 points[]; };
layout(std430, binding = 1) coherent buffer TileFlags { uint tileFlags[]; };
// The composite's indirect draw command (vertex count, instance count = tiles listed, first, base).
layout(std430, binding = 2) coherent buffer TileDraw { uint drawCount, drawInstances, drawFirst, drawBase; };
layout(std430, binding = 3) writeonly buffer TileList { uint tileList[]; };
layout(r32ui, binding = 0) uniform coherent uimage2DArray u_counts;

uniform uint u_count;    // points to splat, starting at u_first
uniform uint u_first;    // first point (trails off: the newest slot only)
uniform uint u_perSlot;  // points per slot
uniform uint u_slots;    // number of slots (1 without trails)
uniform uint u_head;     // the newest slot
uniform uint u_weight;   // weight of a point in the newest slot
uniform int u_radius;    // newest slot: footprint (2r+1)^2 pixels
uniform int u_layer;
uniform vec4 u_viewBox;
uniform ivec2 u_size;
uniform int u_tileSize;
uniform int u_tilesAcross;

void markTile(ivec2 p) {
    uint t = uint((p.y / u_tileSize) * u_tilesAcross + p.x / u_tileSize);
    if (tileFlags[t] != 0u) return; // already listed (a plain read spares most atomics)
    if (atomicOr(tileFlags[t], 1u) == 0u) tileList[atomicAdd(drawInstances, 1u)] = t;
}

void main() {
    if (gl_GlobalInvocationID.x >= u_count) return;
    uint i = gl_GlobalInvocationID.x + u_first;
    uint slot = i / u_perSlot;
    uint age = (u_head + u_slots - slot) % u_slots;
    vec2 t = (points[i] - u_viewBox.xy) / (u_viewBox.zw - u_viewBox.xy);
    ivec2 c = ivec2(floor(t * vec2(u_size)));
    int r = age == 0u ? u_radius : 0;
    uint w = age == 0u ? u_weight : max(1u, (u_weight * (u_slots - age)) / (3u * u_slots));
    // A live particle's newest footprint has a ring of pixels around it where the composite may draw its
    // rim. The footprint within the plot, with its ring, touches at most four tiles (r + 1 < u_tileSize):
    // its corners' tiles.
    bool ringed = u_layer == 2 && age == 0u;
    int e = ringed ? r + 1 : r;
    ivec2 lo = max(c - e, ivec2(0)), hi = min(c + e, u_size - 1);
    if (any(greaterThan(lo, hi))) return; // wholly outside the plot
    markTile(lo);
    bool wide = hi.x / u_tileSize != lo.x / u_tileSize, tall = hi.y / u_tileSize != lo.y / u_tileSize;
    if (wide) markTile(ivec2(hi.x, lo.y));
    if (tall) markTile(ivec2(lo.x, hi.y));
    if (wide && tall) markTile(hi);
    for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx) {
            ivec2 p = c + ivec2(dx, dy);
            if (any(lessThan(p, ivec2(0))) || any(greaterThanEqual(p, u_size))) continue;
            uint wd = (dx == 0 && dy == 0) ? w : w / 2u; // a soft edge on the footprint
            imageAtomicAdd(u_counts, ivec3(p, u_layer), wd);
        }
    // The ring is marked in the counter's top bit (counts stay far below 2^31: 256 per particle).
    if (!ringed) return;
    for (int dy = -e; dy <= e; ++dy)
        for (int dx = -e; dx <= e; ++dx) {
            if (max(abs(dx), abs(dy)) != e) continue;
            ivec2 p = c + ivec2(dx, dy);
            if (any(lessThan(p, ivec2(0))) || any(greaterThanEqual(p, u_size))) continue;
            imageAtomicOr(u_counts, ivec3(p, 2), 0x80000000u);
        }
}
